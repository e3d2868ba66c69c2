"""Pure rules: the GB 32100 check character and the structural "no narrower" comparison."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from services import rules
from services.tests.factories import make_uscc, org_code

ALPHABET = rules.USCC_ALPHABET
AGE = lambda op, v: {"fact": "age", "op": op, "value": v}  # noqa: E731
CAT = lambda op, v: {"fact": "categories", "op": op, "value": v}  # noqa: E731
ECON = lambda op, v: {"fact": "economic_status", "op": op, "value": v}  # noqa: E731
POOR = ["extreme_poverty", "dibao", "near_dibao"]


# --- unified social credit code --------------------------------------------------------------


def test_organisation_code_helper_matches_the_gb_11714_example():
    assert org_code("D2143569") == "D2143569X"


@pytest.mark.parametrize("kind", ["91", "92", "52", "53", "11", "Y1"])
def test_real_format_codes_are_accepted(kind):
    code = make_uscc(kind=kind, region="330302")
    assert rules.uscc_error(code) is None
    assert rules.validate_uscc(f" {code.lower()} ") == code


def test_check_character_worked_example():
    # 9 1 3 3 0 3 0 2 M A 0 0 0 0 0 1 5 → weighted sum 1,298 → 31 - 1298 % 31 = 4
    assert rules.uscc_check_character("91330302MA0000015") == "4"
    assert rules.uscc_error("91330302MA00000154") is None


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("91330302MA0000015", "18"),  # too short
        ("91330302MA000001544", "18"),  # too long
        ("91330302MA0000I154", "I"),  # I, O, S, V, Z are not in the alphabet
        ("91330302MA0000O154", "O"),
        ("91ZJ0302MA00000154", "Z"),
        ("91ABCDEFMA00000154", "region"),
        ("91330302MA00000155", "4"),  # names the expected check character
    ],
)
def test_impossible_codes_are_refused_with_the_reason(code, words):
    with translation.override("en"):
        error = rules.uscc_error(code)
    assert error is not None and words in error
    with pytest.raises(ValidationError):
        rules.validate_uscc(code)


bodies = st.tuples(
    st.sampled_from("159AY"),
    st.sampled_from("1239"),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.text(alphabet=ALPHABET, min_size=9, max_size=9),
).map("".join)


@given(body=bodies, position=st.integers(0, 17), shift=st.integers(1, 30))
def test_every_single_character_change_is_caught(body, position, shift):
    code = body + rules.uscc_check_character(body)
    assert rules.uscc_error(code) is None
    changed = ALPHABET[(ALPHABET.index(code[position]) + shift) % 31]
    wrong = code[:position] + changed + code[position + 1 :]
    if 2 <= position < 8 and not changed.isdigit():
        return  # refused for the region digits before the check is looked at
    assert rules.uscc_error(wrong) is not None


@given(body=bodies, position=st.integers(0, 15))
def test_every_adjacent_swap_is_caught(body, position):
    if body[position] == body[position + 1]:
        return
    swapped = body[:position] + body[position + 1] + body[position] + body[position + 2 :]
    assert rules.uscc_error(swapped + rules.uscc_check_character(body)) is not None


# --- "no narrower" ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("child", "parent", "expected"),
    [
        (AGE("gte", 80), AGE("gte", 80), True),
        (AGE("gte", 70), AGE("gte", 80), True),  # a lower age limit is wider
        (AGE("gte", 90), AGE("gte", 80), False),
        (AGE("gt", 79), AGE("gte", 80), True),  # whole years: > 79 is ≥ 80
        (AGE("gt", 80), AGE("gte", 80), False),
        (AGE("between", [60, 120]), AGE("gte", 80), False),  # an open range is never covered
        (AGE("between", [75, 99]), AGE("between", [80, 89]), True),
        (AGE("gte", 80), AGE("eq", 85), True),
        (AGE("in", [80, 81, 82]), AGE("between", [80, 82]), True),
        (AGE("in", [80, 82]), AGE("between", [80, 82]), False),
        (AGE("gte", 80), AGE("in", [80, 90]), True),
        (ECON("in", POOR), ECON("in", POOR[:2]), True),  # more statuses is wider
        (ECON("in", POOR[:2]), ECON("in", POOR), False),
        (ECON("in", POOR), ECON("eq", "dibao"), True),
        (ECON("eq", "dibao"), ECON("in", POOR), False),
        (ECON("not_in", ["ordinary"]), ECON("in", POOR), True),
        (CAT("has_any", ["alone", "empty_nest"]), CAT("has_any", ["alone"]), True),
        (CAT("has_any", ["alone"]), CAT("has_any", ["alone", "empty_nest"]), False),
        (CAT("has", "alone"), CAT("has_any", ["alone"]), True),
        (CAT("has_all", ["alone"]), CAT("has_all", ["alone", "high_age"]), True),
        (CAT("has_any", ["alone", "empty_nest"]), CAT("has_all", ["alone", "high_age"]), True),
        (
            {"fact": "residence", "op": "under", "value": "33"},
            {"fact": "residence", "op": "under", "value": "3303"},
            True,
        ),
        (
            {"fact": "residence", "op": "under", "value": "330302"},
            {"fact": "residence", "op": "under", "value": "3303"},
            False,
        ),
        # compound shapes
        ({"any": [AGE("gte", 80), CAT("has", "alone")]}, AGE("gte", 80), True),
        (AGE("gte", 80), {"any": [AGE("gte", 80), CAT("has", "alone")]}, None),  # facts may overlap
        (AGE("gte", 80), {"any": [AGE("gte", 70), CAT("has", "alone")]}, False),
        ({"all": [AGE("gte", 80), ECON("in", POOR)]}, AGE("gte", 80), None),  # an extra test: people decide
        ({"all": [AGE("gte", 90), ECON("in", POOR)]}, AGE("gte", 80), False),
        ({"all": [AGE("gte", 70), AGE("gte", 75)]}, AGE("gte", 80), True),
        (AGE("gte", 80), {"all": [AGE("gte", 80), ECON("in", POOR)]}, True),  # dropping a test widens
        ({"all": [AGE("gte", 70), ECON("in", POOR)]}, {"all": [AGE("gte", 80), ECON("in", POOR[:2])]}, True),
        ({"not": AGE("lt", 80)}, AGE("gte", 80), None),  # negations are not compared
        (AGE("gte", 80), ECON("in", POOR), None),  # different facts
    ],
)
def test_no_narrower(child, parent, expected):
    assert rules.no_narrower(child, parent) is expected


def test_coverage_gaps_name_each_shortfall():
    parent = [
        {"code": "N03", "name": "高龄津贴", "target_group": AGE("gte", 80), "standard_level": Decimal("100")},
        {"code": "N04", "name": "养老服务补贴", "target_group": ECON("in", POOR), "standard_level": None},
        {"code": "N10", "name": "探访关爱", "target_group": CAT("has_any", ["alone"]), "standard_level": 1},
    ]
    child = [
        {"code": "N03", "name": "", "target_group": AGE("gte", 80), "standard_level": None},
        {"code": "N04", "name": "", "target_group": {"not": ECON("eq", "ordinary")}, "standard_level": None},
        {"code": "X01", "name": "", "target_group": AGE("gte", 60), "standard_level": None},
    ]
    assert [(g["code"], g["kind"]) for g in rules.coverage_gaps(parent, child)] == [
        ("N03", "lower_standard"),  # the parent promises an amount, the child none
        ("N04", "unverified"),
        ("N10", "missing"),
    ]
