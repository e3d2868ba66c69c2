"""Tasks: a unit's own account reports with evidence; any other account is refused; overdue once the
deadline passes; the page of each unit's open and overdue tasks; the API; scope everywhere."""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from plans.models import Task, TaskAssignment, TaskEvidence, TaskUpdate
from plans.selectors import open_assignments, task_summary, unit_summaries
from plans.services import report_on_task
from regions.models import Region
from tests.factories import LUCHENG, api_client

from .conftest import PDF

pytestmark = pytest.mark.django_db


def part(code: str, unit: str) -> TaskAssignment:
    return TaskAssignment.objects.select_related("task").get(task__code=code, department__name=unit)


def pdf(name="会议纪要.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_a_unit_reports_its_part_done_with_evidence(units, media, client):
    lead = part("WZ-1", "市卫健委")  # 市卫健委 leads 凸显家庭主体责任
    report_on_task(
        acting_user=units["卫健"], assignment=lead, status="done", note="已印发通知", files=[pdf()]
    )
    lead.refresh_from_db()
    assert lead.status == "done" and lead.completed_on == timezone.localdate() and lead.last_report_at
    evidence = TaskEvidence.objects.get(update__assignment=lead)
    assert evidence.original_name == "会议纪要.pdf" and evidence.file.read() == PDF

    # The task page shows the report and its evidence; the leader downloads it.
    client.force_login(units["leader"])
    page = client.get(f"/plans/tasks/{lead.task_id}/").content.decode()
    assert "已印发通知" in page and "会议纪要.pdf" in page
    response = client.get(f"/plans/evidence/{evidence.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    # A county outside the reporting unit's region does not see the city unit's evidence.
    client.force_login(units["龙湾"])
    assert client.get(f"/plans/evidence/{evidence.pk}/").status_code == 404


def test_another_units_account_is_refused_and_nothing_is_written(units, media, english):
    part_of_health = part("WZ-1", "市卫健委")
    # The city administrator of 市民政局 holds the permission, but not for 市卫健委's part.
    with pytest.raises(PermissionDenied, match="Only an account of 市卫健委"):
        report_on_task(
            acting_user=units["民政"], assignment=part_of_health, status="in_progress", note="代报"
        )
    # A leader (no unit, no permission) and a county government are refused as well.
    for who in ("leader", "鹿城"):
        with pytest.raises(PermissionDenied):
            report_on_task(acting_user=units[who], assignment=part_of_health, status="in_progress", note="x")
    assert not TaskUpdate.objects.exists()
    # Through the API the same refusal is a 403.
    api = api_client(units["民政"])
    response = api.post(
        f"/api/v1/task-assignments/{part_of_health.pk}/report/",
        {"status": "done", "note": "x"},
        format="multipart",
    )
    assert response.status_code == 403 and not TaskUpdate.objects.exists()


def test_done_needs_evidence_and_a_bad_file_names_the_field(units, media, english):
    mine = part("WZ-1", "市卫健委")
    with pytest.raises(ValidationError) as err:
        report_on_task(acting_user=units["卫健"], assignment=mine, status="done", note="完成")
    assert "files" in err.value.message_dict
    fake = SimpleUploadedFile("photo.png", b"not a png at all", content_type="image/png")
    with pytest.raises(ValidationError) as err:
        report_on_task(
            acting_user=units["卫健"], assignment=mine, status="in_progress", note="n", files=[fake]
        )
    assert "the content of photo.png is not a PNG file" in " ".join(err.value.message_dict["files"])
    with pytest.raises(ValidationError) as err:
        report_on_task(acting_user=units["卫健"], assignment=mine, status="in_progress", note="  ")
    assert "note" in err.value.message_dict
    mine.refresh_from_db()
    assert mine.status == "not_started" and not TaskUpdate.objects.exists()


def test_overdue_once_the_deadline_has_passed(units):
    city = Region.objects.get(code="330300000000")
    task = Task.objects.get(code="WZ-6B")  # 2027年7月1日前, 其余城镇老旧小区配置到位
    deadline = task.deadline
    assert deadline == date(2027, 7, 1)
    on_time = open_assignments(units["leader"], city, deadline)
    late = open_assignments(units["leader"], city, deadline + timedelta(days=1))
    assert not any(a.overdue for a in on_time if a.task_id == task.pk)
    assert all(a.overdue for a in late if a.task_id == task.pk)
    before = task_summary(units["leader"], city, deadline)
    after = task_summary(units["leader"], city, deadline + timedelta(days=1))
    assert after.overdue == before.overdue + 1 and after.on_time == before.on_time - 1
    # An ongoing task (长期, no deadline) is never overdue.
    assert not any(
        a.overdue for a in open_assignments(units["leader"], city, date(2099, 1, 1)) if a.task.code == "WZ-1"
    )


def test_units_page_lists_each_units_open_and_overdue_tasks(units, client):
    client.force_login(units["卫健"])
    page = client.get("/plans/").content.decode()
    # Their own unit first, with its overdue tasks flagged (WZ-11 was due at the end of 2025).
    first = page.index('data-testid="unit"')
    assert 'data-unit="市卫健委"' in page[first : first + 200]
    assert 'data-task="WZ-11" data-overdue="1"' in page
    assert 'data-task="WZ-1"' in page  # ongoing: open, not overdue
    assert 'data-task="WZ-1" data-overdue' not in page
    summary = {
        s.unit.name: s
        for s in unit_summaries(units["卫健"], Region.objects.get(code="330300000000"), timezone.localdate())
    }
    assert summary["市卫健委"].overdue >= 2 and summary["鹿城区人民政府"].total == 21

    # A district government's account sees its own unit only.
    client.force_login(units["鹿城"])
    page = client.get("/plans/").content.decode()
    assert 'data-unit="鹿城区人民政府"' in page and "市民政局" not in page and "龙湾区人民政府" not in page
    assert client.get("/plans/?region=330300000000").status_code == 404


def test_task_page_offers_the_report_form_only_to_a_responsible_unit(units, client, media):
    task = Task.objects.get(code="WZ-9")
    client.force_login(units["leader"])
    assert 'data-testid="report-form"' not in client.get(f"/plans/tasks/{task.pk}/").content.decode()
    client.force_login(units["鹿城"])
    page = client.get(f"/plans/tasks/{task.pk}/").content.decode()
    assert 'data-testid="report-form"' in page
    # The district sees its own part, not the city departments' or another district's.
    assert 'data-unit="鹿城区人民政府"' in page and 'data-unit="市民政局"' not in page
    own = part("WZ-9", "鹿城区人民政府")
    response = client.post(
        f"/plans/tasks/{task.pk}/report/",
        {"assignment": own.pk, "status": "done", "note": "已建成家庭养老床位", "files": [pdf("台账.pdf")]},
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == "done"
    # Posting for another unit's part is not found (outside scope), not silently accepted.
    other = part("WZ-9", "龙湾区人民政府")
    response = client.post(
        f"/plans/tasks/{task.pk}/report/", {"assignment": other.pk, "status": "done", "note": "x"}
    )
    assert response.status_code == 404
    # A task none of whose parts lies in the district is not shown to it at all.
    city_only = Task.objects.create(region_id="330300000000", code="X-1", text="市级任务", pack="wenzhou")
    TaskAssignment.objects.create(
        task=city_only, department=own.department.__class__.objects.get(name="市民政局")
    )
    assert client.get(f"/plans/tasks/{city_only.pk}/").status_code == 404
    client.force_login(units["leader"])
    assert client.get(f"/plans/tasks/{city_only.pk}/").status_code == 200


def test_api_lists_tasks_with_the_parts_in_scope_and_takes_a_report(units, media):
    api = api_client(units["鹿城"])
    tasks = api.get("/api/v1/tasks/?page_size=100").json()["results"]
    assert tasks and all(p["unit"] == "鹿城区人民政府" for t in tasks for p in t["parts"])
    wz5 = next(t for t in tasks if t["code"] == "WZ-5")
    assert (
        wz5["overdue"] is True
        and wz5["clause"] == "三(二)5"
        and wz5["text"].startswith("强化养老设施顶层规划")
    )
    own = wz5["parts"][0]["id"]
    response = api.post(
        f"/api/v1/task-assignments/{own}/report/",
        {"status": "done", "note": "规划已编制", "files": [pdf("规划.pdf")]},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "done" and body["reports"][0]["evidence"][0]["original_name"] == "规划.pdf"
    other = part("WZ-5", "龙湾区人民政府").pk
    assert api.get(f"/api/v1/task-assignments/{other}/").status_code == 404
    overdue = api.get("/api/v1/task-assignments/?overdue=true&page_size=100").json()["results"]
    assert overdue and all(a["overdue"] for a in overdue) and own not in {a["id"] for a in overdue}


def test_pages_and_api_need_the_permission(units, staff, client):
    task = Task.objects.get(code="WZ-9")
    client.force_login(staff["assessor"])  # no plan permissions
    assert client.get("/plans/").status_code == 403
    assert client.get(f"/plans/tasks/{task.pk}/").status_code == 403
    api = api_client(staff["provider_staff"])
    assert api.get("/api/v1/tasks/").status_code == 403
    assert api.get("/api/v1/task-assignments/").status_code == 403
    client.logout()
    assert client.get("/plans/").status_code == 302  # to the login page


def test_the_dashboard_keeps_its_plan_part_until_a_unit_reports(units, media, client):
    """The plan's part of the dashboard is the same for everyone who may see the region, so it is
    served from the cache, but a unit's report shows on the next page."""
    client.force_login(units["鹿城"])
    url = f"/dashboard/?region={LUCHENG}"

    def done_tasks(page: str) -> int:
        return int(re.search(r'data-count="done">(\d+)<', page).group(1))

    before = done_tasks(client.get(url).content.decode())
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    # Read for the second time: no target, task or assignment is read again.
    assert not any("plans_" in q["sql"] for q in second.captured_queries)
    # Under 鹿城区 a task is done when the district's own part of it is.
    report_on_task(
        acting_user=units["鹿城"],
        assignment=part("WZ-9", "鹿城区人民政府"),
        status="done",
        note="已完成",
        files=[pdf()],
    )
    assert done_tasks(client.get(url).content.decode()) == before + 1
