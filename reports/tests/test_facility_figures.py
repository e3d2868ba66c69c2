"""Facility coverage, beds, stars and family care beds in the monthly figures; per-scheme subsidy
figures and 应享未享 counts; the dashboard shows them."""

from datetime import date

import pytest

from facilities.models import FamilyCareBed, Residency
from facilities.tests.helpers import give_grade, make_facility
from regions.models import Region
from reports.models import MonthlyStat
from reports.services import compute_month
from services.tests.factories import make_provider
from tests.factories import LUCHENG, WUMA, WUMA_GULOU, WUMA_MOCHI, ElderFactory

pytestmark = pytest.mark.django_db
PERIOD = "2026-09"
OPEN = date(2025, 1, 1)


def stat(region, metric):
    return MonthlyStat.objects.get(period=PERIOD, region_id=region, metric=metric, is_current=True)


@pytest.fixture
def network(staff):
    """Wuma street: a public centre (100 beds, 60 nursing) and a 公建民营 private-run home (50 beds, 20
    nursing); Gulou community: a day-care centre (10 beds, 3★); Mochi: nothing; a centre that opens only in
    October; a closed station. Two elders per community; one Gulou elder lives in the centre, assessed."""
    registered = date(2026, 1, 1)
    elders = [
        ElderFactory(residence_id=code, registered_on=registered)
        for code in (WUMA_GULOU, WUMA_GULOU, WUMA_MOCHI, WUMA_MOCHI)
    ]
    centre = make_facility(region=WUMA, beds=100, nursing_beds=60, status_since=OPEN, star=4)
    make_facility(
        region=WUMA,
        kind="nursing_home",
        ownership="public_private",
        beds=50,
        nursing_beds=20,
        status_since=OPEN,
    )
    make_facility(region=WUMA_GULOU, kind="day_care", beds=10, nursing_beds=0, status_since=OPEN, star=3)
    make_facility(
        region=WUMA_MOCHI, kind="street_centre", beds=30, nursing_beds=20, status_since=date(2026, 10, 2)
    )
    make_facility(
        region=WUMA_MOCHI, kind="station", beds=0, nursing_beds=0, status="closed", status_since=OPEN
    )
    Residency.objects.create(facility=centre, elder=elders[0], admitted_on=date(2026, 3, 1))
    give_grade(elders[0], 3, staff["community_worker"], days_ago=100, valid_days=400)
    FamilyCareBed.objects.create(
        elder=elders[2],
        provider=make_provider(),
        set_up_on=date(2026, 8, 1),
        service_package="包",
        monthly_hours=10,
    )
    return elders


def test_coverage_beds_and_stars(network, wenzhou):
    compute_month(PERIOD)
    # Beds of operating facilities per 1,000 registered elders: Wuma street has 160 beds, 4 elders.
    assert (stat(WUMA, "beds_per_1000").numerator, stat(WUMA, "beds_per_1000").denominator) == (160, 4)
    assert stat(WUMA, "beds_per_1000").value == 40_000
    assert (stat(WUMA, "nursing_bed_share").numerator, stat(WUMA, "nursing_bed_share").denominator) == (
        80,
        160,
    )
    # 公建民营 over public residential facilities: the home is 公建民营, the centre 公办.
    assert stat(WUMA, "public_private_share").value == 50
    # Wuma has an operating centre; the October centre does not count for September.
    assert (
        stat(WUMA, "street_centre_coverage").numerator,
        stat(WUMA, "street_centre_coverage").denominator,
    ) == (1, 1)
    lucheng = stat(LUCHENG, "street_centre_coverage")
    towns = Region.objects.filter(code__startswith="330302", level="town").count()
    assert (lucheng.numerator, lucheng.denominator) == (1, towns)
    # Gulou has a day-care centre, Mochi only a closed station.
    assert stat(WUMA_GULOU, "community_facility_coverage").numerator == 1
    assert stat(WUMA_MOCHI, "community_facility_coverage").numerator == 0
    assert stat(WUMA, "star_rated_4").numerator == 1 and stat(WUMA, "star_rated_3").numerator == 1
    assert stat(WUMA, "day_care_centres").numerator == 1
    assert stat(WUMA, "family_care_beds").numerator == 1
    # The one resident is assessed: coverage of institution residents 1/1.
    residents = stat(WUMA, "residents_assessed")
    assert (residents.numerator, residents.denominator) == (1, 1)


def test_dashboard_shows_coverage(network, client, staff):
    compute_month(PERIOD)
    client.force_login(staff["city_admin"])
    html = client.get(f"/dashboard/?region={WUMA}&period={PERIOD}").content.decode()
    assert 'data-testid="facility-figures"' in html and f"/facilities/?region={WUMA}" in html
