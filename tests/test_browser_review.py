"""In headless Chromium, the street's and the district's day (issue 14): each opens the inbox,
follows 待审核申请 to its review queue and approves an application with an opinion; the street's
approval sends it to the district (whose inbox then counts it, with the street's opinion shown),
the district's approves it. Phone and desktop screenshots; the steps and seconds of each review
from the inbox are printed (`-s`)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.models import RecognisedResult
from regions.models import Region
from regions.services import load_regions
from subsidies.models import Application, Entitlement
from subsidies.tests.helpers import api, load_pack_for_today
from tests.browser import DESKTOP, PHONE, Steps, login, screenshot
from tests.factories import PASSWORD, ElderFactory, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def submitted():
    """A slice of Jilin (2201) with its pack and one application waiting for the street."""
    load_regions(prefix="2201")
    load_pack_for_today("jilin", "22")
    town = Region.objects.filter(code__startswith="2201", level="town").order_by("code").first()
    village = Region.objects.filter(parent=town, level="village").order_by("code").first()
    worker = make_staff("jw", "community_worker", village.code)
    make_staff("js", "street_officer", town.code)
    make_staff("jd", "district_officer", town.code[:6].ljust(12, "0"))
    elder = ElderFactory(
        name="审核阿婆", residence_id=village.code, economic_status="dibao", living_arrangement="institution"
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
        {"elder": elder.pk, "scheme": "JL-INSTITUTION-STAY", "payee_account": "6222020012345678"},
        format="json",
    )
    assert made.status_code == 201, made.content
    return Application.objects.get(pk=made.json()["id"])


def _review_from_the_inbox(
    browser, live_server, viewport, suffix, username, application, opinion, *, seen=""
):
    ctx = browser.new_context(viewport=viewport, locale="zh-CN")
    page = ctx.new_page()
    login(page, live_server.url, username, PASSWORD)
    steps = Steps(page)
    assert page.url.rstrip("/") == live_server.url  # the inbox is the home page
    assert page.inner_text("[data-testid=count-applications_to_review]").strip() == "1"
    assert "待审核" in page.inner_text("[data-testid=inbox-applications_to_review]")
    screenshot(page, f"review-{username}-inbox-{suffix}.png")
    steps.click("[data-testid=inbox-applications_to_review]")
    page.wait_for_url("**/subsidies/review/")
    item = page.locator(f"[data-testid=application-{application.pk}]")
    assert "审核阿婆" in item.inner_text()
    if seen:  # the level below's opinion is in front of the reviewer
        assert seen in item.inner_text()
    steps.fill(f"[data-testid=application-{application.pk}] input[name=comment]", opinion)
    screenshot(page, f"review-{username}-queue-{suffix}.png")
    steps.click(f"[data-testid=application-{application.pk}] button[value=approve]")
    page.wait_for_selector(".alert-success")
    assert page.locator(f"[data-testid=application-{application.pk}]").count() == 0
    steps.report(f"{username} review from the inbox ({suffix})")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    screenshot(page, f"review-{username}-done-{suffix}.png")
    ctx.close()


@pytest.mark.parametrize(("viewport", "suffix"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_the_street_then_the_district_review_from_their_inbox(
    live_server, browser, submitted, viewport, suffix
):
    application = submitted
    assert (application.status, application.level) == ("under_review", "street")
    _review_from_the_inbox(
        browser, live_server, viewport, suffix, "js", application, "经入户核实，情况属实，同意上报"
    )
    application.refresh_from_db()
    assert (application.status, application.level) == ("under_review", "district")
    street_step = application.steps.get()
    assert (street_step.level, street_step.decision, street_step.comment) == (
        "street",
        "approve",
        "经入户核实，情况属实，同意上报",
    )

    _review_from_the_inbox(
        browser,
        live_server,
        viewport,
        suffix,
        "jd",
        application,
        "材料齐全，同意",
        seen="经入户核实，情况属实，同意上报",
    )
    application.refresh_from_db()
    assert application.status == "approved"
    assert Entitlement.objects.filter(application=application).exists()
    assert list(application.steps.order_by("decided_at").values_list("level", "comment")) == [
        ("street", "经入户核实，情况属实，同意上报"),
        ("district", "材料齐全，同意"),
    ]
