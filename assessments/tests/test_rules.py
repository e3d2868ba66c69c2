"""GB/T 42195-2022 scoring: ranges, maxima, grade boundaries, adjustments."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments import rules
from assessments.instrument import INDICATORS, ITEMS, ITEMS_BY_CODE, TOTAL_MAX

FULL = {item.code: item.max_score for item in ITEMS}


def with_total(total: int) -> dict[str, int]:
    """An item vector summing to `total`, taking points away item by item."""
    items = dict(FULL)
    missing = TOTAL_MAX - total
    for item in ITEMS:
        take = min(missing, items[item.code])
        items[item.code] -= take
        missing -= take
    assert sum(items.values()) == total
    return items


def test_the_instrument_has_26_items_and_the_standards_maxima():
    assert len(ITEMS) == 26
    assert {i.code: i.max_score for i in INDICATORS} == {"B.1": 32, "B.2": 15, "B.3": 28, "B.4": 15}
    assert rules.subtotals(FULL) == {"B.1": 32, "B.2": 15, "B.3": 28, "B.4": 15}
    assert sum(FULL.values()) == TOTAL_MAX == 90
    assert all(len(i.anchors) == i.max_score + 1 for i in ITEMS)


@pytest.mark.parametrize("item", ITEMS, ids=lambda i: i.code)
def test_every_items_range_is_enforced(item):
    rules.check_items({**FULL, item.code: 0})
    rules.check_items({**FULL, item.code: item.max_score})
    for bad in (-1, item.max_score + 1, "3", 1.5, None, True):
        errors = rules.item_errors({**FULL, item.code: bad})
        assert set(errors) == {item.code}, bad


def test_missing_and_unknown_items_are_named():
    items = dict(FULL)
    del items["B.3.9"]
    items["B.5.1"] = 1
    errors = rules.item_errors(items)
    assert set(errors) == {"B.3.9", "B.5.1"}


@pytest.mark.parametrize(
    "total, grade", [(90, 0), (89, 1), (66, 1), (65, 2), (46, 2), (45, 3), (30, 3), (29, 4), (0, 4)]
)
def test_grade_boundaries(total, grade):
    assert rules.preliminary_grade(total) == grade
    result = rules.score(with_total(total), rules.Conditions(), stack=False)
    assert (result.total, result.preliminary_grade, result.grade) == (total, grade, grade)


def test_coma_is_complete_impairment_without_scoring():
    result = rules.score({}, rules.Conditions(coma=True), stack=False)
    assert result.grade == 4 and result.total is None and result.preliminary_grade is None


@pytest.mark.parametrize(
    "conditions",
    [
        rules.Conditions(dementia=True),
        rules.Conditions(psychiatric=True),
        rules.Conditions(risk_events_30d=2),
    ],
)
def test_each_condition_raises_one_grade(conditions):
    result = rules.score(with_total(70), conditions, stack=False)
    assert (result.preliminary_grade, result.grade) == (1, 2)
    assert result.adjustments


def test_one_risk_event_does_not_raise():
    assert rules.score(with_total(70), rules.Conditions(risk_events_30d=1), stack=False).grade == 1


def test_raise_is_capped_at_grade_4():
    all_three = rules.Conditions(dementia=True, psychiatric=True, risk_events_30d=3)
    assert rules.score(with_total(10), all_three, stack=True).grade == 4
    assert rules.score(with_total(40), all_three, stack=True).grade == 4


def test_stacking_off_raises_once_and_on_raises_per_condition():
    two = rules.Conditions(dementia=True, risk_events_30d=2)
    assert rules.score(with_total(70), two, stack=False).grade == 2
    assert rules.score(with_total(70), two, stack=True).grade == 3


def test_validity_runs_to_the_day_before_the_anniversary():
    assert rules.valid_until(date(2026, 1, 31), 12) == date(2027, 1, 30)
    assert rules.valid_until(date(2026, 8, 31), 6) == date(2027, 2, 27)
    assert rules.add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)


_vectors = st.fixed_dictionaries({item.code: st.integers(0, item.max_score) for item in ITEMS})


@given(_vectors)
def test_total_is_the_sum_of_subtotals(items):
    result = rules.score(items, rules.Conditions(), stack=False)
    assert result.total == sum(result.subtotals.values()) == sum(items.values())
    assert all(result.subtotals[i.code] <= i.max_score for i in INDICATORS)


@given(_vectors, _vectors)
def test_grade_is_monotone_in_the_total(a, b):
    ra = rules.score(a, rules.Conditions(), stack=False)
    rb = rules.score(b, rules.Conditions(), stack=False)
    if ra.total <= rb.total:
        assert ra.grade >= rb.grade
    else:
        assert ra.grade <= rb.grade


def test_item_codes_are_the_standards():
    assert ITEMS_BY_CODE["B.2.4"].max_score == 3 and ITEMS_BY_CODE["B.3.9"].max_score == 2
    assert ITEMS_BY_CODE["B.3.7"].max_score == 1 and ITEMS_BY_CODE["B.4.4"].max_score == 3


def test_dementia_and_another_psychiatric_diagnosis_are_one_clause_of_c4():
    # C.4 raises once for "痴呆(F00~F03)、…其他精神和行为障碍疾病(F04~F99)": both diagnoses, one raise.
    both = rules.Conditions(dementia=True, psychiatric=True)
    assert rules.score(with_total(70), both, stack=True).grade == 2
    assert (
        rules.score(
            with_total(70), rules.Conditions(dementia=True, psychiatric=True, risk_events_30d=2), stack=True
        ).grade
        == 3
    )


def test_anchors_are_the_standards_wording_for_the_items_the_issue_names():
    from assessments.instrument import ITEMS_BY_CODE

    assert (
        "50m左右" in ITEMS_BY_CODE["B.2.3"].anchors[3] and "拐杖、助行器" in ITEMS_BY_CODE["B.2.3"].anchors[3]
    )
    assert "10个~15个台阶" in ITEMS_BY_CODE["B.2.4"].anchors[3]
    assert ITEMS_BY_CODE["B.3.2"].anchors[4].startswith("能在日常生活范围内单独外出")
    assert ITEMS_BY_CODE["B.4.4"].anchors[3] == "能自己骑车或搭乘公共交通工具外出"
    assert "留置营养管" in ITEMS_BY_CODE["B.1.1"].anchors[0]
