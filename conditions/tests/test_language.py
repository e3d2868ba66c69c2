"""The condition language: each operator, and Python evaluation equal to the query."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import conditions
from elders.choices import Category, EconomicStatus, LivingArrangement
from elders.models import Elder
from elders.rules import make_id_number
from tests.factories import WUMA_GULOU, WUMA_MOCHI, ElderFactory

pytestmark = pytest.mark.django_db
ON = date(2026, 11, 23)


def ids(cond):
    return set(conditions.filter_queryset(Elder.objects.all(), cond, ON).values_list("pk", flat=True))


@pytest.fixture
def three(wenzhou):
    return {
        "old_alone": ElderFactory(born=date(1940, 1, 1), living_arrangement="alone", economic_status="dibao"),
        "young_nest": ElderFactory(
            born=date(1960, 11, 23), living_arrangement="empty_nest", residence_id=WUMA_MOCHI
        ),
        "disabled": ElderFactory(
            born=date(1950, 6, 1), living_arrangement="with_children", disability_grade=1
        ),
    }


def test_age_operators(three):
    assert ids({"fact": "age", "op": "gte", "value": 80}) == {three["old_alone"].pk}
    assert ids({"fact": "age", "op": "eq", "value": 66}) == {three["young_nest"].pk}  # birthday today
    assert ids({"fact": "age", "op": "lt", "value": 66}) == set()
    assert ids({"fact": "age", "op": "between", "value": [66, 76]}) == {
        three["young_nest"].pk,
        three["disabled"].pk,
    }
    assert ids({"fact": "age", "op": "in", "value": [86, 66]}) == {
        three["old_alone"].pk,
        three["young_nest"].pk,
    }


def test_choice_set_and_region_operators(three):
    assert ids({"fact": "living_arrangement", "op": "in", "value": ["alone", "empty_nest"]}) == {
        three["old_alone"].pk,
        three["young_nest"].pk,
    }
    assert ids({"fact": "economic_status", "op": "ne", "value": "dibao"}) == {
        three["young_nest"].pk,
        three["disabled"].pk,
    }
    assert ids({"fact": "categories", "op": "has", "value": "severe_disability"}) == {three["disabled"].pk}
    assert ids({"fact": "categories", "op": "has_all", "value": ["high_age", "alone"]}) == {
        three["old_alone"].pk
    }
    assert ids({"fact": "residence", "op": "under", "value": WUMA_MOCHI}) == {three["young_nest"].pk}
    assert ids({"fact": "hukou", "op": "is_null", "value": True}) == {e.pk for e in three.values()}


def test_combinators_and_explanations(three):
    cond = {
        "all": [
            {"fact": "age", "op": "gte", "value": 70},
            {"not": {"fact": "living_arrangement", "op": "eq", "value": "with_children"}},
        ]
    }
    assert ids(cond) == {three["old_alone"].pk}
    outcome = conditions.explain(cond, three["disabled"], ON)
    assert not outcome.held
    assert [r["fact"] for r in outcome.failed()] == ["living_arrangement"]
    assert "76" in outcome.passed()[0]["text"]


@pytest.mark.parametrize(
    "bad, where",
    [
        ({"fact": "shoe_size", "op": "eq", "value": 1}, "shoe_size"),
        ({"fact": "age", "op": "has", "value": 1}, "has"),
        ({"fact": "age", "op": "gte", "value": "80"}, "whole numbers"),
        ({"fact": "living_arrangement", "op": "eq", "value": "castle"}, "castle"),
        ({"all": []}, "non-empty"),
        ({"fact": "age", "op": "between", "value": [1]}, "between"),
        ({"fact": "age", "op": "gte", "value": 1, "extra": 2}, "unexpected"),
        ("__import__('os')", "mapping"),
    ],
)
@pytest.mark.usefixtures("english")
def test_malformed_conditions_are_refused(bad, where):
    with pytest.raises(ValidationError, match=where):
        conditions.validate(bad)


# --- Python equals SQL on generated elders and conditions --------------------------------

_leaf = st.one_of(
    st.builds(
        lambda op, v: {"fact": "age", "op": op, "value": v},
        st.sampled_from(["eq", "ne", "gt", "gte", "lt", "lte"]),
        st.integers(58, 106),
    ),
    st.builds(
        lambda lo, span: {"fact": "age", "op": "between", "value": [lo, lo + span]},
        st.integers(58, 100),
        st.integers(0, 10),
    ),
    st.builds(
        lambda op, v: {"fact": "living_arrangement", "op": op, "value": v},
        st.sampled_from(["eq", "ne"]),
        st.sampled_from(LivingArrangement.values),
    ),
    st.builds(
        lambda op, v: {"fact": "economic_status", "op": op, "value": v},
        st.sampled_from(["in", "not_in"]),
        st.lists(st.sampled_from(EconomicStatus.values), min_size=1, max_size=3, unique=True),
    ),
    st.builds(
        lambda op, v: {"fact": "categories", "op": op, "value": v},
        st.sampled_from(["has_any", "has_all"]),
        st.lists(st.sampled_from(Category.values), min_size=1, max_size=3, unique=True),
    ),
    st.builds(
        lambda op, v: {"fact": "disability_grade", "op": op, "value": v},
        st.sampled_from(["eq", "ne", "lte", "gte"]),
        st.integers(0, 4),
    ),
    st.builds(
        lambda v: {"fact": "residence", "op": "under", "value": v},
        st.sampled_from([WUMA_GULOU, "3303", WUMA_MOCHI]),
    ),
    st.builds(lambda v: {"fact": "hukou", "op": "under", "value": v}, st.sampled_from(["3303", WUMA_GULOU])),
    st.builds(lambda v: {"fact": "hukou", "op": "is_null", "value": v}, st.booleans()),
)
_condition = st.recursive(
    _leaf,
    lambda inner: st.one_of(
        st.builds(lambda cs: {"all": cs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda cs: {"any": cs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda c: {"not": c}, inner),
    ),
    max_leaves=6,
)
_elder = st.fixed_dictionaries(
    {
        "born": st.dates(min_value=date(1918, 1, 1), max_value=date(1966, 11, 23)),
        "living_arrangement": st.sampled_from(LivingArrangement.values),
        "economic_status": st.sampled_from(EconomicStatus.values),
        "disability_grade": st.integers(0, 4),
        "is_left_behind": st.booleans(),
        "is_veteran": st.booleans(),
        "residence_id": st.sampled_from([WUMA_GULOU, WUMA_MOCHI]),
        "hukou_region_id": st.sampled_from([None, WUMA_GULOU, WUMA_MOCHI]),
    }
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(people=st.lists(_elder, min_size=1, max_size=8), cond=_condition)
def test_python_evaluation_equals_the_query(wenzhou, people, cond):
    Elder.objects.all().delete()
    elders = []
    for i, p in enumerate(people):
        born = p.pop("born")
        number = make_id_number("330302", born, i * 2 + 1)
        elders.append(Elder(id_number=number, name=f"E{i}", sex="male", birth_date=born, **p))
    Elder.objects.bulk_create(elders)
    conditions.validate(cond)
    in_python = {e.pk for e in Elder.objects.all() if conditions.matches(cond, e, ON)}
    assert ids(cond) == in_python


def test_reasons_read_in_chinese_with_labels_never_codes(three):
    """A reason on an elder's file names the choice labels, the region and the operator in
    words: no code value, Python list or symbol a worker would have to decode."""
    cond = {
        "all": [
            {"fact": "economic_status", "op": "in", "value": ["extreme_poverty", "dibao"]},
            {"fact": "living_arrangement", "op": "eq", "value": "alone"},
            {"fact": "categories", "op": "has_any", "value": ["high_age", "empty_nest"]},
            {"fact": "age", "op": "between", "value": [60, 90]},
            {"fact": "residence", "op": "under", "value": WUMA_GULOU[:9]},
            {"fact": "hukou", "op": "is_null", "value": True},
            {"not": {"fact": "disability_grade", "op": "eq", "value": 1}},
        ]
    }
    texts = [r["text"] for r in conditions.explain(cond, three["old_alone"], ON).reasons]
    joined = "\n".join(texts)
    for code in ("extreme_poverty", "dibao", "alone", "high_age", "empty_nest", "[", "'", "∈", "∩", "⊂"):
        assert code not in joined, (code, joined)
    assert texts[0] == "经济状况 属于 特困、低保（实际：低保）", texts[0]
    assert str(Category.HIGH_AGE.label) in joined and "60 至 90" in joined
    assert "五马街道" in texts[4], texts[4]
    assert texts[6].startswith("并非："), texts[6]
