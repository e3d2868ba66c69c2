"""The assessments' fact for the condition language: the current ability grade."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from conditions import NUM_OPS, fact

from .selectors import alias_grade, current_grade


@fact(
    "ability_grade",
    label=_("ability grade"),
    kind="int",
    ops=NUM_OPS | {"is_null"},
    lookup="ability_grade",
    annotate=alias_grade,
)
def ability_grade(elder, on: date) -> int | None:
    found = current_grade(elder, on)
    return None if found is None else found.grade
