"""The assessments' facts for the condition language: the current ability grade and its 自理/半失能/失能."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from conditions import CHOICE_OPS, NUM_OPS, fact
from policies.grades import FACT, LEVELS, grade_mapping

from .choices import Grade
from .selectors import alias_grade, current_grade


@fact(
    "ability_grade",
    label=_("ability grade"),
    kind="int",
    ops=NUM_OPS | {"is_null"},
    choices=Grade.choices,
    lookup="ability_grade",
    annotate=alias_grade,
)
def ability_grade(elder, on: date) -> int | None:
    found = current_grade(elder, on)
    return None if found is None else found.grade


def _self_care_q(op, value, on):
    # 自理/半失能/失能 depend on the pack in force where the condition applies: the section that
    # holds the condition resolves it to ability grades (policies.grades.resolve) before a query.
    raise ValueError("A 'self_care' condition is resolved to ability grades before it is queried.")


@fact(
    FACT,
    label=_("self-care level"),
    kind="choice",
    ops=CHOICE_OPS,
    choices=tuple(LEVELS.items()),
    to_q=_self_care_q,
)
def self_care(elder, on: date) -> str | None:
    """自理 / 半失能 / 失能 of the elder's current grade, by the grade mapping where they live."""
    return grade_mapping(elder.residence_id).level_of(ability_grade(elder, on))
