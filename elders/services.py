"""Write operations on the registry. Forms, admin, API and imports all come through here."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regions.models import Region
from regions.scope import in_scope

from .choices import Status
from .models import Elder

# Fields a caller may set; sex and birth date always come from the ID number.
EDITABLE_FIELDS = (
    "id_number",
    "name",
    "residence",
    "hukou_region",
    "address",
    "phone",
    "living_arrangement",
    "economic_status",
    "disability_grade",
    "is_left_behind",
    "is_family_planning_special",
    "is_childless_widowed",
    "is_veteran",
    "is_special_contribution",
    "registered_on",
    "notes",
)


def _check_region(user, region: Region | None, field: str = "residence") -> None:
    if region is not None and not in_scope(user, region.code):
        raise ValidationError(
            {field: _("%(region)s is outside your region of responsibility.") % {"region": region.name}}
        )


def _apply(elder: Elder, data: dict[str, Any]) -> None:
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be set: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    for field, value in data.items():
        setattr(elder, field, value)


@transaction.atomic
def register_elder(*, acting_user, **data: Any) -> Elder:
    """Open a new file. The ID number is validated and must not exist yet."""
    if not acting_user.has_perm("elders.add_elder"):
        raise PermissionDenied(_("You may not register elders."))
    elder = Elder(created_by=acting_user if acting_user.is_authenticated else None)
    _apply(elder, data)
    _check_region(acting_user, getattr(elder, "residence", None) if elder.residence_id else None)
    elder.full_clean()
    elder._history_user = acting_user
    elder.save()
    return elder


@transaction.atomic
def update_elder(*, elder: Elder, acting_user, **data: Any) -> Elder:
    """Change a file's details (not its status: see change_status)."""
    if not acting_user.has_perm("elders.change_elder"):
        raise PermissionDenied(_("You may not change elders' files."))
    _check_region(acting_user, elder.residence)
    _apply(elder, data)
    if "residence" in data:
        _check_region(acting_user, elder.residence)
    elder.full_clean()
    elder._history_user = acting_user
    elder.save()
    return elder


@transaction.atomic
def change_status(*, elder: Elder, status: str, on: date, acting_user, reason: str = "") -> Elder:
    """Record moving away, death, or a return to the registry, with who and why."""
    if not acting_user.has_perm("elders.change_elder"):
        raise PermissionDenied(_("You may not change elders' files."))
    _check_region(acting_user, elder.residence)
    if status not in Status.values:
        raise ValidationError({"status": _("Unknown status %(s)s.") % {"s": status}})
    if on > timezone.localdate():
        raise ValidationError({"status_date": _("The date is in the future.")})
    elder.status = status
    elder.status_date = on
    elder.death_date = on if status == Status.DECEASED else None
    elder.full_clean()
    elder._history_user = acting_user
    elder._change_reason = reason
    elder.save()
    return elder
