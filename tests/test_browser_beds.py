"""In headless Chromium, on a phone and a desktop: the street offers a free bed from the wait-list,
the facility starts from its inbox (已通知床位待入住), admits the applicant from the offer to a free
bed of its inventory without typing the ID, and a second admission to the same bed (from a page
opened before) is refused. The steps and seconds of the admission from the inbox are printed (`-s`)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from facilities import services
from facilities.models import Residency
from facilities.tests.helpers import make_facility
from services.models import ProviderStaff
from services.tests.factories import make_provider
from tests.browser import DESKTOP, PHONE, Steps, login, screenshot
from tests.factories import PASSWORD, ElderFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("viewport", "suffix"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_admit_from_the_offer_to_a_free_bed_and_the_bed_is_then_taken(
    live_server, browser, staff, viewport, suffix
):
    provider = make_provider()
    ProviderStaff.objects.create(user=staff["provider_staff"], provider=provider)
    centre = make_facility(name="五马街道综合养老服务中心", operator=provider, beds=4, nursing_beds=2)
    first = ElderFactory(name="周阿婆")
    second = ElderFactory(name="吴阿公")
    for elder, days in ((first, 9), (second, 2)):
        services.apply_for_bed(
            acting_user=staff["community_worker"],
            facility=centre,
            elder=elder,
            applied_on=timezone.localdate() - timedelta(days=days),
        )
    url = f"{live_server.url}/facilities/{centre.pk}/"

    # The operator records its rooms: two beds in room 101.
    ctx = browser.new_context(viewport=viewport, locale="zh-CN")
    page = ctx.new_page()
    login(page, live_server.url, "provider", PASSWORD)
    page.goto(url)
    page.fill("#id_room", "101")
    page.fill("#id_count", "2")
    page.click("[data-testid=add-beds] button")
    page.wait_for_load_state()
    assert "空床 2 张" in page.inner_text("[data-testid=bed-inventory]")
    stale = ctx.new_page()  # a second tab, opened before the admission
    stale.goto(url)

    # The street offers the bed to the first in the queue.
    street = browser.new_context(viewport=viewport, locale="zh-CN")
    spage = street.new_page()
    login(spage, live_server.url, "street", PASSWORD)
    spage.goto(url)
    spage.click("form[action$='/offer/'] button:has-text('安排空床')")
    spage.wait_for_load_state()
    street.close()

    # The facility starts from its inbox: the offer's count opens the facility's wait-list, and it
    # admits her from the offer: her name is shown, the ID is not typed.
    page.goto(f"{live_server.url}/")
    steps = Steps(page)
    assert page.inner_text("[data-testid=count-waitlist_offers]").strip() == "1"
    screenshot(page, f"facility-inbox-{suffix}.png")
    steps.click("[data-testid=inbox-waitlist_offers]")
    page.wait_for_url(f"**/facilities/{centre.pk}/#waitlist")
    steps.click("[data-testid=admit-offer]")
    page.wait_for_load_state()
    assert "周阿婆" in page.inner_text("[data-testid=admitting]")
    steps.select("#id_assigned_bed", label="101-1")
    screenshot(page, f"facility-admit-from-offer-{suffix}.png")
    steps.click("[data-testid=admit]")
    page.wait_for_load_state()
    assert page.inner_text("[data-testid=residents-count]").strip() == "1"
    steps.report(f"facility admission from the inbox ({suffix})")
    assert "周阿婆" in page.inner_text("[data-testid=bed-inventory]")
    assert "1 张有人，1 张空" in page.inner_text("[data-testid=inventory-summary]")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    screenshot(page, f"facility-beds-{suffix}.png")

    # The tab opened before still offers 101-1: admitting 吴阿公 there is refused by the bed rule.
    stale.fill("#id_id_number", second.id_number)
    stale.select_option("#id_assigned_bed", label="101-1")
    stale.click("[data-testid=admit]")
    stale.wait_for_load_state()
    assert "101-1 已有人入住" in stale.inner_text("main")
    assert Residency.objects.filter(discharged_on__isnull=True).count() == 1
    screenshot(stale, f"facility-bed-taken-{suffix}.png")
    ctx.close()
