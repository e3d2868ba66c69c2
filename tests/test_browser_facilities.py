"""In headless Chromium: a facility operator records an admission from the wait-list; the
occupancy and the elder's file update, and the next applicant's position is shown."""

from datetime import timedelta

import pytest
from django.utils import timezone

from facilities import services
from facilities.tests.helpers import make_facility
from services.models import ProviderStaff
from services.tests.factories import make_provider
from tests.browser import PHONE, login, screenshot
from tests.factories import PASSWORD, ElderFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_operator_admits_and_the_queue_moves_on(live_server, browser, staff):
    provider = make_provider()
    ProviderStaff.objects.create(user=staff["provider_staff"], provider=provider)
    centre = make_facility(name="五马街道综合养老服务中心", operator=provider, beds=10, nursing_beds=6)
    first = ElderFactory(name="周阿婆", economic_status="extreme_poverty")
    second = ElderFactory(name="吴阿公")
    for elder, days in ((first, 3), (second, 20)):
        services.apply_for_bed(
            acting_user=staff["community_worker"],
            facility=centre,
            elder=elder,
            applied_on=timezone.localdate() - timedelta(days=days),
        )

    ctx = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = ctx.new_page()
    login(page, live_server.url, "provider", PASSWORD)
    page.goto(f"{live_server.url}/facilities/{centre.pk}/")
    assert "周阿婆" in page.inner_text("[data-testid=next-applicant]")
    assert page.inner_text("[data-testid=residents-count]").strip() == "0"
    page.fill("#id_id_number", first.id_number)
    page.fill("#id_bed", "101-1")
    page.click("[data-testid=admit]")
    page.wait_for_load_state()
    screenshot(page, "facility-admission-phone.png")
    assert page.inner_text("[data-testid=residents-count]").strip() == "1"
    assert page.inner_text("[data-testid=vacancy]").strip() == "9"
    next_up = page.inner_text("[data-testid=next-applicant]")
    assert "吴阿公" in next_up and "1" in next_up
    screenshot(page, "facility-admission-phone.png")
    ctx.close()

    ctx = browser.new_context(locale="zh-CN")
    page = ctx.new_page()
    login(page, live_server.url, "worker", PASSWORD)
    page.goto(f"{live_server.url}/elders/{first.pk}/")
    residency = page.inner_text("[data-testid=residency]")
    assert "五马街道综合养老服务中心" in residency and "101-1" in residency
    page.goto(f"{live_server.url}/elders/{second.pk}/")
    waitlist = page.inner_text("[data-testid=waitlist]")
    assert "五马街道综合养老服务中心" in waitlist and "1" in waitlist
    ctx.close()
    first.refresh_from_db()
    assert first.living_arrangement == "institution"
