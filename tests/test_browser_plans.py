"""In headless Chromium: the account of 市卫健委 opens its unit's tasks, finds an overdue one, reports
it done with a PDF as evidence; the leader's dashboard then shows the plan's targets with their
computed figures and the region's tasks on time, overdue and done. Screenshots are kept."""

from datetime import date

import pytest

from facilities.tests.helpers import make_facility
from plans.models import TaskAssignment, TaskEvidence
from policies.services import load_policy_pack
from reports.services import compute_month
from tests.browser import PHONE, login, screenshot
from tests.factories import CITY, PASSWORD, WUMA, WUMA_GULOU, ElderFactory, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_unit_reports_an_overdue_task_and_the_dashboard_follows(
    live_server, browser, staff, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    load_policy_pack(name="wenzhou", region_code="3303", only=["targets", "tasks"])
    make_staff("wjw", "department_staff", CITY, department="市卫健委")
    ElderFactory(
        residence_id=WUMA_GULOU, registered_on=date(2026, 1, 1)
    )  # the monthly job covers cities with elders
    for _ in range(3):
        make_facility(region=WUMA, kind="canteen", beds=0, nursing_beds=0, status_since=date(2025, 1, 1))
    compute_month("2026-11")
    evidence = tmp_path / "医养结合工作总结.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    ctx = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = ctx.new_page()
    login(page, live_server.url, "wjw", PASSWORD)
    page.goto(f"{live_server.url}/plans/")
    first = page.locator("[data-testid=unit]").first
    assert first.get_attribute("data-unit") == "市卫健委"  # the account's own unit first
    overdue = first.locator("li[data-task='WZ-11'][data-overdue]")
    assert "逾期" in overdue.inner_text()
    screenshot(page, "plans-units.png")
    overdue.locator("a").click()
    assert page.inner_text("[data-testid=task-text]").startswith("推动医养康养结合不断深入")
    page.select_option("#id_status", "done")
    page.fill("#id_note", "已印发康养联合体建设方案，乡镇(街道)全覆盖。")
    page.set_input_files("#id_files", str(evidence))
    page.click("[data-testid=report-form] button[type=submit]")
    page.wait_for_selector(".alert-success")
    mine = page.locator("[data-testid=parts] li[data-unit='市卫健委']")
    assert mine.get_attribute("data-status") == "done" and mine.get_attribute("data-overdue") is None
    assert "医养结合工作总结.pdf" in mine.locator("[data-testid=evidence]").inner_text()
    screenshot(page, "plans-task.png")
    ctx.close()
    part = TaskAssignment.objects.get(task__code="WZ-11", department__name="市卫健委")
    assert part.status == "done" and TaskEvidence.objects.filter(update__assignment=part).count() == 1

    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = ctx.new_page()
    login(page, live_server.url, "leader", PASSWORD)
    page.goto(f"{live_server.url}/dashboard/?period=2026-11")
    canteens = page.locator("[data-testid=targets] tr[data-target='WZ-T2']")
    assert canteens.locator("[data-testid=target-figure]").inner_text().startswith("3")
    assert canteens.locator("[data-status]").get_attribute("data-status") == "missed"
    towns = page.locator(
        "[data-testid=targets] tr[data-target='WZ-T6'] [data-testid=target-figure]"
    ).inner_text()
    assert "0" in towns and "191" in towns  # elder-care advisers: no town of 191 has two yet
    summary = page.locator("[data-testid=task-summary]")
    assert summary.locator("[data-count=done]").inner_text() == "0"  # the task has other units still open
    assert int(summary.locator("[data-count=overdue]").inner_text()) > 0
    assert int(summary.locator("[data-count=on_time]").inner_text()) > 0
    screenshot(page, "dashboard-plan.png")
    page.click("text=各责任单位未完成与逾期任务")
    page.click("[data-testid=unit-table] a:has-text('市卫健委')")
    assert page.locator("[data-testid=unit]").count() == 1
    assert page.locator("li[data-task='WZ-11']").count() == 0  # done: no longer open
    ctx.close()
