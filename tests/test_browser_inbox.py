"""In headless Chromium: a community worker and a street officer start their day from the inbox,
see the counts of their waiting work and the same total on the navigation badge, and follow a
count to the list that holds those items. Screenshots on a phone and a desktop."""

import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.models import RecognisedResult
from core.periods import current_period
from regions.models import Region
from regions.services import load_regions
from services import selectors as visit_selectors
from services.models import FollowUp
from services.services import record_visit
from subsidies.tests.helpers import api, load_pack_for_today
from tests.browser import PHONE, login, screenshot
from tests.factories import PASSWORD, ElderFactory, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP = {"width": 1920, "height": 1080}


@pytest.fixture
def day():
    """A slice of Jilin (2201) with its pack: a worker's applications, one returned by the street
    and one waiting for its review, elders due for a visit, and a follow-up past its day."""
    load_regions(prefix="2201")
    load_pack_for_today("jilin", "22")
    town = Region.objects.filter(code__startswith="2201", level="town").order_by("code").first()
    village = Region.objects.filter(parent=town, level="village").order_by("code").first()
    worker = make_staff("jw", "community_worker", village.code)
    street = make_staff("js", "street_officer", town.code)
    applicants = []
    for name in ("退回阿婆", "待审阿公"):
        elder = ElderFactory(
            name=name, residence_id=village.code, economic_status="dibao", living_arrangement="institution"
        )
        RecognisedResult.objects.create(
            elder=elder,
            source="health",
            assessed_on=timezone.localdate() - timedelta(days=2),
            grade=3,
            valid_until=timezone.localdate() + timedelta(days=300),
            recorded_by=worker,
        )
        made = api(worker).post(
            "/api/v1/subsidy-applications/",
            {"elder": elder.pk, "scheme": "JL-INSTITUTION-STAY"},
            format="json",
        )
        applicants.append(made.json()["id"])
    api(street).post(
        f"/api/v1/subsidy-applications/{applicants[0]}/review/",
        {"decision": "reject", "comment": "缺少入住协议"},
        format="json",
    )
    for name in ("独居甲", "独居乙", "独居丙"):
        ElderFactory(name=name, residence_id=village.code, living_arrangement="alone")
    visited = ElderFactory(name="跟进阿婆", residence_id=village.code, living_arrangement="alone")
    record_visit(
        acting_user=worker,
        elder=visited,
        visited_at=timezone.now() - timedelta(hours=1),
        method="home",
        outcome="problem",
        problems=["safety"],
        notes="楼道灯坏了",
    )
    FollowUp.objects.filter(elder=visited).update(due_on=timezone.localdate() - timedelta(days=3))
    return {"worker": worker, "street": street}


def _count(page, key: str) -> int:
    return int(page.inner_text(f"[data-testid=count-{key}]"))


def _badge(page, testid: str) -> int:
    page.wait_for_selector(f"[data-testid={testid}][data-loaded]", state="attached")
    return int(page.locator(f"[data-testid={testid}]").inner_text())


def test_the_worker_and_the_street_start_from_their_inbox(live_server, browser, day):
    due = visit_selectors.due_list(day["worker"], current_period()).count()
    assert due >= 3
    timings = {}

    for viewport, suffix in ((PHONE, "phone"), (DESKTOP, "desktop")):
        ctx = browser.new_context(viewport=viewport, locale="zh-CN")
        page = ctx.new_page()
        started = time.monotonic()
        login(page, live_server.url, "jw", PASSWORD)
        assert page.url.rstrip("/") == live_server.url  # the inbox is the home page
        assert "我的待办" in page.inner_text("h1")
        found = {
            key: _count(page, key) for key in ("visits_due", "follow_ups_overdue", "applications_returned")
        }
        assert found == {"visits_due": due, "follow_ups_overdue": 1, "applications_returned": 1}
        assert "本月待探访" in page.inner_text("[data-testid=inbox]")
        total = int(page.inner_text("[data-testid=inbox-total]"))
        assert total == due + 2
        badge = "inbox-badge-phone" if suffix == "phone" else "inbox-badge"
        assert page.is_visible(f"[data-testid={badge}]")
        assert int(page.inner_text(f"[data-testid={badge}]")) == total
        screenshot(page, f"inbox-worker-{suffix}.png")
        page.click("[data-testid=inbox-applications_returned]")
        page.wait_for_url(re.compile(r".*/subsidies/applications/\?status=returned$"))
        listed = page.inner_text("main")
        assert "退回阿婆" in listed and "待审阿公" not in listed
        timings[f"worker-{suffix}"] = time.monotonic() - started
        # On any other page the badge is fetched after the page: the same total.
        assert _badge(page, badge) == total
        ctx.close()

    for viewport, suffix in ((PHONE, "phone"), (DESKTOP, "desktop")):
        ctx = browser.new_context(viewport=viewport, locale="zh-CN")
        page = ctx.new_page()
        started = time.monotonic()
        login(page, live_server.url, "js", PASSWORD)
        assert page.url.rstrip("/") == live_server.url
        found = {key: _count(page, key) for key in ("applications_to_review", "follow_ups_overdue")}
        assert found == {"applications_to_review": 1, "follow_ups_overdue": 1}
        screenshot(page, f"inbox-street-{suffix}.png")
        page.click("[data-testid=inbox-applications_to_review]")
        page.wait_for_url("**/subsidies/review/")
        queue = page.inner_text("main")
        assert "待审阿公" in queue and "退回阿婆" not in queue
        page.go_back()
        page.click("[data-testid=inbox-follow_ups_overdue]")
        page.wait_for_url("**/visits/follow-ups/?overdue=1")
        assert "跟进阿婆" in page.inner_text("[data-testid=follow-ups]")
        timings[f"street-{suffix}"] = time.monotonic() - started
        screenshot(page, f"inbox-street-follow-ups-{suffix}.png")
        ctx.close()
    print("inbox seconds, login to the list:", {k: round(v, 2) for k, v in timings.items()})
