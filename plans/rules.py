"""Pure rules of targets and tasks: where a task stands, whether a target is met. No database."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from regions.choices import DepartmentKind

from .choices import Comparison, Progress, TaskStatus

_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Text as the source check compares it: no whitespace, full- and half-width forms unified."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or ""))


def occurs_in(part: str, whole: str) -> bool:
    return normalise(part) in normalise(whole)


_NUMERALS = {1: "一", 2: "二两", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九", 10: "十"}


def number_in_text(value: Decimal, text: str) -> bool:
    """Whether a document's excerpt states this number (1200, 24万, 5万, 0.12, 100%, 一所)."""
    flat = normalise(text)
    value = Decimal(value)
    forms = {format(value.normalize(), "f")}
    if value == value.to_integral_value():
        forms.add(str(int(value)))
        if value >= 10_000:
            forms.add(format((value / 10_000).normalize(), "f") + "万")
    if any(re.search(rf"(?<![\d.]){re.escape(f)}(?![\d])", flat) for f in forms):
        return True
    # Small counts are often written in words: 至少建一所, 配置两名.
    return (
        any(ch in flat for ch in _NUMERALS.get(int(value), ""))
        if value == value.to_integral_value()
        else False
    )


def assignment_overdue(*, deadline: date | None, status: str, on: date) -> bool:
    """A unit's part is overdue once its deadline has passed and it has not reported it done."""
    return deadline is not None and on > deadline and status != TaskStatus.DONE


def task_status(statuses: Iterable[str]) -> str:
    """A task is done when every responsible unit has reported its part done."""
    statuses = list(statuses)
    if statuses and all(s == TaskStatus.DONE for s in statuses):
        return TaskStatus.DONE
    if all(s == TaskStatus.NOT_STARTED for s in statuses):
        return TaskStatus.NOT_STARTED
    return TaskStatus.IN_PROGRESS


def is_met(*, comparison: str, target: Decimal, value: Decimal) -> bool:
    return value <= target if comparison == Comparison.AT_MOST else value >= target


def progress_status(
    *,
    comparison: str,
    target: Decimal,
    deadline: date,
    value: Decimal | None,
    on: date,
    missed_step: bool = False,
) -> str:
    """met / missed / at_risk / on_track / no_data for a target's figure on a day.

    At risk: a yearly step was missed, or less than a year is left with more than a tenth of the
    target still to go.
    """
    if value is None:
        return Progress.NO_DATA
    if is_met(comparison=comparison, target=target, value=value):
        return Progress.MET
    if on > deadline:
        return Progress.MISSED
    if missed_step:
        return Progress.AT_RISK
    if comparison == Comparison.AT_MOST:
        gap = (value - target) / target if target else Decimal(1)
    else:
        gap = (target - value) / target if target else Decimal(0)
    if (deadline - on).days < 365 and gap > Decimal("0.1"):
        return Progress.AT_RISK
    return Progress.ON_TRACK


@dataclass(frozen=True)
class UnitRef:
    """A responsible unit as a pack names it: a unit of the pack's region, or a collective
    (`each`: one unit per division at that level, plus `also`, minus the codes in `exclude`)."""

    name: str
    each: str = ""
    also: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    kind: str = ""


_GOVERNMENT_SUFFIXES = ("人民政府", "管委会", "政府")
_OTHER_SUFFIXES = ("学院", "学校", "集团", "分行", "分局", "成员单位", "人行", "团市委")


def kind_of_unit(name: str) -> str:
    """What kind of body a unit is, from how its name ends (人民政府, 学院, 分行 ...)."""
    if name.endswith(_GOVERNMENT_SUFFIXES):
        return DepartmentKind.GOVERNMENT
    if name.endswith(_OTHER_SUFFIXES):
        return DepartmentKind.OTHER
    return DepartmentKind.DEPARTMENT


def units_text(refs: Iterable[UnitRef]) -> str:
    """The units as the document lists them."""
    return "、".join(ref.name for ref in refs)
