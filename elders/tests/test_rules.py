"""GB 11643 ID numbers: what the registry accepts and why it refuses the rest."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from elders.rules import (
    IdNumberError,
    age_on,
    check_character,
    make_id_number,
    mask_id_number,
    mask_phone,
    parse_id_number,
)

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    "number, born, sex",
    [
        ("11010519491231002X", date(1949, 12, 31), "female"),  # the standard's own example
        ("440524188001010014", date(1880, 1, 1), "male"),
        ("330302194503080019", date(1945, 3, 8), "male"),
    ],
)
def test_valid_numbers_give_birth_date_and_sex(number, born, sex):
    parsed = parse_id_number(number, today=TODAY)
    assert parsed.birth_date == born
    assert parsed.sex == sex
    assert parsed.number == number


def test_check_character_x_is_accepted_in_lower_case_and_stored_upper_case():
    assert parse_id_number("11010519491231002x", today=TODAY).number == "11010519491231002X"


def test_bad_check_digit_is_refused_with_the_expected_character():
    with pytest.raises(IdNumberError, match="X"):
        parse_id_number("110105194912310021", today=TODAY)


@pytest.mark.parametrize("number", ["11010519490230002X"[:17], "11010519491231002X1"])
def test_wrong_length_is_refused(number):
    with pytest.raises(IdNumberError, match="18"):
        parse_id_number(number, today=TODAY)


def test_impossible_date_is_refused():
    first17 = "11010519490230002"  # 30 February
    with pytest.raises(IdNumberError, match="19490230"):
        parse_id_number(first17 + check_character(first17), today=TODAY)


@pytest.mark.usefixtures("english")
def test_future_birth_date_is_refused():
    with pytest.raises(IdNumberError, match="future"):
        parse_id_number(make_id_number("330302", date(2027, 1, 1), 11), today=TODAY)


def test_letters_inside_are_refused():
    with pytest.raises(IdNumberError):
        parse_id_number("3303021945A3080013", today=TODAY)


def test_unknown_address_code_is_not_an_error():
    # 330321 was 瓯海县 before 1992: real elders still carry it.
    number = make_id_number("330321", date(1940, 5, 6), 21)
    assert parse_id_number(number, today=TODAY).address_code == "330321"


@given(
    address=st.from_regex(r"\A[1-8]\d{5}\Z"),
    born=st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    seq=st.integers(min_value=0, max_value=999),
)
def test_every_generated_number_round_trips(address, born, seq):
    number = make_id_number(address, born, seq)
    parsed = parse_id_number(number.lower(), today=TODAY)
    assert parsed.number == number
    assert parsed.birth_date == born
    assert parsed.sex == ("male" if seq % 2 else "female")


@given(
    born=st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    seq=st.integers(min_value=0, max_value=999),
    position=st.integers(min_value=0, max_value=16),
    delta=st.integers(min_value=1, max_value=9),
)
def test_any_single_digit_error_is_caught(born, seq, position, delta):
    number = make_id_number("330302", born, seq)
    digit = (int(number[position]) + delta) % 10
    typo = number[:position] + str(digit) + number[position + 1 :]
    with pytest.raises(IdNumberError):
        parse_id_number(typo, today=TODAY)


def test_age_is_completed_years_on_the_date():
    assert age_on(date(1946, 11, 24), TODAY) == 79
    assert age_on(date(1946, 11, 23), TODAY) == 80
    assert age_on(date(1948, 2, 29), date(2027, 2, 28)) == 78
    assert age_on(date(1948, 2, 29), date(2027, 3, 1)) == 79


def test_masks_keep_only_what_identifies_the_region_and_tail():
    assert mask_id_number("330302194503080013") == "330302********0013"
    assert mask_phone("13812345678") == "138****5678"


def test_messages_are_chinese_by_default():
    with pytest.raises(IdNumberError, match="校验码错误"):
        parse_id_number("110105194912310021", today=TODAY)


def test_name_initials_give_each_reading_of_the_surname():
    from elders.rules import name_initials

    assert name_initials("张三丰") == "ZSF"
    assert set(name_initials("单雄信").split()) == {"DXX", "CXX", "SXX"}
    assert "ZGF" in name_initials("曾国藩").split()
    assert name_initials("李·明") == "LM" and name_initials("John") == ""


def test_files_loaded_in_bulk_get_their_initials_in_one_pass(db):
    from elders.models import Elder
    from elders.services import fill_name_initials
    from tests.factories import ElderFactory

    elders = ElderFactory.create_batch(3)
    Elder.objects.update(name_initials="")  # as a COPY leaves them
    assert fill_name_initials(batch=2) == 3
    assert all(e.name_initials for e in Elder.objects.filter(pk__in=[e.pk for e in elders]))
    assert fill_name_initials() == 0
