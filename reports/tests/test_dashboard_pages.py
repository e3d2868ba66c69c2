"""The pages behind the dashboard's numbers: 应享未享 with its list and export, and a community's
own month."""

from datetime import timedelta
from io import BytesIO

import openpyxl
import pytest
from django.utils import timezone

from audit.models import AccessLog
from core.periods import period_of
from regions.models import Region
from regions.services import load_regions
from reports.services import compute_month
from services.models import Visit
from services.services import refresh_visit_status
from subsidies.models import Entitlement, Scheme
from subsidies.tests.helpers import load_pack_for_today, poor_disabled_in_institution
from tests.factories import WUMA_GULOU, ElderFactory, make_staff

pytestmark = pytest.mark.django_db
SCHEME = "JL-INSTITUTION-STAY"


@pytest.fixture
def jilin(db):
    load_regions(prefix="2201")
    load_pack_for_today("jilin", "22")
    towns = list(Region.objects.filter(code__startswith="2201", level="town").order_by("code")[:2])
    village = Region.objects.filter(parent=towns[0], level="village").order_by("code").first()
    other = Region.objects.filter(parent=towns[1], level="village").order_by("code").first()
    city = "220100000000"
    found = {
        "village": village,
        "worker": make_staff("jw", "community_worker", village.code),
        "leader": make_staff("jleader", "leader", city),
        "city": make_staff("jcity", "city_admin", city),
        "other_street": make_staff("js2", "street_officer", towns[1].code),
    }
    found["mine"] = poor_disabled_in_institution(found)
    found["theirs"] = poor_disabled_in_institution({**found, "village": other})
    return found


def page(client, user, **params):
    client.force_login(user)
    query = {"scheme": SCHEME, "region": "220100000000", **params}
    return client.get("/dashboard/unclaimed/", query)


def test_the_leader_sees_the_list_behind_the_number_masked_and_audited(client, jilin):
    response = page(client, jilin["leader"])
    text = response.content.decode()
    assert response.status_code == 200
    assert "共 2 人" in text
    assert jilin["mine"].name in text and jilin["theirs"].name in text
    assert jilin["mine"].id_number not in text and jilin["mine"].masked_id_number in text
    log = AccessLog.objects.get(user=jilin["leader"], action="list_read")
    assert log.rows == 2 and not log.unmasked


def test_the_list_is_what_the_account_may_see(client, jilin):
    text = page(client, jilin["other_street"], region=jilin["theirs"].residence_id[:9] + "000").content.decode()
    assert jilin["theirs"].name in text and jilin["mine"].name not in text
    assert "共 1 人" in text
    # Another street's region is not theirs to ask for.
    assert page(client, jilin["other_street"], region=jilin["village"].code).status_code == 404


def test_an_elder_who_receives_the_scheme_leaves_the_list(client, jilin):
    Entitlement.objects.create(
        elder=jilin["mine"],
        scheme=Scheme.objects.get(code=SCHEME),
        amount="100.00",
        first_period="2026-01",
        status="active",
    )
    text = page(client, jilin["city"]).content.decode()
    assert "共 1 人" in text and jilin["mine"].name not in text


def test_the_export_has_chinese_headings_masks_for_the_leader_and_is_audited(client, jilin):
    response = page(client, jilin["leader"], format="xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("姓名", "性别", "年龄")
    assert len(rows) == 3
    numbers = {r[6] for r in rows[1:]}
    assert jilin["mine"].masked_id_number in numbers and jilin["mine"].id_number not in numbers
    log = AccessLog.objects.get(user=jilin["leader"], action="export")
    assert log.rows == 2 and not log.unmasked


def test_a_long_unclaimed_list_is_a_job_masked_for_the_leader_and_audited_on_download(client, jilin, settings):
    settings.EXPORT_JOB_ROWS = 1
    response = page(client, jilin["leader"], format="xlsx")
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    assert not AccessLog.objects.filter(user=jilin["leader"], action="export").exists()
    download = client.get(response["Location"] + "file.xlsx")
    rows = list(openpyxl.load_workbook(BytesIO(download.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("姓名", "性别", "年龄") and len(rows) == 3
    numbers = {r[6] for r in rows[1:]}
    assert jilin["mine"].masked_id_number in numbers and jilin["mine"].id_number not in numbers
    log = AccessLog.objects.get(user=jilin["leader"], action="export")
    assert log.rows == 2 and not log.unmasked
    # The city's account, above the leader, does not get the leader's file.
    client.force_login(jilin["city"])
    assert client.get(response["Location"] + "file.xlsx").status_code == 404


def test_the_city_admin_exports_full_numbers_and_that_is_audited_as_unmasked(client, jilin):
    sheet = openpyxl.load_workbook(BytesIO(page(client, jilin["city"], format="xlsx").content)).active
    assert jilin["mine"].id_number in {r[6] for r in sheet.iter_rows(values_only=True)}
    assert AccessLog.objects.get(user=jilin["city"], action="export").unmasked


def test_the_dashboards_number_opens_the_page_not_the_api(client, jilin):
    period = period_of(timezone.localdate())
    compute_month(period)
    client.force_login(jilin["leader"])
    text = client.get("/dashboard/", {"region": "220100000000", "period": period}).content.decode()
    assert f"/dashboard/unclaimed/?scheme={SCHEME}&region=220100000000&period={period}" in text
    assert "/api/v1/subsidy-gaps/" not in text


def test_a_community_dashboard_shows_its_own_month(client, staff):
    now = timezone.now()
    visited = ElderFactory(residence_id=WUMA_GULOU, living_arrangement="alone")
    waiting = ElderFactory(residence_id=WUMA_GULOU, living_arrangement="alone", name="未探访老人")
    Visit.objects.create(
        elder=visited, visitor=staff["community_worker"], visited_at=now - timedelta(minutes=5),
        method="home", outcome="normal",
    )
    refresh_visit_status()
    client.force_login(staff["leader"])
    text = client.get("/dashboard/", {"region": WUMA_GULOU}).content.decode()
    assert 'data-testid="community-month"' in text
    assert 'data-testid="community-not-visited">1<' in text
    assert waiting.name in text
    # A city's dashboard has sub-regions instead.
    assert 'data-testid="community-month"' not in client.get("/dashboard/").content.decode()
