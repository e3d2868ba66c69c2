"""In headless Chromium: a community worker applies for a subsidy for an elder, the street officer
and then the district officer approve it from their review queues, the month is run, and the
payment shows on the elder's file."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.models import RecognisedResult
from regions.models import Region
from regions.services import load_regions
from subsidies.disbursement import run_disbursement
from subsidies.models import Application, Entitlement, Payment
from subsidies.tests.helpers import load_pack_for_today
from tests.browser import PHONE, login, screenshot
from tests.factories import PASSWORD, ElderFactory, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def jilin():
    """A slice of Jilin (2201) with its pack, as subsidies/tests/conftest.py sets it up."""
    load_regions(prefix="2201")
    load_pack_for_today("jilin", "22")
    town = Region.objects.filter(code__startswith="2201", level="town").order_by("code").first()
    village = Region.objects.filter(parent=town, level="village").order_by("code").first()
    make_staff("jw", "community_worker", village.code)
    make_staff("js", "street_officer", town.code)
    make_staff("jd", "district_officer", town.code[:6].ljust(12, "0"))
    return village


def test_application_climbs_the_levels_and_the_payment_reaches_the_file(live_server, browser, jilin):
    worker = make_staff("jw-b", "community_worker", jilin.code)
    elder = ElderFactory(
        name="郑阿婆", residence_id=jilin.code, economic_status="dibao", living_arrangement="institution"
    )
    RecognisedResult.objects.create(
        elder=elder,
        source="health",
        assessed_on=timezone.localdate() - timedelta(days=2),
        grade=3,  # 失能: the institution-stay subsidy pays the "disabled" amount
        valid_until=timezone.localdate() + timedelta(days=300),
        recorded_by=worker,
    )

    # The community worker applies from the "eligible, not yet applied" list.
    ctx = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = ctx.new_page()
    login(page, live_server.url, "jw", PASSWORD)
    page.goto(f"{live_server.url}/subsidies/eligible/")
    section = page.locator("[data-testid=scheme-JL-INSTITUTION-STAY]")
    section.locator("li", has_text="郑阿婆").locator("button[type=submit]").click()
    page.wait_for_url("**/subsidies/applications/**")
    assert "郑阿婆" in page.inner_text("main")
    application = Application.objects.get(elder=elder, scheme__code="JL-INSTITUTION-STAY")
    assert (application.status, application.level) == ("under_review", "street")
    ctx.close()

    # The street officer, then the district officer, approve it from their queues.
    for username, level_after in (("js", "district"), ("jd", None)):
        ctx = browser.new_context(locale="zh-CN")
        page = ctx.new_page()
        login(page, live_server.url, username, PASSWORD)
        page.goto(f"{live_server.url}/subsidies/review/")
        item = page.locator(f"[data-testid=application-{application.pk}]")
        assert "郑阿婆" in item.inner_text()
        item.locator("input[name=comment]").fill(f"{username} 审核通过")
        item.locator("button[value=approve]").click()
        page.wait_for_load_state()
        assert page.locator(f"[data-testid=application-{application.pk}]").count() == 0
        application.refresh_from_db()
        if level_after:
            assert (application.status, application.level) == ("under_review", level_after)
        ctx.close()
    assert application.status == "approved"
    entitlement = Entitlement.objects.get(application=application)

    # The month's roll (the monthly job) pays the entitlement's first month.
    result = run_disbursement(period=entitlement.first_period)
    assert result.payments == 1
    payment = Payment.objects.get(entitlement=entitlement)
    assert payment.amount == entitlement.amount

    # The worker sees the payment on the elder's file.
    ctx = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = ctx.new_page()
    login(page, live_server.url, "jw", PASSWORD)
    page.goto(f"{live_server.url}/elders/{elder.pk}/")
    payments = page.inner_text("[data-testid=payments]")
    assert entitlement.first_period in payments
    assert f"{payment.amount}" in payments and "JL-INSTITUTION-STAY" in payments
    screenshot(page, "subsidies-elder-file-payment-phone.png")
    ctx.close()
