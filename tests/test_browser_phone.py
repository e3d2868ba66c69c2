"""In headless Chromium on a phone (390×844): the pages a community worker and a street officer
use every day keep each button's words on one line, show list tables as one card per row with
the column names, and a form being sent disables its button and says 保存中… until the answer."""

import json
import time

import pytest

from tests.browser import PHONE, login, screenshot
from tests.factories import PASSWORD, WUMA_GULOU, ElderFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Lines a button's text takes: the distinct tops of its text's line boxes.
WRAPPED_BUTTONS = """() => [...document.querySelectorAll('.btn')].filter((b) => b.offsetParent !== null).filter((b) => {
  const r = document.createRange(); r.selectNodeContents(b);
  return new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size > 1;
}).map((b) => b.textContent.trim())"""


def test_phone_pages_keep_buttons_whole_and_tables_as_cards(live_server, browser, staff):
    elders = [ElderFactory(residence_id=WUMA_GULOU, living_arrangement="alone", name=f"手机老人{i}") for i in range(3)]
    ctx = browser.new_context(viewport=PHONE, locale="zh-CN", service_workers="block")
    page = ctx.new_page()
    login(page, live_server.url, "worker", PASSWORD)
    pages = ["/", "/elders/", f"/elders/{elders[0].pk}/", "/visits/due/", "/visits/follow-ups/", f"/visits/new/{elders[0].pk}/"]
    for path in pages:
        page.goto(live_server.url + path)
        assert page.evaluate(WRAPPED_BUTTONS) == [], path
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), f"{path} scrolls sideways"
    page.goto(live_server.url + "/elders/")
    row = page.locator("table.table-cards tbody tr").first
    assert row.evaluate("(tr) => getComputedStyle(tr).display") == "block"
    assert row.locator("td").first.get_attribute("data-label") == "姓名"
    screenshot(page, "phone-elder-list.png")
    ctx.close()


# Kept in sessionStorage, which outlives the navigation the form starts: what the button showed
# while the form was on its way; and a second sending of the form 300 ms after the first.
WATCH_THE_BUTTON = """() => {
  const form = document.querySelector('main form');
  const button = form.querySelector('button[type=submit]');
  new MutationObserver(() => {
    if (button.disabled) sessionStorage.setItem('sending', JSON.stringify([button.disabled, button.textContent]));
  }).observe(button, {attributes: true, childList: true, characterData: true, subtree: true});
  form.addEventListener('submit', () => setTimeout(() => form.requestSubmit(), 300), {once: true});
}"""


def test_a_form_being_sent_says_so_and_takes_no_second_press(live_server, browser, staff):
    elder = ElderFactory(residence_id=WUMA_GULOU, living_arrangement="alone", name="保存老人")
    ctx = browser.new_context(viewport=PHONE, locale="zh-CN", service_workers="block")
    page = ctx.new_page()
    login(page, live_server.url, "worker", PASSWORD)
    page.goto(f"{live_server.url}/elders/{elder.pk}/edit/")
    posts = []

    def slow_network(route):
        if route.request.method == "POST":
            posts.append(route.request.url)
            time.sleep(1.5)  # the page goes on meanwhile: it is the browser's network that waits
        route.continue_()

    page.route("**/elders/*/edit/", slow_network)
    page.evaluate(WATCH_THE_BUTTON)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/elders/{elder.pk}/")
    assert json.loads(page.evaluate("sessionStorage.getItem('sending')")) == [True, "保存中…"]
    assert len(posts) == 1
    ctx.close()
