"""Bad input never reaches a 500: the audit's cases, each refused with a translated message naming the field."""

import io
from datetime import date

import openpyxl
import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from assessments.tests.test_api import payload as assessment_payload
from facilities.services import admit
from facilities.tests.helpers import make_facility
from services.models import ProviderStaff
from services.tests.factories import make_provider
from tests.factories import WUMA, ElderFactory, make_staff

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(user)
    return client


def test_deeply_nested_json_is_a_400(staff):
    body = "[" * 100_000 + "]" * 100_000
    resp = api(staff["community_worker"]).post("/api/v1/visits/", body, content_type="application/json")
    assert resp.status_code == 400 and resp.json() == {"detail": "JSON 内容嵌套过深。"}


@pytest.mark.parametrize(
    "path", ["/api/v1/visits/", "/api/v1/visits/due/", "/api/v1/payments/", "/api/v1/stats/"]
)
@pytest.mark.parametrize("period", ["9999-12", "0000-01", "1899-12", "2101-01"])
def test_periods_outside_the_calendar_are_refused_in_chinese(staff, path, period):
    resp = api(staff["city_admin"]).get(f"{path}?period={period}")
    if path in ("/api/v1/payments/", "/api/v1/stats/") and resp.status_code == 200:
        assert resp.json()["results"] == []  # a plain text filter: simply nothing matches
        return
    assert resp.status_code == 400, resp.content
    message = str(resp.json()["period"])
    assert "1900-01" in message and "out of range" not in message


@pytest.mark.parametrize("query", ["elder=99999999999999999999", "elder=-1", "page=99999999999999999999"])
def test_out_of_range_integers_in_filters_are_not_server_errors(staff, query):
    assert api(staff["city_admin"]).get(f"/api/v1/visits/?{query}").status_code in (400, 404)


def test_discharge_notes_longer_than_their_column_are_refused_naming_notes(staff):
    provider = make_provider()
    ProviderStaff.objects.create(user=staff["provider_staff"], provider=provider)
    centre = make_facility(operator=provider)
    residency = admit(
        acting_user=staff["provider_staff"],
        facility=centre,
        elder=ElderFactory(),
        admitted_on=timezone.localdate(),
    )
    resp = api(staff["provider_staff"]).post(
        f"/api/v1/residencies/{residency.pk}/discharge/",
        {"discharged_on": str(timezone.localdate()), "reason": "home", "notes": "备" * 201},
        format="json",
    )
    assert resp.status_code == 400 and list(resp.json()) == ["notes"]
    residency.refresh_from_db()
    assert residency.discharged_on is None


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "2101-01-01", "9999-12-31"])
def test_dates_before_1900_or_after_2100_are_refused_naming_the_field(staff, day):
    elder = ElderFactory()
    worker = api(staff["community_worker"])
    visit = worker.post(
        "/api/v1/visits/",
        {"elder": elder.pk, "visited_at": f"{day}T10:00:00+08:00", "method": "home", "outcome": "normal"},
        format="json",
    )
    assert visit.status_code == 400 and list(visit.json()) == ["visited_at"]
    patch = worker.patch(f"/api/v1/elders/{elder.pk}/", {"registered_on": day}, format="json")
    assert patch.status_code == 400 and list(patch.json()) == ["registered_on"]
    assert "1900-01-01" in patch.json()["registered_on"][0]


def test_an_assessment_before_birth_is_refused_naming_the_date(staff):
    second = make_staff("assessor2", "assessor", WUMA)
    elder = ElderFactory(born=date(1945, 3, 8))
    body = assessment_payload(elder, [staff["assessor"], second], assessed_on="1944-01-01")
    resp = api(staff["assessor"]).post("/api/v1/assessments/", body, format="json")
    assert resp.status_code == 400 and list(resp.json()) == ["assessed_on"]
    assert resp.json()["assessed_on"] == ["评估日期早于老年人出生日期。"]


def test_a_registration_date_before_birth_names_registered_on(staff):
    elder = ElderFactory(born=date(1945, 3, 8))
    resp = api(staff["community_worker"]).patch(
        f"/api/v1/elders/{elder.pk}/", {"registered_on": "1944-05-01"}, format="json"
    )
    assert resp.status_code == 400 and list(resp.json()) == ["registered_on"]


@pytest.mark.parametrize("content", [b"not a workbook at all", b"PK\x03\x04 broken zip", b""])
def test_a_broken_import_file_gets_a_chinese_message_and_no_traceback(client, staff, content):
    upload = io.BytesIO(content)
    upload.name = "elders.xlsx"
    client.force_login(staff["city_admin"])
    resp = client.post("/admin/elders/elder/import/", {"import_file": upload, "format": "0", "resource": "0"})
    page = resp.content.decode()
    assert resp.status_code == 200
    for english in ("Traceback", "BadZipFile", "Error", "Exception", "zipfile", "openpyxl"):
        assert english not in page, english


def test_an_import_with_a_bad_date_cell_names_the_line(staff):
    from elders.services import import_elders

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id_number", "name", "residence", "living_arrangement", "economic_status", "registered_on"])
    sheet.append([ElderFactory.build().id_number, "导入", "330302006044", "独居", "dibao", "0001-13-45"])
    import tablib

    buffer = io.BytesIO()
    book.save(buffer)
    data = tablib.Dataset().load(buffer.getvalue(), format="xlsx")
    report = import_elders(dataset=data, acting_user=staff["city_admin"])
    assert not report.ok and report.errors[0]["line"] == 2
    assert "Traceback" not in str(report.errors) and "ValueError" not in str(report.errors)


def test_a_nul_character_anywhere_is_a_400_not_a_database_error(staff):
    client = api(staff["city_admin"])
    body = {"region": "33\x0003", "kind": "social_org", "name": "V", "credit_code": "x"}
    assert client.post("/api/v1/providers/", body, format="json").status_code == 400
    assert client.post("/api/v1/providers/", body, format="multipart").status_code == 400
    assert client.post("/api/v1/providers/", {"name\x00": "V"}, format="json").status_code == 400
    resp = client.get("/api/v1/elders/?region=33%0003")
    assert resp.status_code == 400 and resp.json() == {"detail": "文本中不能含有空字符（NUL）。"}
    nested = "[" * 900 + '"\\u0000"' + "]" * 900
    worker = api(staff["community_worker"])
    assert worker.post("/api/v1/visits/", nested, content_type="application/json").status_code == 400
