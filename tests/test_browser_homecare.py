"""In headless Chromium: a community worker orders a home service for an elder with a 南阳
service allowance, the provider dispatches it, the caregiver checks in and out on a phone (the
phone's location near the home) and the elder confirms with their PIN; the month's settlement pays
the provider that service once, and a second run settles nothing new."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.periods import current_period
from homecare.models import Order, Statement, StatementLine
from homecare.settlement import settle_month
from homecare.tests.conftest import PIN
from homecare.tests.conftest import ny as ny  # noqa: F401 - the 南阳 fixture
from tests.browser import PHONE, login, screenshot
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOME = {"latitude": 33.0002, "longitude": 112.5301}  # about 25 m from the recorded home


def test_order_dispatch_check_in_out_confirm_and_settle_once(live_server, browser, ny):
    elder = ny["elder"]
    # The community worker orders from the elder's file, which shows this month's allowance.
    ctx = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = ctx.new_page()
    login(page, live_server.url, "ny-worker", PASSWORD)
    page.goto(f"{live_server.url}/elders/{elder.pk}/")
    assert "200.00" in page.inner_text("[data-testid=allowance-NY-HOME-SERVICE]")
    page.click("[data-section-nav] a[href='#section-homecare']")  # the file's part on home services
    page.click("text=预约上门服务")
    page.select_option("#id_item", str(ny["item"].pk))
    page.select_option("#id_provider", str(ny["provider"].pk))
    page.fill("#id_wanted_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.click("main button[type=submit]")
    page.wait_for_url(f"**/elders/{elder.pk}/")
    order = Order.objects.get(elder=elder)
    assert order.entitlement == ny["entitlement"] and order.status == "ordered"
    ctx.close()

    # The provider's staff dispatch it to the caregiver.
    ctx = browser.new_context(locale="zh-CN")
    page = ctx.new_page()
    login(page, live_server.url, "ny-provider", PASSWORD)
    page.goto(f"{live_server.url}/homecare/orders/")
    row = page.locator(f"[data-testid=order-{order.pk}]")
    row.locator("select[name=caregiver]").select_option(str(ny["caregiver"].pk))
    row.locator("button[type=submit]").click()
    page.wait_for_load_state()
    order.refresh_from_db()
    assert (order.status, order.caregiver) == ("dispatched", ny["caregiver"])
    ctx.close()

    # The caregiver, on a phone at the elder's home, checks in, an hour later checks out, and
    # hands the phone to the elder, who types their PIN.
    ctx = browser.new_context(viewport=PHONE, locale="zh-CN", geolocation=HOME, permissions=["geolocation"])
    page = ctx.new_page()
    login(page, live_server.url, "ny-carer", PASSWORD)
    page.goto(f"{live_server.url}/homecare/day/")
    card = page.locator(f"[data-testid=day-order-{order.pk}]")
    with page.expect_navigation():  # the form waits for the browser's location, then posts
        card.locator("button[type=submit]").click()
    order.refresh_from_db()
    assert (
        order.status == "in_progress"
        and order.checkin_distance_m is not None
        and order.checkin_distance_m < 100
    )
    Order.objects.filter(pk=order.pk).update(checked_in_at=order.checked_in_at - timedelta(minutes=60))
    page.reload()
    card = page.locator(f"[data-testid=day-order-{order.pk}]")
    card.locator("textarea[name=work_done]").fill("助洁：打扫卧室和厨房")
    with page.expect_navigation():  # the form waits for the browser's location, then posts
        card.locator("button[type=submit]").click()
    card = page.locator(f"[data-testid=day-order-{order.pk}]")
    card.locator("input[name=pin]").fill(PIN)
    with page.expect_navigation():  # the form waits for the browser's location, then posts
        card.locator("button[type=submit]").click()
    screenshot(page, "homecare-day-confirmed-phone.png")
    order.refresh_from_db()
    assert order.status == "confirmed" and order.service_record_id is not None
    assert order.amount == Decimal("50.00") and not order.flags.exists()
    ctx.close()

    # The month's settlement pays the provider that service once; a second run settles nothing.
    assert settle_month(period=current_period()).lines == 1
    assert settle_month(period=current_period()).lines == 0
    line = StatementLine.objects.get(order=order)
    assert (line.status, line.paid) == ("payable", Decimal("50.00"))
    statement = Statement.objects.get(provider=ny["provider"], period=current_period())

    # The district officer sees the statement and approves it.
    ctx = browser.new_context(locale="zh-CN")
    page = ctx.new_page()
    login(page, live_server.url, "ny-district", PASSWORD)
    page.goto(f"{live_server.url}/homecare/statements/{statement.pk}/")
    assert "50.00" in page.inner_text("[data-testid=totals]")
    page.click("text=审批结算单")
    page.wait_for_load_state()
    statement.refresh_from_db()
    assert statement.status == "approved" and statement.payable == Decimal("50.00")
    ctx.close()
