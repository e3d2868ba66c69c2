"""The supervision section of a policy pack (policy_packs/<city>/supervision.yaml).

`checklists`: inspection checklists per facility kind, ownership and service kind, each item with
its standard, clause and source. The national pack carries the GB 38600-2019 baseline and the
rules (rectification deadline, credit consequences, complaint deadline, rating threshold); a city
pack adds its own checklists and may override any rule. Loading a pack writes the checklists as
rows (`apply`), so inspections can point at the item they judged.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from facilities.choices import FacilityKind, Ownership
from policies.sections import policy_section, sourced
from policies.selectors import get_section, policies_version
from policies.sources import Quote, normalize, parse_source
from services.choices import ServiceKind

from .choices import ItemArea, Purpose, SafetyRisk, Severity

SECTION = "supervision"


@dataclass(frozen=True)
class Rules:
    """The numbers supervision runs on; each comes from the pack in force (national by default)."""

    rectification_days: int  # days an operator has to rectify a serious finding
    order_severities: tuple[str, ...]  # findings of these severities open a rectification order
    blacklist_after_warnings: int  # warnings in force within the window that make a blacklisting
    warning_window_days: int
    blacklist_years: int
    complaint_handling_days: int
    low_rating_threshold: Decimal  # a provider's monthly average below this opens a task
    low_rating_min_count: int  # ... when it rests on at least this many ratings
    repeated_complaints: int  # this many complaints about one provider within ...
    repeated_complaints_days: int  # ... these days open a task


RULE_KEYS = tuple(f.name for f in fields(Rules))


@dataclass(frozen=True)
class Scoring:
    """How scored checklists are judged (each None where the pack sets nothing: the national
    pack's applies)."""

    review_pass_score: Decimal | None  # a 公建民营 operator's yearly review passes at this % or more
    star_levels: tuple[Decimal, ...] | None  # minimum % for 1, 2, 3, 4 and 5 stars


@dataclass(frozen=True)
class SupervisionSettings:
    checklists: tuple[dict, ...]
    rules: Rules | None  # None: the city sets none, the national rules apply
    scoring: Scoring = Scoring(None, None)


def defaults() -> SupervisionSettings:
    return SupervisionSettings(checklists=(), rules=None)


def _codes(values, known, where: str) -> list[str]:
    if not isinstance(values, list) or set(values) - set(known):
        raise ValidationError(
            _("%(where)s is a list of: %(known)s.") % {"where": where, "known": ", ".join(known)}
        )
    return list(values)


def _parse_checklist(row: dict, where: str, seen: set[str]) -> dict:
    for key in ("code", "title", "items"):
        if key not in row:
            raise ValidationError(_("%(where)s needs '%(key)s'.") % {"where": where, "key": key})
    kinds = _codes(row.get("facility_kinds", []), FacilityKind.values, f"{where}.facility_kinds")
    services = _codes(row.get("service_kinds", []), ServiceKind.values, f"{where}.service_kinds")
    owners = _codes(row.get("ownerships", []), Ownership.values, f"{where}.ownerships")
    if not kinds and not services:
        raise ValidationError(
            _("%(where)s applies to no facility kind and no service kind.") % {"where": where}
        )
    purpose = row.get("purpose", Purpose.INSPECTION)
    if purpose not in Purpose.values:
        raise ValidationError(
            _("%(where)s.purpose is one of: %(known)s.") % {"where": where, "known": ", ".join(Purpose.values)}
        )
    scored = purpose != Purpose.INSPECTION
    items = row["items"]
    if not isinstance(items, list) or not items:
        raise ValidationError(_("%(where)s.items is a non-empty list.") % {"where": where})
    parsed_items = []
    for i, item in enumerate(items):
        at = f"{where}.items[{item.get('code', i) if isinstance(item, dict) else i}]"
        if not isinstance(item, dict):
            raise ValidationError(_("%(where)s is a mapping.") % {"where": at})
        for key in ("code", "area", "text", "standard", "clause", "source"):
            if not item.get(key):
                raise ValidationError(_("%(where)s needs '%(key)s'.") % {"where": at, "key": key})
        if item["code"] in seen:
            raise ValidationError(
                _("%(where)s repeats the code %(code)s.") % {"where": at, "code": item["code"]}
            )
        seen.add(item["code"])
        if item["area"] not in ItemArea.values:
            raise ValidationError(_("%(where)s has an unknown area.") % {"where": at})
        if item.get("risk") and item["risk"] not in SafetyRisk.values:
            raise ValidationError(_("%(where)s has an unknown safety risk.") % {"where": at})
        if item.get("severity", Severity.GENERAL) not in Severity.values:
            raise ValidationError(_("%(where)s has an unknown severity.") % {"where": at})
        points = item.get("points")
        if scored and (not isinstance(points, int) or isinstance(points, bool) or points < 1):
            # A scored checklist's item says what it can earn; the points rest on the checklist's source.
            raise ValidationError(_("%(where)s needs 'points', a whole number of at least 1.") % {"where": at})
        if not scored and points is not None:
            raise ValidationError(_("%(where)s: an inspection item has no points.") % {"where": at})
        quotes = [r for r in parse_source(item["source"], where=at) if isinstance(r, Quote)]
        if quotes and not any(normalize(str(item["text"])) in normalize(q.quote) for q in quotes):
            # A city's item is the document's own words: what the inspector reads is what was quoted.
            raise ValidationError(_("%(where)s: the text is not in its quoted source.") % {"where": at})
        parsed_items.append(
            {
                "code": str(item["code"]),
                "area": item["area"],
                "risk": item.get("risk") or "",
                "text": str(item["text"]).strip(),
                "standard": str(item["standard"]),
                "clause": str(item["clause"]),
                "severity": item.get("severity", Severity.GENERAL),
                "points": points if scored else None,
                "source": item["source"],
            }
        )
    return {
        "code": str(row["code"]),
        "title": str(row["title"]),
        "purpose": purpose,
        "facility_kinds": kinds,
        "service_kinds": services,
        "ownerships": owners,
        "source": row.get("source", {}),
        "items": parsed_items,
    }


def _parse_rules(data: dict) -> Rules | None:
    present = [k for k in RULE_KEYS if k in data]
    if not present:
        return None
    missing = [k for k in RULE_KEYS if k not in data]
    if missing:
        raise ValidationError(
            _("'supervision' sets some rules but not %(keys)s: a pack sets all of them or none.")
            % {"keys": ", ".join(missing)}
        )
    values = {}
    for key in RULE_KEYS:
        if key == "order_severities":
            values[key] = tuple(
                _codes(sourced(data, key, section=SECTION, kind=list), Severity.values, f"{SECTION}.{key}")
            )
        elif key == "low_rating_threshold":
            try:
                values[key] = Decimal(str(sourced(data, key, section=SECTION, kind=(int, float, str))))
            except InvalidOperation:
                raise ValidationError(_("'%(key)s' is a number.") % {"key": f"{SECTION}.{key}"}) from None
        else:
            value = sourced(data, key, section=SECTION, kind=int)
            if value < 1:
                raise ValidationError(_("'%(key)s' is at least 1.") % {"key": f"{SECTION}.{key}"})
            values[key] = value
    return Rules(**values)


def apply(*, region, data: dict, acting_user=None) -> None:
    """Write the pack's checklists as rows. Items are matched by code so inspections that judged
    them keep pointing at them; what the pack no longer lists is put out of force, not deleted."""
    from policies.models import PolicySection

    from .models import Checklist, ChecklistItem

    parsed = parse(data)
    pack_region = region
    # The section row is saved before its rows are applied: it names the pack.
    pack = (
        PolicySection.objects.filter(region=region, section=SECTION)
        .values_list("pack__name", flat=True)
        .first()
        or ""
    )
    with transaction.atomic():
        kept_lists, kept_items = [], []
        for row in parsed.checklists:
            checklist, _created = Checklist.objects.update_or_create(
                code=row["code"],
                defaults={
                    "title": row["title"],
                    "region": pack_region,
                    "pack": pack,
                    "purpose": row["purpose"],
                    "facility_kinds": row["facility_kinds"],
                    "service_kinds": row["service_kinds"],
                    "ownerships": row["ownerships"],
                    "source": row["source"],
                    "active": True,
                },
            )
            kept_lists.append(checklist.pk)
            for position, item in enumerate(row["items"], start=1):
                obj, _created = ChecklistItem.objects.update_or_create(
                    code=item["code"],
                    defaults={**item, "checklist": checklist, "position": position, "active": True},
                )
                kept_items.append(obj.pk)
        Checklist.objects.filter(region=pack_region).exclude(pk__in=kept_lists).update(active=False)
        ChecklistItem.objects.filter(checklist__region=pack_region).exclude(pk__in=kept_items).update(
            active=False
        )


@policy_section(SECTION, defaults=defaults, apply=apply)
def parse(data: dict) -> SupervisionSettings:
    rows = sourced(data, "checklists", section=SECTION, kind=list, default=[])
    seen_lists: set[str] = set()
    seen_items: set[str] = set()
    checklists = []
    for i, row in enumerate(rows):
        where = f"{SECTION}.checklists[{row.get('code', i) if isinstance(row, dict) else i}]"
        if not isinstance(row, dict):
            raise ValidationError(_("%(where)s is a mapping.") % {"where": where})
        parsed = _parse_checklist(row, where, seen_items)
        if parsed["code"] in seen_lists:
            raise ValidationError(
                _("%(where)s repeats the code %(code)s.") % {"where": where, "code": parsed["code"]}
            )
        seen_lists.add(parsed["code"])
        checklists.append(parsed)
    return SupervisionSettings(checklists=tuple(checklists), rules=_parse_rules(data), scoring=_parse_scoring(data))


def _percent(value, where: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = None
    if number is None or isinstance(value, bool) or not 0 < number <= 100:
        raise ValidationError(_("'%(key)s' is a share of the points, above 0 and at most 100.") % {"key": where})
    return number


def _parse_scoring(data: dict) -> Scoring:
    passing = sourced(data, "review_pass_score", section=SECTION, kind=(int, float, str), default=None)
    levels = sourced(data, "star_levels", section=SECTION, kind=list, default=None)
    if levels is not None:
        parsed = tuple(_percent(v, f"{SECTION}.star_levels") for v in levels)
        if len(parsed) != 5 or list(parsed) != sorted(set(parsed)):
            raise ValidationError(
                _("'%(key)s' lists the lowest score (%%) of 1, 2, 3, 4 and 5 stars, each above the one before.")
                % {"key": f"{SECTION}.star_levels"}
            )
        levels = parsed
    return Scoring(
        review_pass_score=None if passing is None else _percent(passing, f"{SECTION}.review_pass_score"),
        star_levels=levels,
    )

def _national() -> SupervisionSettings | None:
    from policies.models import PolicySection

    key = f"supervision:national:{policies_version()}"
    found = cache.get(key)
    if found is None:
        row = PolicySection.objects.filter(region__isnull=True, section=SECTION).first()
        found = parse(row.data) if row is not None else None
        cache.set(key, found or "none", 300)
    return None if found == "none" else found


def _national_rules() -> Rules | None:
    national = _national()
    return national.rules if national else None


def scoring_rules(region_code: str) -> Scoring:
    """The pass score of operator reviews and the star levels in force at a region: each from the
    nearest pack that sets it, else the national pack's."""
    own = get_section(region_code, SECTION).scoring
    national = _national()
    fallback = national.scoring if national else Scoring(None, None)
    scoring = Scoring(
        own.review_pass_score if own.review_pass_score is not None else fallback.review_pass_score,
        own.star_levels or fallback.star_levels,
    )
    if scoring.review_pass_score is None or scoring.star_levels is None:
        raise ValidationError(
            _("No supervision rules are loaded: load the national policy pack (load_policy_pack national).")
        )
    return scoring


def supervision_rules(region_code: str) -> Rules:
    """The rules in force at a region: the nearest pack that sets them, else the national pack's."""
    rules = get_section(region_code, SECTION).rules or _national_rules()
    if rules is None:
        raise ValidationError(
            _("No supervision rules are loaded: load the national policy pack (load_policy_pack national).")
        )
    return rules
