"""In headless Chromium: a community worker opens "due this month", records a visit with a
problem, the elder leaves the due list, and the street officer sees the follow-up."""

import pytest

from tests.browser import PHONE, login, screenshot
from tests.factories import PASSWORD, ElderFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visit_with_a_problem_reaches_the_street(live_server, browser, staff):
    elder = ElderFactory(name="孙阿婆", living_arrangement="alone")
    ElderFactory(name="钱阿公", living_arrangement="empty_nest")

    ctx = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = ctx.new_page()
    login(page, live_server.url, "worker", PASSWORD)
    page.goto(f"{live_server.url}/visits/due/")
    due = page.inner_text("[data-testid=due-list]")
    assert "孙阿婆" in due and "钱阿公" in due
    page.click(f"[data-elder='{elder.pk}'] a.btn")
    page.click("label[for=id_method_1]")  # phone
    page.click("label[for=id_outcome_1]")  # problem found
    assert page.is_visible("#problems-box")
    page.check("input[name=problems][value=safety]")
    page.fill("#id_notes", "卫生间地滑，需加装扶手")
    page.click("[data-testid=save-visit]")
    page.wait_for_url("**/visits/due/**")
    assert "孙阿婆" not in page.inner_text("[data-testid=due-list]")
    assert "钱阿公" in page.inner_text("[data-testid=due-list]")
    screenshot(page, "visits-due-phone.png")
    ctx.close()

    ctx = browser.new_context(locale="zh-CN")
    page = ctx.new_page()
    login(page, live_server.url, "street", PASSWORD)
    page.goto(f"{live_server.url}/visits/follow-ups/")
    follow_ups = page.inner_text("[data-testid=follow-ups]")
    assert "孙阿婆" in follow_ups and "安全" in follow_ups and "卫生间地滑" in follow_ups
    ctx.close()
