"""The metrics the packs' plan targets are judged on, from hand-made data: facility details and
stages, coverage of towns, villages and streets, caregivers' qualifications and training, filed
providers, respite households this year, training person-times and households, institution
heads trained, and elder-care advisers."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from facilities.models import StatusChange
from facilities.tests.helpers import make_facility
from regions.models import Region
from reports.models import MonthlyStat
from reports.services import compute_month
from services.models import Caregiver, ServiceRecord
from services.tests.factories import make_provider
from tests.factories import LUCHENG, WUMA, WUMA_GULOU, WUMA_MOCHI, ElderFactory, id_number_for
from workforce.models import Adviser
from workforce.services import record_training

pytestmark = pytest.mark.django_db
PERIOD = "2026-09"
OPEN = date(2025, 1, 1)
TZ = timezone.get_current_timezone()


def figure(region, metric):
    stat = MonthlyStat.objects.filter(period=PERIOD, region_id=region, metric=metric, is_current=True).first()
    return None if stat is None else (stat.numerator, stat.denominator, float(stat.value))


@pytest.fixture
def elders(staff):
    return [
        ElderFactory(residence_id=code, registered_on=date(2026, 1, 1)) for code in (WUMA_GULOU, WUMA_MOCHI)
    ]


def test_facility_details_and_stages(elders):
    make_facility(
        region=WUMA_GULOU,
        kind="day_care",
        ownership="private",
        star=3,
        status_since=OPEN,
        beds=10,
        nursing_beds=0,
    )
    make_facility(region=WUMA_MOCHI, kind="mutual_aid", star=2, status_since=OPEN, beds=0, nursing_beds=0)
    make_facility(
        region=WUMA,
        kind="nursing_home",
        beds=100,
        nursing_beds=60,
        star=4,
        functions=["medical", "home_service"],
        status_since=OPEN,
    )
    make_facility(
        region=WUMA,
        kind="nursing_home",
        ownership="private",
        beds=50,
        nursing_beds=10,
        functions=["rehab_nursing"],
        status_since=OPEN,
    )
    make_facility(
        region=WUMA, kind="medical_care", ownership="private", beds=20, nursing_beds=20, status_since=OPEN
    )
    make_facility(region=WUMA, kind="county_centre", beds=200, nursing_beds=120, status_since=OPEN)
    make_facility(
        region=WUMA, kind="station", beds=0, nursing_beds=0, functions=["rehab_nursing"], status_since=OPEN
    )
    # Built in June, opened only in October: built in September, not yet operating.
    late = make_facility(
        region=WUMA, kind="street_centre", status_since=date(2026, 10, 2), beds=50, nursing_beds=30
    )
    StatusChange.objects.create(facility=late, status="built", on=date(2026, 6, 1))
    make_facility(
        region=WUMA_MOCHI,
        kind="day_care",
        status="built",
        status_since=date(2026, 8, 1),
        beds=0,
        nursing_beds=0,
    )
    compute_month(PERIOD)
    street = WUMA
    assert figure(street, "centres_three_star_plus")[0] == 1  # the 3★ day-care centre, not the 2★ point
    assert figure(street, "socially_run_centres")[0] == 1
    assert figure(street, "beds_total")[0] == 10 + 100 + 50 + 20 + 200
    assert figure(street, "public_institution_beds")[0] == 100 + 200  # the public home and the county centre
    assert figure(street, "medical_care_institutions")[0] == 1
    # Residential: two homes, the medical-care institution, the county centre (four).
    assert figure(street, "institutions_medical_share")[:2] == (1, 4)
    assert figure(street, "institutions_home_service_share")[:2] == (1, 4)
    assert figure(street, "institutions_rated_share")[:2] == (1, 4)
    assert figure(street, "private_institution_share")[:2] == (2, 4)
    assert figure(street, "rehab_area_share")[:2] == (2, 7)  # 4 residential + day-care, point, station
    assert figure(street, "nursing_capable_centres")[0] == 1  # the station
    assert figure(street, "county_centres")[0] == 1
    assert figure(street, "street_comprehensive_centres") is None  # opens in October
    assert figure(street, "street_comprehensive_centres_built")[0] == 1
    assert figure(street, "day_care_centres_built")[0] == 2
    assert figure(LUCHENG, "day_care_centres_built")[0] == 2  # summed up the tree


def test_coverage_of_towns_villages_and_streets(elders):
    rural_town = (
        Region.objects.filter(level="town", kind="rural", code__startswith="3303").order_by("code").first()
    )
    village = Region.objects.filter(parent=rural_town, kind="rural").order_by("code").first()
    make_facility(region=village.code, kind="mutual_aid", status_since=OPEN, beds=0, nursing_beds=0)
    make_facility(region=WUMA, kind="street_centre", status_since=OPEN)
    ElderFactory(residence_id=village.code, registered_on=date(2026, 1, 1))
    compute_month(PERIOD)
    assert figure(rural_town.code, "town_facility_coverage")[:2] == (1, 1)
    villages = Region.objects.filter(parent=rural_town, kind="rural").count()
    assert figure(rural_town.code, "village_facility_coverage")[:2] == (1, villages)
    streets = Region.objects.filter(parent_id=LUCHENG, level="town", kind="urban").count()
    assert figure(LUCHENG, "urban_street_centre_coverage")[:2] == (1, streets)
    assert figure(WUMA, "town_facility_coverage") is None  # a street is no township


def test_caregivers_providers_and_training(staff, elders):
    provider = make_provider(region=WUMA)
    social = make_provider(region=WUMA, kind="social_org")
    make_provider(region=WUMA, filing_status="pending")
    trained = Caregiver.objects.create(
        provider=provider,
        id_number=id_number_for(date(1980, 1, 1)),
        name="甲",
        skill_level=5,
        certificate_number="C1",
        certificate_expires=date(2027, 1, 1),
    )
    Caregiver.objects.create(provider=social, id_number=id_number_for(date(1981, 1, 1)), name="乙")
    home = make_facility(region=WUMA, kind="nursing_home", status_since=OPEN)
    make_facility(region=WUMA, kind="nursing_home", status_since=OPEN)
    city = Region.objects.get(code="330300000000")
    admin = staff["city_admin"]
    common = {"acting_user": admin, "region": city, "organiser": "市民政局"}
    record_training(
        **common,
        title="护理员轮训",
        audience="caregivers",
        starts_on=date(2024, 5, 1),
        ends_on=date(2024, 5, 3),
        person_times=40,
        caregivers=[trained],
    )
    record_training(
        **common,
        title="护理员培训",
        audience="caregivers",
        starts_on=date(2026, 9, 1),
        ends_on=date(2026, 9, 2),
        person_times=30,
    )
    record_training(
        **common,
        title="家庭照护",
        audience="family_carers",
        starts_on=date(2026, 9, 10),
        ends_on=date(2026, 9, 10),
        person_times=20,
        households=15,
    )
    record_training(
        **common,
        title="机构负责人培训",
        audience="institution_heads",
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 3, 2),
        person_times=5,
        facilities=[home],
    )
    compute_month(PERIOD)
    elders_in_wuma = 2
    assert figure(WUMA, "certified_caregivers_per_10k")[:2] == (1, elders_in_wuma)
    assert figure(WUMA, "caregivers_qualified_share")[:2] == (1, 2)
    assert figure(WUMA, "caregivers_trained_share")[:2] == (1, 2)  # trained in 2024, within three years
    assert figure(WUMA, "filed_providers")[0] == 2 and figure(WUMA, "filed_social_orgs")[0] == 1
    assert figure(city.code, "training_person_times")[0] == 30 + 20  # September's care training
    assert figure(city.code, "caregiver_training_person_times")[0] == 30
    assert figure(city.code, "family_training_households")[0] == 15
    assert figure(WUMA, "institution_heads_trained_share")[:2] == (1, 2)


def test_respite_households_this_year_and_advisers(staff, elders):
    provider = make_provider(region=WUMA)
    other = ElderFactory(residence_id=WUMA_GULOU, registered_on=date(2026, 1, 1))
    for elder, month in ((elders[0], 2), (elders[0], 9), (other, 9)):
        ServiceRecord.objects.create(
            elder=elder,
            kind="respite",
            provider=provider,
            started_at=datetime(2026, month, 5, 9, tzinfo=TZ),
            duration_minutes=240,
            funding="government",
            amount=0,
            recorded_by=staff["community_worker"],
        )
    ServiceRecord.objects.create(
        elder=elders[1],
        kind="respite",
        provider=provider,
        started_at=datetime(2025, 12, 5, 9, tzinfo=TZ),
        duration_minutes=60,
        funding="government",
        amount=0,
        recorded_by=staff["community_worker"],
    )
    Adviser.objects.create(name="顾问甲", region_id=WUMA, appointed_on=date(2026, 1, 1))
    Adviser.objects.create(name="顾问乙", region_id=WUMA_GULOU, appointed_on=date(2026, 1, 1))
    Adviser.objects.create(
        name="顾问丙", region_id=WUMA, appointed_on=date(2025, 1, 1), ended_on=date(2026, 8, 31)
    )
    compute_month(PERIOD)
    assert figure(WUMA_GULOU, "respite_households")[0] == 2  # two elders this year; last December's not
    assert figure(WUMA_MOCHI, "respite_households") is None
    assert figure(WUMA, "town_advisers")[0] == 1 and figure(WUMA_GULOU, "village_advisers")[0] == 1
    assert figure(LUCHENG, "town_advisers")[0] == 1
