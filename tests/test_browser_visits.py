"""In headless Chromium: a community worker opens "due this month" from the inbox, records a visit
with a problem, the elder leaves the due list, and the street officer sees the follow-up. The
worker's steps and seconds from the inbox are printed (`-s`), on a phone and on a desktop."""

import pytest

from tests.browser import DESKTOP, PHONE, Steps, login, screenshot
from tests.factories import PASSWORD, ElderFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("viewport", "suffix"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_visit_with_a_problem_reaches_the_street(live_server, browser, staff, viewport, suffix):
    elder = ElderFactory(name="孙阿婆", living_arrangement="alone")
    ElderFactory(name="钱阿公", living_arrangement="empty_nest")

    ctx = browser.new_context(viewport=viewport, locale="zh-CN")
    page = ctx.new_page()
    login(page, live_server.url, "worker", PASSWORD)
    steps = Steps(page)
    assert page.inner_text("[data-testid=count-visits_due]").strip() == "2"
    steps.click("[data-testid=inbox-visits_due]")
    page.wait_for_url("**/visits/due/**")
    due = page.inner_text("[data-testid=due-list]")
    assert "孙阿婆" in due and "钱阿公" in due
    steps.click(f"[data-elder='{elder.pk}'] a.btn")
    steps.click("label[for=id_method_1]")  # phone
    steps.click("label[for=id_outcome_1]")  # problem found
    assert page.is_visible("#problems-box")
    steps.check("input[name=problems][value=safety]")
    steps.fill("#id_notes", "卫生间地滑，需加装扶手")
    steps.click("[data-testid=save-visit]")
    page.wait_for_url("**/visits/due/**")
    assert "孙阿婆" not in page.inner_text("[data-testid=due-list]")
    assert "钱阿公" in page.inner_text("[data-testid=due-list]")
    steps.report(f"worker visit with a problem recorded from the inbox ({suffix})")
    screenshot(page, f"visits-due-{suffix}.png")
    ctx.close()

    ctx = browser.new_context(locale="zh-CN")
    page = ctx.new_page()
    login(page, live_server.url, "street", PASSWORD)
    page.goto(f"{live_server.url}/visits/follow-ups/")
    follow_ups = page.inner_text("[data-testid=follow-ups]")
    assert "孙阿婆" in follow_ups and "安全" in follow_ups and "卫生间地滑" in follow_ups
    ctx.close()
