"""Write operations on the registry. Forms, admin, API and imports all come through here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.scope import in_scope, require
from regions.models import Region

from . import fields as elder_fields
from . import rules
from .choices import Status
from .models import Elder, ElderContact, duplicate_message

# Fields a caller may set (elders.fields); sex and birth date always come from the ID number.
EDITABLE_FIELDS = elder_fields.EDITABLE


def _check_region(user, region: Region | None, field: str = "residence") -> None:
    if region is not None and not in_scope(user, region.code):
        raise ValidationError(
            {field: _("%(region)s is outside your region of responsibility.") % {"region": region.name}}
        )


def _apply(elder: Elder, data: dict[str, Any]) -> None:
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be set: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    for name, value in data.items():
        setattr(elder, name, value)


def save_elder(*, elder: Elder, acting_user, reason: str = "") -> Elder:
    """Validate and store a file the caller has filled in: the one place a file is written.

    Creating needs the add permission, changing the change permission; the residence must
    lie in the caller's region (before and after a move between communities).
    """
    creating = elder.pk is None
    perm = "elders.add_elder" if creating else "elders.change_elder"
    if not acting_user.has_perm(perm):
        raise PermissionDenied(
            _("You may not register elders.") if creating else _("You may not change elders' files.")
        )
    if not creating:
        stored = Elder.objects.filter(pk=elder.pk).values_list("residence_id", flat=True).first()
        if stored and not in_scope(acting_user, stored):
            raise PermissionDenied(_("You may not change elders' files."))
    if creating and elder.created_by_id is None and acting_user.is_authenticated:
        elder.created_by = acting_user
    _check_region(acting_user, elder.residence if elder.residence_id else None)
    elder.full_clean()
    elder._history_user = acting_user
    if reason:
        elder._change_reason = reason
    try:
        with transaction.atomic():
            elder.save()
    except IntegrityError:
        # Two registrations of one ID number at once both pass validate_unique; the unique
        # index lets one through and the other gets the same message as a late duplicate.
        existing = Elder.objects.select_related("residence").filter(id_number=elder.id_number).first()
        if existing is None or existing.pk == elder.pk:
            raise
        raise ValidationError({"id_number": duplicate_message(existing)}) from None
    return elder


@transaction.atomic
def register_elder(*, acting_user, reason: str = "", **data: Any) -> Elder:
    """Open a new file. The ID number is validated and must not exist yet. `reason` goes into
    the file's history (a registration made from another department's list names the list)."""
    elder = Elder()
    _apply(elder, data)
    return save_elder(elder=elder, acting_user=acting_user, reason=reason)


@transaction.atomic
def update_elder(*, elder: Elder, acting_user, reason: str = "", **data: Any) -> Elder:
    """Change a file's details (not its status: see change_status); `reason` goes into its history."""
    _apply(elder, data)
    return save_elder(elder=elder, acting_user=acting_user, reason=reason)


def save_contact(*, contact: ElderContact, acting_user) -> ElderContact:
    """Add or change a contact or guardian of a file: who may change the file may do it (the page
    and the admin write through here)."""
    require(acting_user, "elders.change_elder", obj=contact.elder)
    contact.full_clean()
    contact.save()
    return contact


def remove_contact(*, contact: ElderContact, acting_user) -> None:
    require(acting_user, "elders.change_elder", obj=contact.elder)
    contact.delete()


@transaction.atomic
def change_status(*, elder: Elder, status: str, on: date, acting_user, reason: str = "") -> Elder:
    """Record moving away, death, or a return to the registry, with who and why."""
    if status not in Status.values:
        raise ValidationError({"status": _("Unknown status %(s)s.") % {"s": status}})
    if on > timezone.localdate():
        raise ValidationError({"status_date": _("The date is in the future.")})
    elder.status = status
    elder.status_date = on
    elder.death_date = on if status == Status.DECEASED else None
    return save_elder(elder=elder, acting_user=acting_user, reason=reason)


@dataclass
class ImportReport:
    """The outcome of an import: either every row written, or the bad rows and nothing written."""

    total: int
    created: int = 0
    updated: int = 0
    errors: list[dict] = field(default_factory=list)  # {"line": n, "field": f, "message": m}

    @property
    def ok(self) -> bool:
        return not self.errors


def import_elders(*, dataset, acting_user, dry_run: bool = False, progress=None) -> ImportReport:
    """Import a registry spreadsheet: validate the whole file, write only if every row is good.

    Lines are numbered as the spreadsheet shows them (the heading is line 1). `progress`, if
    given, is told the percentage done as the rows are checked (the first half) and written.
    """
    from .resources import ElderResource

    if not acting_user.has_perm("elders.import_elder"):
        raise PermissionDenied(_("You may not import the registry."))

    def ticker(start: int):
        if progress is None:
            return None
        span, total, done = 50, max(1, len(dataset)), [0]

        def tick() -> None:
            done[0] += 1
            progress(start + span * done[0] / total)

        return tick

    check = ElderResource(user=acting_user, on_row=ticker(0)).import_data(
        dataset, dry_run=True, raise_errors=False
    )
    report = ImportReport(total=len(dataset))
    for line_no, row_errors in check.row_errors():
        for error in row_errors:
            report.errors.append({"line": line_no + 1, "field": "", "message": str(error.error)})
    for invalid in check.invalid_rows:
        for fname, messages in invalid.error_dict.items():
            for message in messages:
                report.errors.append({"line": invalid.number + 1, "field": fname, "message": str(message)})
    report.errors.sort(key=lambda e: e["line"])
    if report.errors or dry_run:
        report.created = check.totals.get("new", 0)
        report.updated = check.totals.get("update", 0)
        return report
    result = ElderResource(user=acting_user, on_row=ticker(50)).import_data(
        dataset, dry_run=False, raise_errors=True
    )
    report.created = result.totals.get("new", 0)
    report.updated = result.totals.get("update", 0)
    return report


@transaction.atomic
def record_residency_change(
    *, elder: Elder, living_arrangement: str, acting_user, reason: str, died_on: date | None = None
) -> Elder:
    """A facility's admission or discharge updates the file (living arrangement, death).

    The facility's staff may not edit files; the admission itself is their authority for
    these two facts, and the file's history records who reported them and why.
    """
    elder.living_arrangement = living_arrangement
    if died_on is not None:
        elder.status = Status.DECEASED
        elder.status_date = died_on
        elder.death_date = died_on
    elder.full_clean()
    elder._history_user = acting_user
    elder._change_reason = reason
    elder.save()
    return elder


def fill_name_initials(*, batch: int = 5_000) -> int:
    """Give the pinyin initials to files written in bulk without them (a COPY or an
    INSERT ... SELECT never calls `Elder.save`): one read and one update per batch, walking the
    key, never a query per file. Returns how many were filled."""
    filled, last = 0, 0
    while True:
        rows = list(
            Elder.objects.filter(name_initials="", pk__gt=last).order_by("pk").values_list("pk", "name")[:batch]
        )
        if not rows:
            return filled
        last = rows[-1][0]
        # A name without a Chinese character has no initials and stays as it is.
        changed = [Elder(pk=pk, name_initials=i) for pk, name in rows if (i := rules.name_initials(name))]
        Elder.objects.bulk_update(changed, ["name_initials"], batch_size=batch)
        filled += len(changed)
