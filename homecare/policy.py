"""The homecare section of a policy pack (policy_packs/<city>/homecare.yaml): which service-credit
schemes are allowances for which catalogue items, the items' prices and duration ranges, what
happens to unused allowance, how far a check-in may be from the home, the emergency-call deadline."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from policies.sections import policy_section, sourced
from policies.selectors import get_section
from policies.sources import source_text
from services.choices import ServiceKind

from .choices import AllowanceUnit, PriceUnit, Unused

SECTION = "homecare"


@dataclass(frozen=True)
class Allowance:
    scheme: str
    unit: str
    items: tuple[str, ...]
    unused: str
    hours: Decimal | None = None  # the month's hours when the unit is hours


@dataclass(frozen=True)
class HomecareSettings:
    allowances: tuple[Allowance, ...] = ()
    prices: tuple[dict, ...] = field(default_factory=tuple)
    checkin_distance_m: int = 500
    response_minutes: int = 30

    def allowance_of(self, scheme_code: str) -> Allowance | None:
        return next((a for a in self.allowances if a.scheme == scheme_code), None)


def defaults() -> HomecareSettings:
    return HomecareSettings()


def _decimal(value, where: str) -> Decimal:
    try:
        found = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError(_("%(where)s is a number.") % {"where": where}) from None
    if found < 0:
        raise ValidationError(_("%(where)s cannot be negative.") % {"where": where})
    return found


def _need(entry: dict, keys: tuple[str, ...], where: str) -> None:
    for key in keys:
        if key not in entry:
            raise ValidationError(_("%(where)s needs '%(key)s'.") % {"where": where, "key": key})


@policy_section(SECTION, defaults=defaults, apply=lambda **kw: apply(**kw))
def parse(data: dict) -> HomecareSettings:
    allowances = []
    for i, entry in enumerate(sourced(data, "allowances", section=SECTION, kind=list, default=[])):
        where = f"homecare.allowances[{i}]"
        _need(entry, ("scheme", "unit", "items", "unused", "source"), where)
        if entry["unit"] not in AllowanceUnit.values:
            raise ValidationError(_("%(where)s.unit is yuan or hours.") % {"where": where})
        if entry["unused"] not in Unused.values:
            raise ValidationError(_("%(where)s.unused is lapse or carry.") % {"where": where})
        hours = None
        if entry["unit"] == AllowanceUnit.HOURS:
            _need(entry, ("hours",), where)
            hours = _decimal(entry["hours"], f"{where}.hours")
        allowances.append(
            Allowance(entry["scheme"], entry["unit"], tuple(entry["items"]), entry["unused"], hours)
        )
    prices = []
    for i, entry in enumerate(sourced(data, "prices", section=SECTION, kind=list, default=[])):
        where = f"homecare.prices[{i}]"
        _need(
            entry,
            ("item", "kind", "unit", "price", "min_minutes", "max_minutes", "effective_from", "source"),
            where,
        )
        if entry["unit"] not in PriceUnit.values:
            raise ValidationError(_("%(where)s.unit is visit or hour.") % {"where": where})
        if entry["kind"] not in ServiceKind.values:
            raise ValidationError(_("%(where)s.kind is not a kind of service.") % {"where": where})
        if not 0 < int(entry["min_minutes"]) <= int(entry["max_minutes"]):
            raise ValidationError(
                _("%(where)s: min_minutes must be positive and not above max_minutes.") % {"where": where}
            )
        prices.append(
            {
                "item": str(entry["item"]),
                "kind": entry["kind"],
                "unit": entry["unit"],
                "price": _decimal(entry["price"], f"{where}.price"),
                "min_minutes": int(entry["min_minutes"]),
                "max_minutes": int(entry["max_minutes"]),
                "requires_certificate": bool(entry.get("certified", False)),
                "effective_from": date.fromisoformat(str(entry["effective_from"])),
                "source": entry["source"],
            }
        )
    distance = sourced(data, "checkin_distance_m", section=SECTION, kind=int, default=500)
    minutes = sourced(data, "response_minutes", section=SECTION, kind=int, default=30)
    if distance <= 0 or minutes <= 0:
        raise ValidationError(_("homecare.checkin_distance_m and response_minutes are positive."))
    return HomecareSettings(tuple(allowances), tuple(prices), distance, minutes)


def apply(*, region, data: dict, acting_user=None) -> int:
    """Loading a pack writes its prices for its region (a provider's contract price stays)."""
    from services.models import CatalogueItem

    from .models import ContractPrice

    if region is None:
        return 0
    parsed = parse(data)
    written = 0
    for row in parsed.prices:
        # The item of that code in the region's own list (the newest version of it).
        item = (
            CatalogueItem.objects.filter(code=row["item"], catalogue__region=region)
            .order_by("-catalogue__effective_from")
            .first()
        )
        if item is None:
            raise ValidationError(
                _("homecare.prices: the region's catalogue has no item %(code)s.") % {"code": row["item"]}
            )
        ContractPrice.objects.update_or_create(
            region=region,
            provider=None,
            item=item,
            effective_from=row["effective_from"],
            defaults={
                "kind": row["kind"],
                "unit": row["unit"],
                "price": row["price"],
                "min_minutes": row["min_minutes"],
                "max_minutes": row["max_minutes"],
                "requires_certificate": row["requires_certificate"],
                "source": source_text(row["source"]),
            },
        )
        written += 1
    return written


def homecare_settings(region_code: str) -> HomecareSettings:
    return get_section(region_code, SECTION)
