"""The one grade mapping of a pack: ability grades ↔ the documents' words.

GB/T 42195-2022 grades 0-4 are named 能力完好 / 轻度失能 / 中度失能 / 重度失能 / 完全失能; the
city documents speak of 自理 / 半失能 / 失能 instead. Each pack's `assessment.yaml` says once
which grade is which (`grades`), and everything that speaks of 自理 / 半失能 / 失能 reads it:
subsidy amounts by self-care level, facility staffing ratios, the visit target group, wait-list
tiers, catalogue target groups and the monthly report. Conditions in a pack may test
`{fact: self_care, op: in, value: [disabled]}`; `resolve` turns that into the ability grades of
the mapping in force where the condition applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SELF_CARE = "self_care"
SEMI_DISABLED = "semi_disabled"
DISABLED = "disabled"
LEVELS = {
    SELF_CARE: gettext_lazy("self-care (自理)"),
    SEMI_DISABLED: gettext_lazy("semi-disabled (半失能)"),
    DISABLED: gettext_lazy("disabled (失能)"),
}
FACT = "self_care"


@dataclass(frozen=True)
class GradeMapping:
    names: dict[int, str]  # grade -> the standard's word (能力完好 ...)
    levels: dict[int, str]  # grade -> self_care / semi_disabled / disabled

    def level_of(self, grade: int | None) -> str | None:
        return None if grade is None else self.levels.get(grade)

    def grades_of(self, *levels: str) -> list[int]:
        return sorted(g for g, level in self.levels.items() if level in levels)


# The national baseline (policy_packs/national/assessment.yaml says why): 能力完好 is 自理,
# 轻度 and 中度失能 are 半失能, 重度 and 完全失能 are 失能.
DEFAULT = GradeMapping(
    names={0: "能力完好", 1: "轻度失能", 2: "中度失能", 3: "重度失能", 4: "完全失能"},
    levels={0: SELF_CARE, 1: SEMI_DISABLED, 2: SEMI_DISABLED, 3: DISABLED, 4: DISABLED},
)


def parse_grades(raw: Any, *, where: str = "assessment.grades") -> GradeMapping:
    """`{0: {name: 能力完好, level: self_care}, ...}` for grades 0-4, each level used at least once."""
    if not isinstance(raw, dict):
        raise ValidationError(_("%(where)s maps the grades 0-4.") % {"where": where})
    names: dict[int, str] = {}
    levels: dict[int, str] = {}
    for key, row in raw.items():
        try:
            grade = int(key)
        except (TypeError, ValueError):
            grade = -1
        if grade not in range(5) or not isinstance(row, dict) or not row.get("name"):
            raise ValidationError(_("%(where)s: each grade 0-4 has a name and a level.") % {"where": where})
        if row.get("level") not in LEVELS:
            raise ValidationError(
                _("%(where)s.%(grade)s: the level is one of %(levels)s.")
                % {"where": where, "grade": grade, "levels": ", ".join(LEVELS)}
            )
        names[grade], levels[grade] = str(row["name"]), row["level"]
    if set(names) != set(range(5)):
        raise ValidationError(_("%(where)s: each grade 0-4 has a name and a level.") % {"where": where})
    order = [SELF_CARE, SEMI_DISABLED, DISABLED]
    if [order.index(levels[g]) for g in range(5)] != sorted(order.index(levels[g]) for g in range(5)):
        raise ValidationError(_("%(where)s: a higher grade cannot be a more able level.") % {"where": where})
    return GradeMapping(names, levels)


def resolve(cond: Any, mapping: GradeMapping) -> Any:
    """The condition with every `self_care` test replaced by the ability grades it means here."""
    if not isinstance(cond, dict):
        return cond
    if "all" in cond or "any" in cond:
        key = "all" if "all" in cond else "any"
        return {key: [resolve(c, mapping) for c in cond[key]]}
    if "not" in cond:
        return {"not": resolve(cond["not"], mapping)}
    if cond.get("fact") != FACT:
        return cond
    op, value = cond.get("op"), cond.get("value")
    wanted = value if isinstance(value, list) else [value]
    grades = mapping.grades_of(*wanted)
    negated = op in ("ne", "not_in")
    if not grades:
        # No grade is at that level: the test never holds (or, negated, holds for every graded elder).
        grades = [-1]
    return {"fact": "ability_grade", "op": "not_in" if negated else "in", "value": grades}


def grade_mapping(region_code: str | None) -> GradeMapping:
    """The mapping in force at a region (the nearest pack's assessment section, else national)."""
    from .selectors import get_section

    if region_code is None:
        from .models import PolicySection

        row = PolicySection.objects.filter(section="assessment", region__isnull=True).first()
        return row_mapping(row)
    return get_section(region_code, "assessment").grades


def fresh_grade_mapping(region_code: str | None) -> GradeMapping:
    """The same, read from the database without the cache (while a pack is being loaded)."""
    from .models import PolicySection
    from .selectors import section_row

    row = (
        section_row(region_code, "assessment")
        if region_code
        else PolicySection.objects.filter(section="assessment", region__isnull=True).first()
    )
    return row_mapping(row)


def row_mapping(row) -> GradeMapping:
    if row is None:
        return DEFAULT
    raw = (row.data or {}).get("grades")
    raw = raw.get("value") if isinstance(raw, dict) and "value" in raw else raw
    return parse_grades(raw) if raw else DEFAULT
