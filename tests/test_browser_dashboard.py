"""In headless Chromium: a leader opens the dashboard, drills to a street, opens the lagging
community's list of elders not visited; a screenshot of the dashboard is kept."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from reports.services import compute_month
from services.models import Visit
from tests.browser import login, screenshot
from tests.factories import PASSWORD, WUMA_GULOU, WUMA_MOCHI, ElderFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_drills_down_to_the_lagging_community(live_server, browser, staff):
    tz = timezone.get_current_timezone()
    for i in range(3):
        e = ElderFactory(
            residence_id=WUMA_GULOU,
            living_arrangement="alone",
            registered_on=date(2026, 1, 1),
            name=f"鼓楼{i}",
        )
        Visit.objects.create(
            elder=e,
            visitor=staff["community_worker"],
            visited_at=datetime(2026, 9, 5 + i, 10, tzinfo=tz),
            method="home",
            outcome="normal",
        )
    for i in range(2):
        ElderFactory(
            residence_id=WUMA_MOCHI,
            living_arrangement="alone",
            registered_on=date(2026, 1, 1),
            name=f"墨池未访{i}",
        )
    compute_month("2026-09")

    # No service worker here: requests it would make are out of reach of page.route below.
    ctx = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="zh-CN", service_workers="block"
    )
    page = ctx.new_page()
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    login(page, live_server.url, "leader", PASSWORD)
    # The chart library is held back: the figures must be there without it.
    held = []
    page.route("**/echarts.common.min*.js", lambda route: held.append(route))
    page.goto(f"{live_server.url}/dashboard/?period=2026-09")
    assert page.inner_text("[data-testid=visit-rate]") == "60.0%"
    page.wait_for_function("() => document.readyState === 'complete'")  # the page loaded without it
    assert held and not page.locator("#chart-trend canvas").count()
    held[0].continue_()
    page.wait_for_selector("#chart-trend canvas")
    assert not refused
    screenshot(page, "dashboard.png")
    page.click("[data-testid=children] a[data-region='330302000000']")  # 鹿城区
    page.click("[data-testid=children] a[data-region='330302006000']")  # 五马街道
    assert "五马街道" in page.inner_text("[data-testid=dashboard-region]")
    worst = page.locator("[data-testid=children] .list-group-item-danger a")
    assert worst.inner_text() == "墨池社区"
    worst.click()
    assert page.inner_text("[data-testid=visit-rate]") == "0.0%"
    page.click("[data-testid=due-link]")
    due = page.inner_text("[data-testid=due-list]")
    assert "墨池未访0" in due and "墨池未访1" in due and "鼓楼" not in due
    ctx.close()
