"""Targets: loaded with their sources, judged on real figures of the monthly job, shown only at the
level they are set for (or broken down to), with yearly steps, sums and increases."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from facilities.tests.helpers import make_facility
from plans.models import Target, TargetStep
from plans.selectors import target_progress
from regions.models import Region
from reports.services import compute_month
from services.models import Visit
from tests.factories import LONGWAN, LUCHENG, WUMA, WUMA_GULOU, ElderFactory, api_client, first_village_of

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()


@pytest.fixture
def november(plan, staff):
    """Two canteens (鹿城区 since 2025, 龙湾区 since 5 Nov 2026); two elders living alone in 鼓楼社区,
    one visited at home in October and November. October and November computed."""
    make_facility(region=WUMA, kind="canteen", beds=0, nursing_beds=0, status_since=date(2025, 1, 1))
    make_facility(
        region=first_village_of("330303"),
        kind="canteen",
        beds=0,
        nursing_beds=0,
        status_since=date(2026, 11, 5),
    )
    seen, _unseen = (
        ElderFactory(residence_id=WUMA_GULOU, living_arrangement="alone", registered_on=date(2026, 1, 1))
        for _ in range(2)
    )
    for month in (10, 11):
        Visit.objects.create(
            elder=seen,
            visitor=staff["community_worker"],
            visited_at=datetime(2026, month, 3, 10, tzinfo=TZ),
            method="home",
            outcome="normal",
        )
    compute_month("2026-10")
    compute_month("2026-11")


def rows(user, code, on=None):
    region = Region.objects.get(code=code)
    return {r.target.code: r for r in target_progress(user, region, on or timezone.localdate())}


def test_targets_load_with_their_sources_and_units(plan):
    target = Target.objects.get(code="WZ-T2")
    assert target.target_value == 1300 and target.deadline == date(2025, 12, 31)
    assert target.document == "wenzhou-2023" and target.clause == "三(二)5"
    assert target.text == "建成邻里食堂(老年食堂)不少于1300家"
    assert target.source["metric"]["basis"] == "reading"
    units = list(target.responsible.values_list("department__name", flat=True))
    assert units[0] == "市民政局" and len(units) == 3 + 12


def test_progress_comes_from_the_computed_figures(november, staff, client):
    city = rows(staff["leader"], "330300000000")
    canteens = city["WZ-T2"]
    assert (canteens.figure, canteens.period, canteens.status) == (
        2,
        "2026-11",
        "missed",
    )  # 2 of 1,300 after 2025
    visits = city["WZ-T4"]
    assert (visits.figure, visits.status) == (50, "missed")
    assert (city["WZ-T5"].figure, city["WZ-T5"].status) == (0, "missed")  # no certified caregiver at all
    assert city["WZ-T8"].figure == 0  # training person-times since October 2023: none recorded
    client.force_login(staff["leader"])
    page = client.get("/dashboard/?period=2026-11").content.decode()
    assert 'data-target="WZ-T2"' in page and 'data-status="missed"' in page


def test_a_target_is_shown_only_at_its_own_level_or_broken_down(november, staff):
    city = Region.objects.get(code="330300000000")
    each_county = Target.objects.create(
        region=city,
        code="TEST-EACH",
        metric="canteens",
        target_value=1,
        deadline=date(2027, 12, 31),
        each_level="county",
        text="每个县(市、区)至少一个老年食堂",
        pack="wenzhou",
    )
    at_city = rows(staff["leader"], city.code)
    assert "WZ-T2" in at_city
    split = at_city[each_county.code]
    assert (split.divisions_met, split.divisions_total) == (2, 12) and split.figure is None
    assert split.status == "on_track"  # 2 of 12 counties with more than a year to go
    # 鹿城区 sees its own part of the county-by-county target, judged on its own figure, and not
    # the city's 1,300 canteens judged on 鹿城区's one canteen.
    at_district = rows(staff["district_officer"], LUCHENG)
    assert set(at_district) == {each_county.code}
    own = at_district[each_county.code]
    assert own.inherited and own.figure == 1 and own.status == "met"
    # A street sees neither, only the pack's town-by-town target (2 elder-care advisers per town).
    assert set(rows(staff["street_officer"], WUMA)) == {"WZ-T6"}


def test_yearly_steps_sums_and_increases(november, staff):
    city = Region.objects.get(code="330300000000")

    def target(code, **extra):
        return Target.objects.create(region=city, code=code, text=code, pack="wenzhou", **extra)

    stepped = target("TEST-STEP", metric="canteens", target_value=10, deadline=date(2028, 12, 31))
    TargetStep.objects.create(target=stepped, deadline=date(2025, 12, 31), value=5)
    TargetStep.objects.create(target=stepped, deadline=date(2027, 12, 31), value=8)
    yearly = target(
        "TEST-YEAR", metric="visits_home", measure="year_sum", target_value=2, deadline=date(2026, 12, 31)
    )
    since = target(
        "TEST-SINCE",
        metric="visits_home",
        measure="sum_since",
        base_period="2026-11",
        target_value=2,
        deadline=date(2028, 12, 31),
    )
    grown = target(
        "TEST-UP",
        metric="canteens",
        measure="increase",
        base_period="2026-10",
        target_value=1,
        deadline=date(2028, 12, 31),
    )
    entered = target(
        "TEST-UP-ENTERED",
        metric="canteens",
        measure="increase",
        base_period="2023-12",
        base_value=0,
        target_value=3,
        deadline=date(2028, 12, 31),
    )
    unknown_base = target(
        "TEST-UP-NONE",
        metric="canteens",
        measure="increase",
        base_period="2023-12",
        target_value=3,
        deadline=date(2028, 12, 31),
    )
    got = rows(staff["leader"], city.code, on=date(2026, 12, 1))
    step = got[stepped.code]
    assert [(s.value, s.met) for s in step.steps] == [(5, False), (8, False)]
    assert step.status == "at_risk"  # the 2025 step was missed
    assert (got[yearly.code].figure, got[yearly.code].status) == (2, "met")  # October + November
    assert got[since.code].figure == 1  # November only
    assert (got[grown.code].figure, got[grown.code].status) == (
        1,
        "met",
    )  # 2 canteens in November, 1 in October
    assert got[entered.code].figure == 2
    assert got[unknown_base.code].status == "no_data"  # no figures of 2023-12 and none entered


def test_api_lists_targets_with_progress_and_the_dashboard_stays_cheap(
    november, staff, client, django_assert_max_num_queries
):
    api = api_client(staff["leader"])
    results = {r["code"]: r for r in api.get("/api/v1/targets/?page_size=100").json()["results"]}
    canteens = results["WZ-T2"]
    assert canteens["latest_value"] == 2 and canteens["latest_period"] == "2026-11"
    assert canteens["status"] == "missed" and canteens["units"][0] == "市民政局"
    assert canteens["source"]["target"]["clause"] == "三(二)5"
    api.force_authenticate(staff["district_officer"])
    assert api.get("/api/v1/targets/").json()["results"] == []  # the city's targets are not 鹿城区's
    client.force_login(staff["leader"])
    with django_assert_max_num_queries(32):
        client.get("/dashboard/?period=2026-11")
    assert LONGWAN  # the second canteen's district, kept for the reader
