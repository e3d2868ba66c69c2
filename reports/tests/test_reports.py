"""Monthly figures: the visit rate on hand-made data, roll-up by sums, idempotence, revisions,
scope, and a dashboard with a bounded number of queries."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from elders.services import change_status
from reports.models import MonthlyStat
from reports.services import compute_month
from services.models import Visit
from tests.factories import LONGWAN, WUMA_GULOU, WUMA_MOCHI, ElderFactory, api_client, first_village_of

pytestmark = pytest.mark.django_db
PERIOD = "2026-09"
TZ = timezone.get_current_timezone()


def visit(elder, day, user, method="home", outcome="normal"):
    Visit.objects.create(
        elder=elder,
        visitor=user,
        visited_at=datetime(2026, 9, day, 10, tzinfo=TZ),
        method=method,
        outcome=outcome,
        problems=["health"] if outcome == "problem" else [],
    )


def stat(region, metric="visit_rate"):
    return MonthlyStat.objects.get(period=PERIOD, region_id=region, metric=metric, is_current=True)


@pytest.fixture
def september(staff):
    """Gulou: 4 target elders (one visited at home, one by video, one 'not found', one not at all) plus one
    registered after the month and one not in the group; Mochi: 2 target elders, one of whom was visited by
    phone with a problem and died on 20 September (so is not registered at the end of the month); Longwan:
    1 target elder, unvisited."""
    registered = date(2026, 1, 1)
    w = staff["community_worker"]
    e = {
        "home": ElderFactory(residence_id=WUMA_GULOU, living_arrangement="alone", registered_on=registered),
        "video": ElderFactory(
            residence_id=WUMA_GULOU, living_arrangement="empty_nest", registered_on=registered
        ),
        "not_found": ElderFactory(
            residence_id=WUMA_GULOU, living_arrangement="alone", registered_on=registered
        ),
        "none": ElderFactory(
            residence_id=WUMA_GULOU,
            disability_grade=1,
            living_arrangement="with_children",
            registered_on=registered,
        ),
        "later": ElderFactory(
            residence_id=WUMA_GULOU, living_arrangement="alone", registered_on=date(2026, 10, 5)
        ),
        "outside": ElderFactory(
            residence_id=WUMA_GULOU, living_arrangement="with_children", registered_on=registered
        ),
        "died": ElderFactory(residence_id=WUMA_MOCHI, living_arrangement="alone", registered_on=registered),
        "mochi": ElderFactory(residence_id=WUMA_MOCHI, living_arrangement="alone", registered_on=registered),
        "longwan": ElderFactory(
            residence_id=first_village_of(LONGWAN[:6]), living_arrangement="alone", registered_on=registered
        ),
    }
    visit(e["home"], 3, w)
    visit(e["video"], 15, w, method="video")
    visit(e["not_found"], 16, w, outcome="not_found")
    visit(e["died"], 10, staff["street_officer"], method="phone", outcome="problem")
    change_status(
        elder=e["died"], status="deceased", on=date(2026, 9, 20), acting_user=staff["street_officer"]
    )
    return e


def test_visit_rate_per_level_is_rolled_up_by_sums(september):
    compute_month(PERIOD)
    gulou, mochi = stat(WUMA_GULOU), stat(WUMA_MOCHI)
    assert (gulou.numerator, gulou.denominator) == (
        2,
        4,
    )  # not_found does not count; 'later' not yet registered
    assert (mochi.numerator, mochi.denominator) == (0, 1)  # died mid-month: not registered at the month's end
    street = stat("330302006000")
    assert (street.numerator, street.denominator) == (2, 5)
    city = stat("330300000000")
    assert (city.numerator, city.denominator) == (2, 6)
    assert float(city.value) == pytest.approx(2 / 6 * 100, abs=0.001)
    # a rolled-up rate is the rate of the sums, not the average of the children's rates
    assert stat("330302000000").value != (gulou.value + mochi.value) / 2
    assert stat(WUMA_GULOU, "visits_video").numerator == 1
    assert stat(WUMA_GULOU, "visits_not_found").numerator == 1
    assert stat("330302006000", "visits_phone").numerator == 1
    assert stat(WUMA_GULOU, "visit_target_group").numerator == 4
    assert stat(WUMA_GULOU, "target_alone").numerator == 2


def test_rerun_is_idempotent_and_a_late_visit_is_a_revision(september, staff):
    first = compute_month(PERIOD)
    rows = MonthlyStat.objects.count()
    again = compute_month(PERIOD)
    assert again.written == 0 and MonthlyStat.objects.count() == rows
    visit(september["none"], 28, staff["community_worker"], method="phone")
    late = compute_month(PERIOD)
    assert late.revised > 0
    gulou = stat(WUMA_GULOU)
    assert (gulou.numerator, gulou.revision) == (3, 2)
    old = MonthlyStat.objects.get(period=PERIOD, region_id=WUMA_GULOU, metric="visit_rate", revision=1)
    assert not old.is_current and old.numerator == 2 and old.run == first.run
    # the frozen list does not change when elders' circumstances do
    september["later"].registered_on = date(2026, 1, 1)
    september["later"].save()
    compute_month(PERIOD)
    assert stat(WUMA_GULOU).denominator == 4


def test_stats_api_is_scoped_and_lists_current_rows(september, staff):
    compute_month(PERIOD)
    c = api_client(staff["street_officer"])
    rows = c.get(f"/api/v1/stats/?period={PERIOD}&metric=visit_rate&page_size=500").json()["results"]
    assert {r["region"] for r in rows} == {"330302006000", WUMA_GULOU, WUMA_MOCHI}
    row = next(r for r in rows if r["region"] == WUMA_GULOU)
    assert (row["period"], row["metric"], row["numerator"], row["denominator"], row["value"]) == (
        PERIOD,
        "visit_rate",
        2,
        4,
        50.0,
    )
    # `region` is everything under it, within the account's scope: asking for the city gives the
    # street's own rows, never the city's figure.
    city = c.get(f"/api/v1/stats/?period={PERIOD}&metric=visit_rate&region=330300000000&page_size=500")
    assert {r["region"] for r in city.json()["results"]} == {r["region"] for r in rows}
    one = c.get(f"/api/v1/stats/?period={PERIOD}&metric=visit_rate&region={WUMA_GULOU}").json()["results"]
    assert [r["region"] for r in one] == [WUMA_GULOU]


def test_dashboard_is_scoped_and_issues_a_bounded_number_of_queries(
    client, september, staff, django_assert_max_num_queries
):
    compute_month(PERIOD)
    client.force_login(staff["leader"])
    with django_assert_max_num_queries(20):
        page = client.get(f"/dashboard/?period={PERIOD}").content.decode()
    assert "33.3%" in page and "鹿城区" in page
    client.force_login(staff["street_officer"])
    assert client.get("/dashboard/?region=330300000000").status_code == 404
    page = client.get(f"/dashboard/?region={WUMA_GULOU}&period={PERIOD}").content.decode()
    assert "50.0%" in page


def test_excel_and_printable_report(client, september, staff):
    from io import BytesIO

    import openpyxl

    compute_month(PERIOD)
    client.force_login(staff["city_admin"])
    book = openpyxl.load_workbook(BytesIO(client.get(f"/dashboard/report.xlsx?period={PERIOD}").content))
    assert book.sheetnames == ["探访", "能力评估", "9073", "养老设施", "补贴", "养老服务人才", "综合监管", "上门服务"]
    values = [c.value for row in book[book.sheetnames[0]].iter_rows() for c in row]
    assert WUMA_GULOU in values
    assert "33.3" in client.get(f"/dashboard/print/?period={PERIOD}").content.decode()


def test_celery_task_computes_last_month(september):
    from reports.tasks import compute_monthly_stats_task

    assert compute_monthly_stats_task.delay(PERIOD).get()["written"] > 0
    assert stat("330300000000").denominator == 6
    _ = timedelta


def test_caregivers_per_10000_elders_and_certified_share(september, staff):
    from services.models import Caregiver, Provider
    from services.rules import uscc_check_character
    from tests.factories import id_number_for

    body = "91330302MA2C00010"
    provider = Provider.objects.create(
        name="甲",
        credit_code=body + uscc_check_character(body),
        kind="home_care",
        region_id="330302000000",
        filing_status="filed",
    )
    for i, expires in enumerate((date(2027, 1, 1), date(2026, 8, 1))):
        Caregiver.objects.create(
            provider=provider,
            id_number=id_number_for(date(1975, 1, 1 + i)),
            name=f"护{i}",
            certificate_number="C1",
            certificate_expires=expires,
        )
    compute_month(PERIOD)
    lucheng = stat("330302000000", "caregivers_per_10k")
    registered = stat("330302000000", "registered_elders").numerator
    assert (lucheng.numerator, lucheng.denominator) == (2, registered)
    assert float(lucheng.value) == pytest.approx(2 / registered * 10_000)
    certified = stat("330302000000", "caregivers_certified")
    assert (certified.numerator, certified.denominator) == (1, 2)


def test_dashboard_is_cached_per_run_and_shows_a_new_run_at_once(client, september, staff):
    compute_month(PERIOD)
    client.force_login(staff["leader"])
    url = f"/dashboard/?region={WUMA_GULOU}&period={PERIOD}"
    assert "50.0%" in client.get(url).content.decode()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as warm:
        client.get(url)
    assert not any("reports_monthlystat" in q["sql"] for q in warm.captured_queries)  # from the cache
    visit(september["none"], 20, staff["community_worker"])  # a late visit: the figure is revised
    compute_month(PERIOD)
    assert "75.0%" in client.get(url).content.decode()
