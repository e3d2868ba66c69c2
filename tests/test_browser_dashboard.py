"""In headless Chromium: a leader opens the dashboard, drills to a street, opens the lagging
community's list of elders not visited; a leader opens 应享未享 behind its number and exports it.
Screenshots are kept."""

import time
from datetime import date, datetime
from io import BytesIO

import openpyxl
import pytest
from django.utils import timezone

from core.periods import period_of
from regions.models import Region
from regions.services import load_regions
from reports.services import compute_month
from services.models import Visit
from subsidies.tests.helpers import load_pack_for_today, poor_disabled_in_institution
from tests.browser import PHONE, login, screenshot
from tests.factories import PASSWORD, WUMA_GULOU, WUMA_MOCHI, ElderFactory, make_staff

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


@pytest.mark.parametrize("viewport, name", [(PHONE, "phone"), ({"width": 1920, "height": 1080}, "desktop")])
def test_leader_opens_the_unclaimed_list_behind_the_number_and_exports_it(live_server, browser, viewport, name):
    """Dashboard → 应享未享 page (masked for the leader) → Excel, timed from the login."""
    load_regions(prefix="2201")
    load_pack_for_today("jilin", "22")
    village = Region.objects.filter(code__startswith="2201", level="village").order_by("code").first()
    make_staff("jleader", "leader", "220100000000")
    worker = make_staff("jw", "community_worker", village.code)
    elders = [poor_disabled_in_institution({"village": village, "worker": worker}) for _ in range(3)]
    period = period_of(timezone.localdate())
    compute_month(period)

    ctx = browser.new_context(viewport=viewport, locale="zh-CN", service_workers="block", accept_downloads=True)
    page = ctx.new_page()
    started = time.perf_counter()
    login(page, live_server.url, "jleader", PASSWORD)
    page.goto(f"{live_server.url}/dashboard/?period={period}")
    page.click("[data-testid=unclaimed-JL-INSTITUTION-STAY]")
    assert "共 3 人" in page.inner_text("[data-testid=unclaimed-count]")
    table = page.inner_text("[data-testid=unclaimed]")
    assert all(e.name in table for e in elders)
    assert elders[0].id_number not in table and elders[0].masked_id_number in table
    with page.expect_download() as download:
        page.click("[data-testid=unclaimed-export]")
    # The download's file has no extension, which openpyxl wants: read its bytes.
    sheet = openpyxl.load_workbook(BytesIO(download.value.path().read_bytes())).active
    assert sheet.max_row == 4 and sheet.cell(1, 1).value == "姓名"
    seconds = time.perf_counter() - started
    screenshot(page, f"unclaimed-{name}.png")
    print(f"leader {name}: login → dashboard → 应享未享 → Excel in {seconds:.2f} s, 4 steps")
    ctx.close()
