"""In headless Chromium: a community worker registers an elder and finds them; a second
worker of another community does not see them."""

import re
from datetime import date

import pytest

from elders.models import Elder
from elders.rules import make_id_number
from tests.browser import PHONE, login, screenshot
from tests.factories import PASSWORD, WUMA_MOCHI, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_find_and_open_then_another_worker_cannot(live_server, browser, staff):
    make_staff("worker2", "community_worker", WUMA_MOCHI)
    number = make_id_number("330302", date(1938, 7, 15), 52)

    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    login(page, live_server.url, "worker", PASSWORD)
    assert page.url.rstrip("/") == live_server.url

    page.goto(f"{live_server.url}/elders/new/")
    page.fill("#id_id_number", number.lower())
    page.fill("#id_name", "周阿婆")
    page.select_option("#id_living_arrangement", "alone")
    page.select_option("#id_economic_status", "dibao")
    page.fill("#id_phone", "13700001234")
    page.click("[data-testid=save]")
    page.wait_for_url(re.compile(r".*/elders/\d+/$"))
    assert "周阿婆" in page.inner_text("[data-testid=elder-name]")

    page.goto(live_server.url + "/elders/")
    # Typing searches by itself (htmx, after a pause): wait for that answer to be in place, so the
    # click is not on the list it is replacing (Enter as well sent a second search that could).
    with page.expect_response(lambda response: "q=" in response.url):
        page.fill("#id_q", "周阿")
    page.wait_for_url(re.compile(r".*/elders/\?.*q="))  # htmx puts the search in the address once swapped
    page.wait_for_selector("#elder-rows >> text=周阿婆")
    page.click("#elder-rows >> text=周阿婆")  # (the send queue's panel names her too)
    page.wait_for_url(re.compile(r".*/elders/\d+/$"))
    body = page.inner_text("body")
    assert number in body and "独居" in body and "低保" in body
    file_url = page.url

    page.click("[data-section-nav] a[href='#section-contacts']")  # the file's part on contacts
    page.click("#section-contacts a[href$='/contacts/new/']")
    page.fill("#id_name", "周小红")
    page.select_option("#id_relation", "child")
    page.fill("#id_phone", "13600005678")
    page.check("#id_is_guardian")
    page.click("[data-testid=save]")
    page.wait_for_url(re.compile(r".*/elders/\d+/(#section-contacts)?$"))
    assert "周小红" in page.inner_text("#section-contacts")
    screenshot(page, "elder-file-phone.png")

    # Removing asks first (htmx confirm); dismissing keeps the contact, accepting removes it.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("#section-contacts button[type=submit]")
    page.wait_for_timeout(300)
    assert "周小红" in page.inner_text("#section-contacts")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#section-contacts button[type=submit]")
    page.wait_for_selector("#section-contacts >> text=周小红", state="detached")
    assert not Elder.objects.get(id_number=number).contacts.exists()
    context.close()

    elder = Elder.objects.get(id_number=number)
    assert elder.created_by.username == "worker"

    other = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = other.new_page()
    login(page, live_server.url, "worker2", PASSWORD)
    page.goto(f"{live_server.url}/elders/?q=周阿")
    assert "周阿婆" not in page.inner_text("#elder-rows")
    response = page.goto(file_url)
    assert response.status == 404
    other.close()
