"""The visits section of a policy pack (policy_packs/<city>/visits.yaml)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from elders import conditions
from policies.sections import register_section, sourced

from .choices import VisitMethod, VisitOutcome

SECTION = "visits"


@dataclass(frozen=True)
class VisitSettings:
    target_group: dict  # a condition (elders/conditions.py)
    frequency: str  # "monthly" (the only frequency the rate is defined for so far)
    counted_methods: tuple[str, ...]
    counted_outcomes: tuple[str, ...]
    target_rate: int  # percent
    follow_up_days: int


def parse(data: dict) -> VisitSettings:
    target = sourced(data, "target_group", section=SECTION, kind=dict)
    conditions.validate(target, path="visits.target_group")
    frequency = sourced(data, "frequency", section=SECTION, kind=str)
    if frequency != "monthly":
        raise ValidationError(_("'visits.frequency' is 'monthly'."))
    methods = tuple(sourced(data, "counted_methods", section=SECTION, kind=list))
    outcomes = tuple(sourced(data, "counted_outcomes", section=SECTION, kind=list))
    if set(methods) - set(VisitMethod.values) or set(outcomes) - set(VisitOutcome.values):
        raise ValidationError(_("'visits.counted_methods/outcomes' use unknown codes."))
    rate = sourced(data, "target_rate", section=SECTION, kind=int)
    days = sourced(data, "follow_up_days", section=SECTION, kind=int)
    return VisitSettings(target, frequency, methods, outcomes, rate, days)


# 民政部等 2022: 独居、空巢、留守、失能、重残、计划生育特殊家庭 (失能 = ability grade 3-4).
DEFAULT_TARGET = {
    "any": [
        {
            "fact": "categories",
            "op": "has_any",
            "value": ["alone", "empty_nest", "left_behind", "severe_disability", "family_planning_special"],
        },
        {"fact": "ability_grade", "op": "gte", "value": 3},
    ]
}


def defaults() -> VisitSettings:
    return VisitSettings(
        target_group=DEFAULT_TARGET,
        frequency="monthly",
        counted_methods=tuple(VisitMethod.values),
        counted_outcomes=(VisitOutcome.NORMAL, VisitOutcome.PROBLEM),
        target_rate=100,
        follow_up_days=7,
    )


register_section(SECTION, parse=parse, defaults=defaults)


def visit_settings(region_code: str) -> VisitSettings:
    from policies.selectors import get_section

    return get_section(region_code, SECTION)
