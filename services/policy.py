"""The visits section of a policy pack (policy_packs/<city>/visits.yaml)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

import conditions
from policies.grades import grade_mapping, resolve
from policies.sections import policy_section, sourced
from policies.selectors import get_section

from . import catalogue
from .choices import ItemCategory, VisitMethod, VisitOutcome
from .models import Catalogue

SECTION = "visits"


@dataclass(frozen=True)
class VisitSettings:
    target_group: dict  # a condition (the conditions package)
    frequency: str  # "monthly" (the only frequency the rate is defined for so far)
    counted_methods: tuple[str, ...]
    counted_outcomes: tuple[str, ...]
    target_rate: int  # percent
    follow_up_days: int


def defaults() -> VisitSettings:
    return VisitSettings(
        target_group=DEFAULT_TARGET,
        frequency="monthly",
        counted_methods=tuple(VisitMethod.values),
        counted_outcomes=(VisitOutcome.NORMAL, VisitOutcome.PROBLEM),
        target_rate=100,
        follow_up_days=7,
    )


@policy_section(SECTION, defaults=defaults)
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


# 民政部等 2022: 独居、空巢、留守、失能、重残、计划生育特殊家庭 (失能 as the pack's grade mapping says).
DEFAULT_TARGET = {
    "any": [
        {
            "fact": "categories",
            "op": "has_any",
            "value": ["alone", "empty_nest", "left_behind", "severe_disability", "family_planning_special"],
        },
        {"fact": "self_care", "op": "eq", "value": "disabled"},
    ]
}


def raw_visit_settings(region_code: str) -> VisitSettings:
    """The section in force at a region as the pack writes it (自理/半失能/失能 unresolved): what
    the bureau's visit-rule form edits."""
    return get_section(region_code, SECTION)


def visit_settings(region_code: str) -> VisitSettings:
    """The section in force at a region; its target group's 失能 test reads the grade mapping there."""
    found = get_section(region_code, SECTION)
    return replace(found, target_group=resolve(found.target_group, grade_mapping(region_code)))


# --- the catalogue section (policy_packs/<city>/catalogue.yaml) --------------------------------

CATALOGUE_SECTION = "catalogue"


def catalogue_defaults() -> dict:
    return {"title": "", "version": "", "effective_from": None, "items": []}


def apply_catalogue(*, region, data: dict, acting_user=None) -> Catalogue:
    """Loading a pack writes its list (see catalogue.write_pack_catalogue)."""
    return catalogue.write_pack_catalogue(region=region, parsed=parse_catalogue(data))


@policy_section(CATALOGUE_SECTION, defaults=catalogue_defaults, apply=apply_catalogue)
def parse_catalogue(data: dict) -> dict:
    title = sourced(data, "title", section=CATALOGUE_SECTION, kind=str)
    version = str(sourced(data, "version", section=CATALOGUE_SECTION, kind=(str, int)))
    effective = sourced(data, "effective_from", section=CATALOGUE_SECTION, kind=(str, date))
    items = sourced(data, "items", section=CATALOGUE_SECTION, kind=list)
    seen = set()
    for i, item in enumerate(items):
        where = f"catalogue.items[{i}]"
        for key in ("code", "category", "name", "target_group"):
            if key not in item:
                raise ValidationError(_("%(where)s needs '%(key)s'.") % {"where": where, "key": key})
        if item["code"] in seen:
            raise ValidationError(
                _("%(where)s repeats the code %(code)s.") % {"where": where, "code": item["code"]}
            )
        seen.add(item["code"])
        if item["category"] not in ItemCategory.values:
            raise ValidationError(_("%(where)s has an unknown category.") % {"where": where})
        conditions.validate(item["target_group"], path=f"{where}.target_group")
        if item.get("standard_level") is not None:
            try:
                Decimal(str(item["standard_level"]))
            except InvalidOperation:
                raise ValidationError(_("%(where)s.standard_level is a number.") % {"where": where}) from None
    return {"title": title, "version": version, "effective_from": str(effective), "items": items}


def raw_catalogue(region_code: str) -> dict:
    """The list section in force at a region as the pack writes it (自理/半失能/失能 unresolved):
    what the bureau's list page edits."""
    return get_section(region_code, CATALOGUE_SECTION)
