"""The registry's facts for the condition language: age, categories, circumstances, where."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from conditions import CHOICE_OPS, NUM_OPS, SET_OPS, column_fact, fact
from regions.choices import Kind

from . import rules
from .choices import Category, DisabilityGrade, EconomicStatus, LivingArrangement, Sex, Status
from .selectors import age_band_q, category_q


def _age_q(op: str, value: Any, on: date) -> Q:
    match op:
        case "gte":
            return age_band_q(value, None, on)
        case "gt":
            return age_band_q(value + 1, None, on)
        case "lte":
            return age_band_q(None, value, on)
        case "lt":
            return age_band_q(None, value - 1, on)
        case "eq":
            return age_band_q(value, value, on)
        case "ne":
            return ~age_band_q(value, value, on)
        case "between":
            return age_band_q(value[0], value[1], on)
        case "in":
            q = Q(pk__in=[])
            for v in value:
                q |= age_band_q(v, v, on)
            return q
        case "not_in":
            q = Q()
            for v in value:
                q &= ~age_band_q(v, v, on)
            return q
    raise ValueError(op)


def _categories_q(op: str, value: Any, on: date) -> Q:
    if op == "has":
        return category_q(value, on)
    if op == "has_any":
        q = Q(pk__in=[])
        for v in value:
            q |= category_q(v, on)
        return q
    q = Q()
    for v in value:
        q &= category_q(v, on)
    return q


@fact("age", label=_("age"), kind="int", ops=NUM_OPS, to_q=_age_q)
def elder_age(elder, on: date) -> int:
    return rules.age_on(elder.birth_date, on)


@fact(
    "categories",
    label=_("categories"),
    kind="set",
    ops=SET_OPS,
    choices=Category.choices,
    to_q=_categories_q,
)
def elder_categories(elder, on: date) -> set[str]:
    return set(elder.categories(on))


for name, label, kind, ops, choices in (
    ("living_arrangement", _("living arrangement"), "choice", CHOICE_OPS, LivingArrangement.choices),
    ("economic_status", _("economic status"), "choice", CHOICE_OPS, EconomicStatus.choices),
    ("disability_grade", _("disability grade"), "int", NUM_OPS, DisabilityGrade.choices),
    ("sex", _("sex"), "choice", CHOICE_OPS, Sex.choices),
    ("status", _("status"), "choice", CHOICE_OPS, Status.choices),
):
    column_fact(name, name, label=label, kind=kind, ops=ops, choices=choices)
# 城市 or 农村 as the division codes say: a residents' committee (居委会) is urban, a villagers'
# committee (村委会) rural (regions.rules.kind_of_village).
column_fact(
    "residence_kind",
    "residence__kind",
    attribute="residence.kind",
    label=_("urban or rural (residents' or villagers' committee)"),
    kind="choice",
    ops=CHOICE_OPS,
    choices=Kind.values,
)
column_fact(
    "residence",
    "residence__code",
    attribute="residence_id",
    label=_("residence"),
    kind="region",
    ops={"under"},
)
column_fact(
    "hukou",
    "hukou_region__code",
    attribute="hukou_region_id",
    label=_("household registration (hukou)"),
    kind="region",
    ops={"under", "is_null"},
)
