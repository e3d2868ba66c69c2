"""Long pages in parts on a phone (issue 14 item 10): the assessment form's navigator counts the
items scored per indicator and of all 26 as the assessor goes part by part; the elder's file
switches between its parts; without scripts every part shows. Each step's seconds are printed
(run with -s to see them); screenshots go to test-artifacts/."""

from __future__ import annotations

import time

import pytest

from assessments.instrument import INDICATORS, ITEMS
from elders.models import ElderContact
from tests.browser import PHONE, login, screenshot
from tests.factories import PASSWORD, WUMA, ElderFactory, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP = {"width": 1280, "height": 900}


class Timed:
    """Prints each step a person takes with the seconds it took."""

    def __init__(self, name: str):
        self.name, self.count, self.started = name, 0, time.monotonic()

    def __call__(self, what: str, started: float) -> None:
        self.count += 1
        print(f"{self.name} step {self.count}: {what} ({time.monotonic() - started:.2f} s)")

    def done(self) -> None:
        print(f"{self.name}: {self.count} steps in {time.monotonic() - self.started:.2f} s")


def visible_parts(page) -> list[str]:
    return page.eval_on_selector_all(
        "[data-tab-panel]", "(els) => els.filter((el) => el.offsetParent !== null).map((el) => el.id)"
    )


def test_the_assessor_fills_the_form_part_by_part_and_the_progress_reaches_26(live_server, browser, staff):
    second = make_staff("assessor2", "assessor", WUMA)
    elder = ElderFactory(name="周阿婆")
    steps = Timed("assessment")
    ctx = browser.new_context(viewport=PHONE, locale="zh-CN", service_workers="block")
    page = ctx.new_page()
    login(page, live_server.url, "assessor", PASSWORD)
    t = time.monotonic()
    page.goto(f"{live_server.url}/assessments/new/{elder.pk}/")
    assert visible_parts(page) == ["part-details"]  # one part at a time on the phone
    assert page.inner_text("[data-testid=progress-total]") == "已评0项，共26项"
    page.select_option("#id_second_assessor", str(second.pk))
    steps("open the form: the details part, 0 of 26; the second assessor chosen", t)

    t = time.monotonic()
    page.click("[data-section-next]:visible")  # 下一部分
    assert visible_parts(page) == ["part-B1"]
    steps("next part: B.1", t)
    done = 0
    for indicator in INDICATORS:
        anchor = "part-" + indicator.code.replace(".", "")
        t = time.monotonic()
        if visible_parts(page) != [anchor]:
            page.click(f"[data-section-nav] a[href='#{anchor}']")
        assert visible_parts(page) == [anchor]
        items = [i for i in ITEMS if i.indicator == indicator.code]
        for item in items:
            page.check(f"input[name='item_{item.code.replace('.', '_')}'][value='{item.max_score}']")
        done += len(items)
        count = page.locator(f"[data-progress-for='{indicator.code}']")
        assert count.inner_text() == f"{len(items)}/{len(items)}"
        assert "done" in count.locator("xpath=..").get_attribute("class")
        assert page.eval_on_selector("[data-progress-bar]", "(el) => el.value") == done
        assert page.inner_text("[data-testid=progress-total]") == f"已评{done}项，共26项"
        steps(f"{indicator.code} {indicator.name}: {len(items)} items, {done} of 26", t)
        if indicator.code == "B.2":
            screenshot(page, "sections-assessment-phone-half.png")
    assert page.inner_text("[data-testid=live-total]") == "90"
    assert page.inner_text("[data-testid=live-grade]") == "能力完好"
    screenshot(page, "sections-assessment-phone-26.png")

    t = time.monotonic()
    page.click("[data-testid=submit]")
    page.wait_for_url("**/assessments/*/")
    assert page.inner_text("[data-testid=grade]") == "能力完好"
    steps("submit: the record shows the grade", t)
    ctx.close()

    # On a desktop the same navigator, counting as the assessor taps.
    ctx = browser.new_context(viewport=DESKTOP, locale="zh-CN", service_workers="block")
    page = ctx.new_page()
    login(page, live_server.url, "assessor", PASSWORD)
    t = time.monotonic()
    page.goto(f"{live_server.url}/assessments/new/{elder.pk}/")
    page.click("[data-section-nav] a[href='#part-B3']")
    page.check("input[name='item_B_3_1'][value='4']")
    assert page.locator("[data-progress-for='B.3']").inner_text() == "1/9"
    screenshot(page, "sections-assessment-desktop.png")
    steps("desktop: B.3 chosen, one item scored", t)
    ctx.close()
    steps.done()


def test_the_elder_file_switches_parts_and_shows_them_all_without_scripts(live_server, browser, staff):
    elder = ElderFactory(name="吴阿公")
    ElderContact.objects.create(elder=elder, name="吴小明", relation="child", phone="13900001111")
    steps = Timed("elder file")
    ctx = browser.new_context(viewport=PHONE, locale="zh-CN", service_workers="block")
    page = ctx.new_page()
    login(page, live_server.url, "worker", PASSWORD)
    t = time.monotonic()
    page.goto(f"{live_server.url}/elders/{elder.pk}/")
    assert visible_parts(page) == ["section-basic"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(page, "sections-elder-file-phone.png")
    steps("open the file: the basic part", t)

    t = time.monotonic()
    page.click("[data-section-nav] a[href='#section-contacts']")
    assert visible_parts(page) == ["section-contacts"]
    assert page.locator("#section-contacts").get_by_text("吴小明").is_visible()
    assert page.url.endswith("#section-contacts")
    screenshot(page, "sections-elder-file-contacts-phone.png")
    steps("contacts tab", t)

    t = time.monotonic()
    page.click("[data-section-nav] a[href='#section-assessments']")
    assert visible_parts(page) == ["section-assessments"]
    steps("assessment tab", t)

    # The address names a part (as after adding a contact): that part shows first.
    t = time.monotonic()
    page.goto(f"{live_server.url}/elders/{elder.pk}/#section-contacts")
    page.reload()
    assert visible_parts(page) == ["section-contacts"]
    steps("open at #section-contacts", t)
    ctx.close()

    ctx = browser.new_context(viewport=DESKTOP, locale="zh-CN", service_workers="block")
    page = ctx.new_page()
    login(page, live_server.url, "worker", PASSWORD)
    page.goto(f"{live_server.url}/elders/{elder.pk}/")
    page.click("[data-section-nav] a[href='#section-visits']")
    assert visible_parts(page) == ["section-visits"]
    screenshot(page, "sections-elder-file-desktop.png")
    # Printing shows every part.
    page.emulate_media(media="print")
    assert len(visible_parts(page)) > 5
    ctx.close()

    # Without scripts: every part shows, the navigator's links jump to them.
    ctx = browser.new_context(viewport=PHONE, locale="zh-CN", java_script_enabled=False)
    page = ctx.new_page()
    login(page, live_server.url, "assessor", PASSWORD)
    t = time.monotonic()
    page.goto(f"{live_server.url}/elders/{elder.pk}/")
    assert len(visible_parts(page)) > 5 and "section-contacts" in visible_parts(page)
    page.goto(f"{live_server.url}/assessments/new/{elder.pk}/")
    assert visible_parts(page)[:2] == ["part-details", "part-B1"] and len(visible_parts(page)) == 6
    steps("without scripts: every part of both pages shows", t)
    ctx.close()
    steps.done()
