"""The standards at their boundaries, the staffing ratio, the space requirement (pure rules)."""

from decimal import Decimal

import pytest
import yaml
from django.conf import settings

from facilities import rules
from facilities.policy import SpaceStandard, parse


@pytest.fixture(scope="module")
def nanyang():
    with open(settings.BASE_DIR / "policy_packs" / "nanyang" / "facilities.yaml", encoding="utf-8") as fh:
        return parse(yaml.safe_load(fh))


def county_centre(**facts):
    base = {"beds": 200, "nursing_beds": 120, "floor_area_m2": 9000, "land_area_mu": 15, "caregivers": 0}
    return {**base, **facts}


def failed(checks):
    return {c.metric for c in checks if not c.met}


def test_county_centre_exactly_at_every_minimum_passes(nanyang):
    checks = rules.check_standards(nanyang.standards["county_centre"], county_centre())
    assert failed(checks) == set()


def test_exactly_sixty_percent_nursing_beds_passes_and_599_of_1000_fails(nanyang):
    ok = rules.check_standards(nanyang.standards["county_centre"], county_centre(beds=1000, nursing_beds=600))
    short = rules.check_standards(
        nanyang.standards["county_centre"], county_centre(beds=1000, nursing_beds=599)
    )
    assert failed(ok) == set()
    assert failed(short) == {"nursing_bed_share"}
    share = next(c for c in short if c.metric == "nursing_bed_share")
    assert share.actual == Decimal("59.9") and share.required == Decimal("60")


def test_a_share_that_rounds_to_the_minimum_still_fails(nanyang):
    # 119.9/200 cannot happen, but 2999 of 5000 is 59.98 %: shown as 60.0, still short.
    checks = rules.check_standards(
        nanyang.standards["county_centre"], county_centre(beds=5000, nursing_beds=2999)
    )
    share = next(c for c in checks if c.metric == "nursing_bed_share")
    assert share.actual == Decimal("60.0") and not share.met


def test_street_centre_needs_55_percent_and_3_mu(nanyang):
    facts = {"beds": 100, "nursing_beds": 55, "floor_area_m2": 2000, "land_area_mu": Decimal("2.99")}
    assert failed(rules.check_standards(nanyang.standards["street_centre"], facts)) == {"land_area_mu"}


def test_missing_figures_fail_rather_than_pass(nanyang):
    checks = rules.check_standards(nanyang.standards["day_care"], {"beds": 12, "nursing_beds": 0})
    assert failed(checks) == {"floor_area_m2", "staff"}
    assert next(c for c in checks if c.metric == "floor_area_m2").actual is None


def test_day_care_staff_counts_every_role(nanyang):
    facts = {
        "beds": 10,
        "nursing_beds": 0,
        "floor_area_m2": 300,
        "caregivers": 1,
        "managers": 1,
        "other_staff": 1,
    }
    assert failed(rules.check_standards(nanyang.standards["day_care"], facts)) == set()


def test_staffing_ratio_from_grades(nanyang):
    staffing = nanyang.staffing
    # 3 disabled (grades 3, 4) /1.5 = 2; 8 semi-disabled /4 = 2; 10 self-care /10 = 1: five caregivers.
    grades = {3: 2, 4: 1, 1: 5, 2: 3, 0: 10}
    assert rules.required_caregivers(rules.care_groups(grades, staffing), staffing) == Decimal(5)
    assert rules.check_staffing(5, grades, staffing).met
    short = rules.check_staffing(4, grades, staffing)
    assert not short.met and short.required == 5 and short.actual == 4


def test_a_fraction_of_a_caregiver_rounds_up_in_the_requirement(nanyang):
    check = rules.check_staffing(1, {3: 2}, nanyang.staffing)  # 2 / 1.5 = 1.33
    assert not check.met and check.required == 2


def test_unassessed_residents_count_as_the_pack_says(nanyang):
    check = rules.check_staffing(1, {None: 10}, nanyang.staffing)
    assert check.met and "unassessed=10" in check.detail


def test_space_by_households_and_estate():
    standard = SpaceStandard({"new": Decimal(20), "old": Decimal(15)}, {}, {}, "floor", ("day_care",), "")
    assert rules.required_space(standard, households=1500, estate="new", population=None) == Decimal("300.00")
    assert rules.required_space(standard, households=1500, estate="old", population=None) == Decimal("225.00")
    assert rules.required_space(standard, households=None, estate="old", population=None) is None


def test_space_per_resident():
    # 吉林: 0.12 m² of land per resident, for new districts and estates only.
    standard = SpaceStandard({}, {"new": Decimal("0.12")}, {}, "land", ("day_care",), "")
    assert rules.required_space(standard, households=900, estate="new", population=5000) == Decimal("600.00")
    assert rules.required_space(standard, households=900, estate="old", population=5000) is None
