"""GB/T 42195-2022 scoring: pure functions, no database. Scores are computed only here."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .instrument import INDICATORS, ITEM_CODES, ITEMS_BY_CODE

GRADE_LABELS = {
    0: gettext_lazy("Intact"),  # 能力完好
    1: gettext_lazy("Mild impairment"),  # 轻度失能
    2: gettext_lazy("Moderate impairment"),  # 中度失能
    3: gettext_lazy("Severe impairment"),  # 重度失能
    4: gettext_lazy("Complete impairment"),  # 完全失能
}
MAX_GRADE = 4
# The lowest total of each grade (GB/T 42195-2022 Table 2), best grade first; the page's
# live scoring (static/js/scoring.js) reads these same numbers, so both always agree.
GRADE_FLOORS: tuple[tuple[int, int], ...] = ((90, 0), (66, 1), (46, 2), (30, 3), (0, 4))
RISK_EVENTS_RAISE = 2  # care-risk events in 30 days that raise the grade by one
RISK_EVENT_KINDS = ("fall", "choking", "self_harm", "wandering", "other")


class ItemErrors(ValueError):
    """Bad item scores, keyed by item code; the messages are for the assessor."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def item_errors(items: dict, *, require_all: bool = True) -> dict[str, str]:
    errors: dict[str, str] = {}
    for code, value in items.items():
        if code not in ITEMS_BY_CODE:
            errors[code] = _("%(code)s is not an item of GB/T 42195-2022.") % {"code": code}
            continue
        top = ITEMS_BY_CODE[code].max_score
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
            errors[code] = _("%(code)s %(name)s is scored 0 to %(max)d; got %(value)s.") % {
                "code": code,
                "name": ITEMS_BY_CODE[code].name,
                "max": top,
                "value": value,
            }
    if require_all:
        for code in ITEM_CODES:
            if code not in items:
                errors[code] = _("%(code)s %(name)s is not scored.") % {
                    "code": code,
                    "name": ITEMS_BY_CODE[code].name,
                }
    return errors


def check_items(items: dict, *, require_all: bool = True) -> None:
    errors = item_errors(items, require_all=require_all)
    if errors:
        raise ItemErrors(errors)


def subtotals(items: dict[str, int]) -> dict[str, int]:
    """B.1 ... B.4 from the items given (missing items count as not yet scored)."""
    out = {ind.code: 0 for ind in INDICATORS}
    for code, value in items.items():
        out[code[:3]] += value
    return out


def preliminary_grade(total: int) -> int:
    """90 intact; 66-89 mild; 46-65 moderate; 30-45 severe; 0-29 complete impairment."""
    if not 0 <= total <= 90:
        raise ValueError(f"total out of range: {total}")
    return next(grade for floor, grade in GRADE_FLOORS if total >= floor)


@dataclass(frozen=True)
class Conditions:
    coma: bool = False
    dementia: bool = False  # ICD-10 F00-F03
    psychiatric: bool = False  # another diagnosis F04-F99
    risk_events_30d: int = 0  # falls, choking, self-harm, wandering off ... in the last 30 days


@dataclass(frozen=True)
class Result:
    subtotals: dict[str, int]
    total: int | None
    preliminary_grade: int | None
    grade: int
    adjustments: list[str] = field(default_factory=list)


def final_grade(preliminary: int, conditions: Conditions, *, stack: bool) -> tuple[int, list[str]]:
    """Apply the standard's changes of grade (GB/T 42195-2022, C.4 能力等级变更依据).

    A coma is complete impairment without scoring. C.4 has two raising clauses: a diagnosis
    (dementia F00-F03 or another psychiatric disorder F04-F99, one clause) and two or more
    care-risk events in 30 days. With `stack` each clause that holds raises once; without it,
    any number of them raise once (the pack says which, with its reading).
    """
    if conditions.coma:
        return MAX_GRADE, [str(_("coma: complete impairment without scoring"))]
    reasons = []
    clauses = 0
    if conditions.dementia or conditions.psychiatric:
        clauses += 1
        if conditions.dementia:
            reasons.append(str(_("diagnosed dementia")))
        if conditions.psychiatric:
            reasons.append(str(_("another psychiatric diagnosis")))
    if conditions.risk_events_30d >= RISK_EVENTS_RAISE:
        clauses += 1
        reasons.append(
            str(_("%(n)d care-risk events in the last 30 days") % {"n": conditions.risk_events_30d})
        )
    raises = clauses if stack else min(1, clauses)
    return min(MAX_GRADE, preliminary + raises), reasons


def score(items: dict[str, int], conditions: Conditions, *, stack: bool) -> Result:
    """The whole assessment: a coma needs no items; otherwise all 26 must be valid."""
    if conditions.coma:
        check_items(items, require_all=False)
        grade, reasons = final_grade(MAX_GRADE, conditions, stack=stack)
        sub = subtotals(items)
        return Result(sub, None, None, grade, reasons)
    check_items(items)
    sub = subtotals(items)
    total = sum(sub.values())
    pre = preliminary_grade(total)
    grade, reasons = final_grade(pre, conditions, stack=stack)
    return Result(sub, total, pre, grade, reasons)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def valid_until(assessed_on: date, interval_months: int) -> date:
    """The last day the result counts: the day before the same date interval months later."""
    from datetime import timedelta

    return add_months(assessed_on, interval_months) - timedelta(days=1)


def page_scoring(*, stack: bool) -> dict:
    """What the assessment page needs to score in the browser exactly as score() does."""
    return {
        "items": [[item.code, item.max_score] for item in ITEMS_BY_CODE.values()],
        "indicators": [ind.code for ind in INDICATORS],
        "floors": [list(pair) for pair in GRADE_FLOORS],
        "max_grade": MAX_GRADE,
        "risk_events_raise": RISK_EVENTS_RAISE,
        "stack": stack,
        "labels": {str(grade): str(label) for grade, label in GRADE_LABELS.items()},
    }


def grade_label(grade: int | None) -> str:
    return "" if grade is None else str(GRADE_LABELS[grade])
