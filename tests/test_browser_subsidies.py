"""In headless Chromium: a community worker applies for a subsidy for an elder with the bank account,
the street officer and then the district officer approve it from their review queues, the city runs
the month's roll from its page, decides the cross-checks and approves it, and the payment shows on
the elder's file."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.models import RecognisedResult
from core.periods import period_of
from regions.models import Region
from regions.services import load_regions
from subsidies.models import Application, DisbursementBatch, Entitlement, Payment
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
    section.locator("li", has_text="郑阿婆").locator("a.btn").click()
    # The cash subsidy's bank account, written as the bank prints it.
    page.wait_for_url("**/subsidies/apply/**")
    page.fill("input[name=payee_account]", "6222 0200 1234 5678")
    page.locator("[data-testid=apply-form] button[type=submit]").click()
    page.wait_for_url("**/subsidies/applications/**")
    assert "郑阿婆" in page.inner_text("main")
    application = Application.objects.get(elder=elder, scheme__code="JL-INSTITUTION-STAY")
    assert (application.status, application.level) == ("under_review", "street")
    assert (application.payee_name, application.payee_account) == ("郑阿婆", "6222020012345678")
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

    # The city runs the month's roll from its page, decides each cross-check and approves the roll.
    # (Paid from the month after approval: as if approved last month, this month is the first.)
    Entitlement.objects.filter(pk=entitlement.pk).update(first_period=period_of(timezone.localdate()))
    entitlement.refresh_from_db()
    make_staff("jc-b", "city_admin", "220100000000")
    ctx = browser.new_context(locale="zh-CN")
    page = ctx.new_page()
    login(page, live_server.url, "jc-b", PASSWORD)
    page.goto(f"{live_server.url}/subsidies/batches/")
    form = page.locator("[data-testid=run-roll] form")
    form.locator("input[name=period]").fill(entitlement.first_period)
    form.locator("select[name=region]").select_option("220100000000")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/subsidies/runs/**")
    page.wait_for_selector("[data-testid=run-progress][data-status=done]")
    payment = Payment.objects.get(entitlement=entitlement)
    assert payment.amount == entitlement.amount
    page.locator("[data-testid=run-result] + ul a").first.click()
    page.wait_for_url("**/subsidies/batches/**")
    assert page.locator("[data-testid=approve-form] button[type=submit]").is_disabled()  # checks open
    screenshot(page, "subsidies-roll-checks-desktop.png")
    for box in page.locator("[data-testid=checks] input[name=checks]").all():
        box.check()
    page.locator("[data-testid=checks-form] button[value=acknowledged]").click()
    page.wait_for_load_state()
    page.locator("[data-testid=approve-form] input[name=confirm]").check()
    page.locator("[data-testid=approve-form] button[type=submit]").click()
    page.wait_for_selector("[data-testid=roster]")
    assert DisbursementBatch.objects.get(pk=payment.batch_id).status == "approved"
    ctx.close()

    # The worker sees the payment on the elder's file.
    ctx = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = ctx.new_page()
    login(page, live_server.url, "jw", PASSWORD)
    page.goto(f"{live_server.url}/elders/{elder.pk}/")
    payments = page.inner_text("[data-testid=payments]")
    assert entitlement.first_period in payments
    assert f"{payment.amount}" in payments and "JL-INSTITUTION-STAY" in payments
    page.click("[data-section-nav] a[href='#section-subsidies']")  # the file's part on subsidies
    screenshot(page, "subsidies-elder-file-payment-phone.png")
    ctx.close()
