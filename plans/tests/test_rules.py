"""The pure rules: quotes that state a number, overdue parts, a task's status, a target's status."""

from datetime import date
from decimal import Decimal

import pytest

from plans.choices import Progress, TaskStatus
from plans.rules import assignment_overdue, normalise, number_in_text, progress_status, task_status


@pytest.mark.parametrize(
    ("value", "text", "found"),
    [
        (1200, "不少于1200家", True),
        (120, "不少于1200家", False),
        (240000, "养老床位总数达到24万张", True),
        (50000, "不少于5万人次", True),
        (Decimal("0.12"), "人均用地不少于0.12平方米", True),
        (100, "月探访率达到100%", True),
        (10, "月探访率达到100%", False),
        (3, "培育3家以上", True),
    ],
)
def test_a_quote_states_a_number_only_as_written(value, text, found):
    assert number_in_text(Decimal(value), text) is found


def test_normalise_ignores_whitespace_and_width():
    assert normalise("（责任单位：市民政局）\n 100％") == normalise("(责任单位:市民政局)100%")


def test_overdue_only_after_the_deadline_and_while_not_done():
    deadline = date(2027, 7, 1)
    assert not assignment_overdue(deadline=deadline, status=TaskStatus.IN_PROGRESS, on=deadline)
    assert assignment_overdue(deadline=deadline, status=TaskStatus.IN_PROGRESS, on=date(2027, 7, 2))
    assert not assignment_overdue(deadline=deadline, status=TaskStatus.DONE, on=date(2027, 7, 2))
    assert not assignment_overdue(deadline=None, status=TaskStatus.NOT_STARTED, on=date(2099, 1, 1))


def test_a_task_is_done_when_every_unit_has_done_its_part():
    assert task_status([TaskStatus.DONE, TaskStatus.DONE]) == TaskStatus.DONE
    assert task_status([TaskStatus.DONE, TaskStatus.NOT_STARTED]) == TaskStatus.IN_PROGRESS
    assert task_status([TaskStatus.NOT_STARTED]) == TaskStatus.NOT_STARTED


def test_target_status():
    on = date(2026, 12, 1)
    kwargs = {"comparison": "at_least", "target": Decimal(100), "on": on}
    assert progress_status(deadline=date(2025, 12, 31), value=Decimal(60), **kwargs) == Progress.MISSED
    assert progress_status(deadline=date(2025, 12, 31), value=Decimal(100), **kwargs) == Progress.MET
    assert progress_status(deadline=date(2027, 6, 30), value=Decimal(60), **kwargs) == Progress.AT_RISK
    assert progress_status(deadline=date(2028, 6, 30), value=Decimal(60), **kwargs) == Progress.ON_TRACK
    assert (
        progress_status(deadline=date(2028, 6, 30), value=Decimal(60), missed_step=True, **kwargs)
        == Progress.AT_RISK
    )
    assert progress_status(deadline=date(2028, 6, 30), value=None, **kwargs) == Progress.NO_DATA
    at_most = {"comparison": "at_most", "target": Decimal(0), "on": on, "deadline": date(2025, 12, 31)}
    assert progress_status(value=Decimal(0), **at_most) == Progress.MET
    assert progress_status(value=Decimal(4), **at_most) == Progress.MISSED
