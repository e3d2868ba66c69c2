"""In headless Chromium on a phone: the operator applies for a star rating of its home; the
district assigns two evaluators; each scores the pack's checklist on a phone; the district records
the result, which goes into the home's star history with the date and the evaluators, and
publishes it; the published list shows it to the street and the operator. Screenshots are kept."""

import pytest
from django.utils import timezone

from facilities.models import StarRating
from supervision.models import StarApplication
from supervision.tests.helpers import supervision_world
from tests.browser import PHONE, login, screenshot
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(browser, live_server, username):
    ctx = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = ctx.new_page()
    login(page, live_server.url, username, PASSWORD)
    return ctx, page


def _score(page, *, service_points: str) -> None:
    cards = page.locator("[data-testid=score-form] [data-item]")
    for i in range(cards.count()):
        card = cards.nth(i)
        most = card.locator("input[type=number]").get_attribute("max")
        card.locator("input[type=number]").fill(service_points if card.get_attribute("data-item") == "GBT37276-SERVICE" else most)
    page.click("[data-testid=score-form] button[type=submit]")
    page.wait_for_selector("[data-testid=status]")


def test_apply_evaluate_rate_into_star_history_and_publish(live_server, browser, wenzhou):
    world = supervision_world()
    home = world["homes"][0]

    ctx, page = _as(browser, live_server, "sv-operator")
    page.goto(f"{live_server.url}/supervision/")
    page.click("[data-testid=stars-link]")
    page.click("[data-testid=star-apply]")
    page.select_option("#id_facility", str(home.pk))
    page.select_option("#id_star", "4")
    page.fill("#id_statement", "床位80张，医护人员齐备，近三年无安全事故")
    screenshot(page, "stars-apply.png")
    page.click("[data-testid=star-apply-form] button[type=submit]")
    assert page.inner_text("[data-testid=status]") == "已申请"
    ctx.close()
    application = StarApplication.objects.get()

    ctx, page = _as(browser, live_server, "sv-district")
    page.goto(f"{live_server.url}/supervision/stars/")
    page.click(f"[data-testid=applications] a[href='/supervision/stars/{application.pk}/']")
    for user in (world["district"], world["street"]):
        page.check(f"[data-testid=assign-form] input[name=evaluators][value='{user.pk}']")
    page.click("[data-testid=assign-form] button[type=submit]")
    assert page.inner_text("[data-testid=status]") == "评定中"
    page.click("[data-testid=score-link]")
    _score(page, service_points="40")  # 80 %
    ctx.close()

    ctx, page = _as(browser, live_server, "sv-street")
    page.goto(f"{live_server.url}/supervision/stars/")
    page.click(f"[data-testid=to-score] a[href='/supervision/stars/{application.pk}/score/']")
    screenshot(page, "stars-score-phone.png")
    _score(page, service_points="60")  # 100 %
    ctx.close()

    ctx, page = _as(browser, live_server, "sv-district")
    page.goto(f"{live_server.url}/supervision/stars/{application.pk}/")
    page.click("[data-testid=decide]")
    page.wait_for_selector("[data-testid=result]")
    assert "4★" in page.inner_text("[data-testid=result]") and "90.0%" in page.inner_text("[data-testid=result]")
    history = page.inner_text("[data-testid=star-history]")
    assert "4★" in history and timezone.localdate().isoformat() in history
    assert "sv-district" in history and "sv-street" in history
    rating = StarRating.objects.get(facility=home)
    assert rating.star == 4 and rating.application == StarApplication.objects.get()
    page.click("[data-testid=publish]")
    assert page.inner_text("[data-testid=status]") == "已公布"
    screenshot(page, "stars-result.png")
    ctx.close()

    for username in ("sv-street", "sv-operator"):
        ctx, page = _as(browser, live_server, username)
        page.goto(f"{live_server.url}/supervision/stars/")
        page.click("[data-testid=stars-published]")
        row = page.locator(f"[data-testid=published] tr[data-facility='{home.name}']")
        assert row.locator("[data-testid=stars]").inner_text() == "4★"
        if username == "sv-operator":
            screenshot(page, "stars-published.png")
        ctx.close()
