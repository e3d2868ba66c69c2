"""The targets section of a policy pack (policy_packs/<city>/targets.yaml)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from policies.sections import policy_section, sourced
from regions.rules import pad_code

SECTION = "targets"


def defaults() -> list[dict]:
    return []


def apply(*, region, data: dict, acting_user=None) -> int:
    """Loading a pack writes its targets (idempotent: keyed by indicator, region, deadline)."""
    from .models import Target

    if region is None:
        return 0  # national targets are read from the pack section when a city has none of its own
    written = 0
    for row in parse(data):
        code = pad_code(str(row["region"])) if row.get("region") else region.code
        Target.objects.update_or_create(
            indicator=row["indicator"],
            region_id=code,
            deadline=date.fromisoformat(str(row["deadline"])),
            defaults={
                "target_value": Decimal(str(row["target"])),
                "steps": row.get("steps", []),
                "source": row["source"],
                "units": row.get("units", []),
            },
        )
        written += 1
    return written


@policy_section(SECTION, defaults=defaults, apply=apply)
def parse(data: dict) -> list[dict]:
    rows = sourced(data, "targets", section=SECTION, kind=list)
    for i, row in enumerate(rows):
        where = f"targets[{i}]"
        for key in ("indicator", "target", "deadline", "source"):
            if key not in row:
                raise ValidationError(_("%(where)s needs '%(key)s'.") % {"where": where, "key": key})
        try:
            Decimal(str(row["target"]))
        except InvalidOperation:
            raise ValidationError(_("%(where)s.target is a number.") % {"where": where}) from None
        if not isinstance(row["deadline"], date):
            try:
                date.fromisoformat(str(row["deadline"]))
            except ValueError:
                raise ValidationError(
                    _("%(where)s.deadline is a date (YYYY-MM-DD).") % {"where": where}
                ) from None
    return rows
