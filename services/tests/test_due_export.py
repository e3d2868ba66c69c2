"""The due list's call buttons and its Excel export."""

from datetime import timedelta
from io import BytesIO

import openpyxl
import pytest
from django.utils import timezone

from audit.models import AccessLog
from services.services import record_visit
from tests.factories import WUMA_GULOU, ElderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def due(staff):
    return [
        ElderFactory(residence_id=WUMA_GULOU, living_arrangement="alone", name=f"待访{i}", phone=f"1381234000{i}")
        for i in range(3)
    ]


def test_the_worker_calls_from_the_due_list_and_that_read_is_audited(client, staff, due):
    client.force_login(staff["community_worker"])
    page = client.get("/visits/due/").content.decode()
    assert 'href="tel:13812340000"' in page
    assert 'aria-label="拨打 待访0 的电话"' in page  # a screen reader says whom the button calls
    assert f'data-elder="{due[0].pk}"' in page
    assert AccessLog.objects.filter(user=staff["community_worker"], action="list_read", unmasked=True).exists()


def test_the_due_list_exports_every_row_with_chinese_headings(client, staff, due):
    client.force_login(staff["community_worker"])
    response = client.get("/visits/due/", {"format": "xlsx"})
    rows = list(openpyxl.load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("姓名", "性别", "年龄")
    assert {r[0] for r in rows[1:]} == {e.name for e in due}
    assert "13812340000" in {r[4] for r in rows[1:]}
    assert AccessLog.objects.get(user=staff["community_worker"], action="export").rows == 3


def test_a_leader_gets_no_call_buttons_and_masked_phones(client, staff, due):
    client.force_login(staff["leader"])
    page = client.get("/visits/due/", {"region": WUMA_GULOU})
    assert page.status_code == 200 and "tel:" not in page.content.decode()
    response = client.get("/visits/due/", {"region": WUMA_GULOU, "format": "xlsx"})
    phones = {r[4] for r in list(openpyxl.load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))[1:]}
    assert "13812340000" not in phones


def test_the_follow_ups_export_lists_each_open_one(client, staff, due):
    record_visit(
        acting_user=staff["community_worker"],
        elder=due[0],
        visited_at=timezone.now() - timedelta(minutes=5),
        method="home",
        outcome="problem",
        problems=["health"],
        notes="血压偏高",
    )
    client.force_login(staff["street_officer"])
    response = client.get("/visits/follow-ups/", {"format": "xlsx"})
    rows = list(openpyxl.load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "姓名" and rows[1][0] == due[0].name and rows[1][6] == "血压偏高"


def _job_rows(client, response):
    from jobs.models import Job

    job = Job.objects.get(pk=int(response["Location"].strip("/").split("/")[-1]))
    assert job.status == "done", job.message
    download = client.get(f"/jobs/{job.pk}/file.xlsx")
    return job, list(openpyxl.load_workbook(BytesIO(download.content)).active.iter_rows(values_only=True))


def test_a_long_due_list_is_a_job_masked_for_a_leader_and_audited_on_download(client, staff, due, settings):
    settings.EXPORT_JOB_ROWS = 2
    client.force_login(staff["leader"])
    response = client.get("/visits/due/", {"region": WUMA_GULOU, "format": "xlsx"})
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    assert not AccessLog.objects.filter(user=staff["leader"], action="export").exists()
    job, rows = _job_rows(client, response)
    assert rows[0][:3] == ("姓名", "性别", "年龄") and {r[0] for r in rows[1:]} == {e.name for e in due}
    assert not {e.phone for e in due} & {r[4] for r in rows[1:]}
    entry = AccessLog.objects.get(user=staff["leader"], action="export")
    assert (entry.rows, entry.unmasked, entry.what) == (3, False, job.what)
    assert job.filename == f"due-{job.params['period']}-{WUMA_GULOU}.xlsx"


def test_a_long_follow_ups_list_is_a_job(client, staff, due, settings):
    for elder in due:
        record_visit(
            acting_user=staff["community_worker"],
            elder=elder,
            visited_at=timezone.now() - timedelta(minutes=5),
            method="home",
            outcome="problem",
            problems=["health"],
            notes="血压偏高",
        )
    settings.EXPORT_JOB_ROWS = 2
    client.force_login(staff["street_officer"])
    response = client.get("/visits/follow-ups/", {"format": "xlsx"})
    _job, rows = _job_rows(client, response)
    assert rows[0][0] == "姓名" and {r[0] for r in rows[1:]} == {e.name for e in due}
