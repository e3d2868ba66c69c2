"""The facilities section of a policy pack (policy_packs/<city>/facilities.yaml).

Construction and staffing standards per facility kind, the residential space standard, and
the priority tiers of the public wait-list. Every number is data from a city's document.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

import conditions
from policies.grades import DEFAULT as DEFAULT_GRADES
from policies.grades import grade_mapping, resolve
from policies.sections import policy_section, sourced
from policies.selectors import get_section

from .choices import FacilityKind

SECTION = "facilities"

# What a construction standard may test; shares are percentages.
METRICS = (
    "beds",
    "nursing_beds",
    "nursing_bed_share",
    "floor_area_m2",
    "land_area_mu",
    "staff",
    "caregivers",
)
CARE_GROUPS = ("disabled", "semi_disabled", "self_care")


@dataclass(frozen=True)
class StandardRule:
    metric: str
    minimum: Decimal


@dataclass(frozen=True)
class Staffing:
    applies_to: tuple[str, ...]
    residents_per_caregiver: dict[str, Decimal]  # care group -> residents one caregiver looks after
    grade_groups: dict[int, str]  # ability grade -> care group: the pack's grade mapping (assessment.yaml)
    unassessed_as: str
    source: str


ESTATES = ("new", "old", "rural")  # new estates, old estates (urban communities), villages
MEASURES = ("floor", "land")  # 建筑面积 of the facilities, or their 用地 (land)


@dataclass(frozen=True)
class SpaceStandard:
    """The residential space standard. Each figure is per estate kind; a kind the document does
    not cover has no requirement (吉林's 0.12 m² is for new districts and estates only)."""

    per_100_households: dict[str, Decimal]  # estate -> m² per 100 households
    per_resident: dict[str, Decimal]  # estate -> m² per resident
    min_site_m2: dict[str, Decimal]  # estate -> smallest floor area a site may have
    measure: str  # "floor": compare with the facilities' floor area; "land": with their land
    kinds: tuple[str, ...]  # facilities whose space counts as elder-care space
    source: str


@dataclass(frozen=True)
class Tier:
    code: str
    label: str
    condition: dict | None  # None: everyone (the last tier)


@dataclass(frozen=True)
class FacilitySettings:
    standards: dict[str, tuple[StandardRule, ...]]
    standards_source: str
    staffing: Staffing | None
    space: SpaceStandard | None
    tiers: tuple[Tier, ...]
    tiers_source: str


def _number(value, where: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        number = None
    if number is None or isinstance(value, bool) or number < 0:
        raise ValidationError(_("%(where)s: a non-negative number is needed.") % {"where": where})
    return number


def _source(data: dict, key: str) -> str:
    entry = data.get(key)
    return str(entry.get("source", "")) if isinstance(entry, dict) else ""


def _parse_standards(raw: dict) -> dict[str, tuple[StandardRule, ...]]:
    out = {}
    for kind, rules in (raw or {}).items():
        if kind not in FacilityKind.values:
            raise ValidationError(_("facilities.standards: unknown facility kind '%(k)s'.") % {"k": kind})
        if not isinstance(rules, list):
            raise ValidationError(_("facilities.standards.%(k)s: a list of rules.") % {"k": kind})
        parsed = []
        for i, rule in enumerate(rules):
            where = f"facilities.standards.{kind}[{i}]"
            if not isinstance(rule, dict) or rule.get("metric") not in METRICS or "min" not in rule:
                raise ValidationError(
                    _("%(where)s: needs 'metric' (one of %(metrics)s) and 'min'.")
                    % {"where": where, "metrics": ", ".join(METRICS)}
                )
            parsed.append(StandardRule(rule["metric"], _number(rule["min"], where)))
        out[kind] = tuple(parsed)
    return out


def _parse_staffing(raw: dict | None, source: str) -> Staffing | None:
    if not raw:
        return None
    where = "facilities.staffing"
    ratios = raw.get("residents_per_caregiver") or {}
    if set(ratios) != set(CARE_GROUPS):
        raise ValidationError(
            _("%(where)s.residents_per_caregiver needs %(groups)s.")
            % {"where": where, "groups": ", ".join(CARE_GROUPS)}
        )
    if "grade_groups" in raw:
        # One mapping per pack: which grades are 失能/半失能/自理 is said once, in assessment.yaml.
        raise ValidationError(
            _(
                "%(where)s: which grades are disabled, semi-disabled or self-care is the pack's grade "
                "mapping ('grades' in assessment.yaml), not a setting of the staffing rule."
            )
            % {"where": where}
        )
    unassessed = raw.get("unassessed_as", "self_care")
    if unassessed not in CARE_GROUPS:
        raise ValidationError(_("%(where)s.unassessed_as: unknown care group.") % {"where": where})
    kinds = tuple(raw.get("applies_to") or ())
    if set(kinds) - set(FacilityKind.values):
        raise ValidationError(_("%(where)s.applies_to: unknown facility kind.") % {"where": where})
    per = {}
    for group, value in ratios.items():
        per[group] = _number(value, f"{where}.residents_per_caregiver.{group}")
        if per[group] == 0:
            raise ValidationError(_("%(where)s: a ratio cannot be zero.") % {"where": where})
    return Staffing(kinds, per, dict(DEFAULT_GRADES.levels), unassessed, source)


def _per_estate(raw, where: str) -> dict[str, Decimal]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raw = {"new": raw, "old": raw}  # one figure for every urban estate
    unknown = set(raw) - set(ESTATES)
    if unknown:
        raise ValidationError(
            _("%(where)s: estates are %(known)s.") % {"where": where, "known": ", ".join(ESTATES)}
        )
    return {estate: _number(value, f"{where}.{estate}") for estate, value in raw.items()}


def _parse_space(raw: dict | None, source: str) -> SpaceStandard | None:
    if not raw:
        return None
    where = "facilities.space"
    per_households = _per_estate(raw.get("per_100_households"), f"{where}.per_100_households")
    per_resident = _per_estate(raw.get("per_resident"), f"{where}.per_resident")
    min_site = _per_estate(raw.get("min_site_m2"), f"{where}.min_site_m2")
    measure = raw.get("measure", "floor")
    if measure not in MEASURES:
        raise ValidationError(_("%(where)s.measure is 'floor' or 'land'.") % {"where": where})
    kinds = tuple(raw.get("kinds") or ())
    if not kinds or set(kinds) - set(FacilityKind.values):
        raise ValidationError(_("%(where)s.kinds: the facility kinds whose space counts.") % {"where": where})
    if not per_households and not per_resident and not min_site:
        raise ValidationError(
            _("%(where)s needs 'per_100_households', 'per_resident' or 'min_site_m2'.") % {"where": where}
        )
    return SpaceStandard(per_households, per_resident, min_site, measure, kinds, source)


def _parse_tiers(raw: list) -> tuple[Tier, ...]:
    tiers = []
    codes = set()
    for i, row in enumerate(raw or []):
        where = f"facilities.waitlist_tiers[{i}]"
        if not isinstance(row, dict) or not row.get("code") or not row.get("label"):
            raise ValidationError(_("%(where)s needs 'code' and 'label'.") % {"where": where})
        if row["code"] in codes:
            raise ValidationError(_("%(where)s: the code is used twice.") % {"where": where})
        codes.add(row["code"])
        cond = row.get("condition")
        if cond is not None:
            conditions.validate(cond, path=f"{where}.condition")
        tiers.append(Tier(str(row["code"]), str(row["label"]), cond))
    if not tiers or tiers[-1].condition is not None:
        raise ValidationError(_("facilities.waitlist_tiers: the last tier has no condition (everyone else)."))
    return tuple(tiers)


def defaults() -> FacilitySettings:
    return FacilitySettings({}, "", None, None, DEFAULT_TIERS, "东莞方案：入住评估轮候")


@policy_section(SECTION, defaults=defaults)
def parse(data: dict) -> FacilitySettings:
    standards = _parse_standards(sourced(data, "standards", section=SECTION, kind=dict, default={}))
    staffing = _parse_staffing(
        sourced(data, "staffing", section=SECTION, kind=dict, default=None), _source(data, "staffing")
    )
    space = _parse_space(
        sourced(data, "space", section=SECTION, kind=dict, default=None), _source(data, "space")
    )
    tiers_raw = sourced(data, "waitlist_tiers", section=SECTION, kind=list, default=None)
    tiers = _parse_tiers(tiers_raw) if tiers_raw is not None else defaults().tiers
    return FacilitySettings(
        standards,
        _source(data, "standards"),
        staffing,
        space,
        tiers,
        _source(data, "waitlist_tiers") if tiers_raw is not None else defaults().tiers_source,
    )


# The national concept (民政部 入住评估轮候, as 东莞 writes it): 特困 first, then the poor
# families' 失能/孤寡/残疾/高龄 elders, family-planning special families, entitled groups,
# special contribution, then everyone else by date.
_POOR = ["dibao", "near_dibao", "expenditure_hardship"]
DEFAULT_TIERS = (
    Tier("extreme_poverty", "特困人员", {"fact": "economic_status", "op": "eq", "value": "extreme_poverty"}),
    Tier(
        "poor_vulnerable",
        "低保/低保边缘/支出型困难家庭的失能、孤寡、残疾、高龄老年人",
        {
            "all": [
                {"fact": "economic_status", "op": "in", "value": _POOR},
                {
                    "any": [
                        {"fact": "ability_grade", "op": "gte", "value": 3},
                        {
                            "fact": "categories",
                            "op": "has_any",
                            "value": ["childless_widowed", "severe_disability", "high_age"],
                        },
                        {"fact": "disability_grade", "op": "gte", "value": 1},
                    ]
                },
            ]
        },
    ),
    Tier(
        "family_planning_special",
        "计划生育特殊家庭老年人",
        {"fact": "categories", "op": "has", "value": "family_planning_special"},
    ),
    Tier("veteran", "优抚对象", {"fact": "categories", "op": "has", "value": "veteran"}),
    Tier(
        "special_contribution",
        "作出特殊贡献的老年人",
        {"fact": "categories", "op": "has", "value": "special_contribution"},
    ),
    Tier("general", "其他申请人", None),
)


def raw_facility_settings(region_code: str) -> FacilitySettings:
    """The section in force at a region as the pack writes it: what the bureau's standards form edits."""
    return get_section(region_code, SECTION)


def facility_settings(region_code: str) -> FacilitySettings:
    """The section in force at a region, read with the grade mapping in force there: the staffing
    groups and the tiers' 自理/半失能/失能 tests follow assessment.yaml's `grades`."""
    found = get_section(region_code, SECTION)
    mapping = grade_mapping(region_code)
    return replace(
        found,
        staffing=replace(found.staffing, grade_groups=dict(mapping.levels)) if found.staffing else None,
        tiers=tuple(replace(t, condition=resolve(t.condition, mapping)) for t in found.tiers),
    )
