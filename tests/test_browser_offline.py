"""Field work without a network, in headless Chromium on a phone (issue 15).

A worker who opened the due list online records a visit with the network off, an assessor
an assessment; both survive a reload, and are sent exactly once when the network returns.
A resend of a record already sent creates nothing new; a record the server refuses shows
the server's reason; logout leaves nothing on the device.
"""

import time

import pytest
from playwright.sync_api import Error as PlaywrightError

from assessments.instrument import ITEMS
from assessments.models import Assessment, AssessmentRequest
from elders.models import Elder
from services.models import Visit
from tests.browser import PHONE, login, score_assessment, screenshot
from tests.factories import PASSWORD, WUMA, ElderFactory, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEPT = "async (url) => !!(await (await caches.open('pages')).match(url))"
OUTBOX = "() => EldercareStore.all('outbox')"


def _wait_until(page, script, arg=None, timeout=20.0):
    """Poll an async check (Playwright's wait_for_function takes a pending promise as true)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(script, arg):
        assert time.monotonic() < deadline, f"timed out waiting for {script}"
        page.wait_for_timeout(100)


def _worker_app(browser, live_server, username):
    ctx = browser.new_context(viewport=PHONE, locale="zh-CN", service_workers="allow")
    page = ctx.new_page()
    login(page, live_server.url, username, PASSWORD)
    return ctx, page


def _open_due_list(page, live_server, path, form_path):
    """Open a due list online and wait until the service worker kept the listed forms."""
    page.goto(f"{live_server.url}{path}")
    link = page.locator(f"a[data-precache][href^='{form_path}']").first
    url = link.evaluate("a => a.href")
    _wait_until(page, KEPT, url)
    return url


def _record_visit_offline(ctx, page, url, note):
    ctx.set_offline(True)
    page.goto(url)
    page.click("label[for=id_outcome_1]")  # problem found
    page.check("input[name=problems][value=safety]")
    page.fill("#id_notes", note)
    page.click("[data-testid=save-visit]")
    page.wait_for_selector("[data-testid=kept-offline]:not([hidden])")


def _visit_sent_after_the_network_returned(browser, live_server, note):
    elder = ElderFactory(name="钱阿公", living_arrangement="alone")
    ctx, page = _worker_app(browser, live_server, "worker")
    url = _open_due_list(page, live_server, "/visits/due/", f"/visits/new/{elder.pk}/")
    _record_visit_offline(ctx, page, url, note)
    ctx.set_offline(False)
    page.wait_for_selector("[data-testid=outbox-sent]", timeout=15_000)
    return ctx, page, url


def test_visit_and_assessment_recorded_offline_are_sent_once_when_the_network_returns(
    live_server, browser, staff
):
    elder = ElderFactory(name="孙阿婆", living_arrangement="alone")
    assessed = ElderFactory(name="赵阿公")
    AssessmentRequest.objects.create(elder=assessed, reason="first", requested_by=staff["community_worker"])
    second = make_staff("assessor2", "assessor", WUMA, full_name="李评估")

    # The community worker: due list online, then the visit with the network off.
    ctx, page = _worker_app(browser, live_server, "worker")
    url = _open_due_list(page, live_server, "/visits/due/", f"/visits/new/{elder.pk}/")
    _record_visit_offline(ctx, page, url, "卫生间地滑，需加装扶手")
    assert "孙阿婆" in page.inner_text("[data-testid=outbox-waiting]")
    page.reload()  # still offline: the page comes from the device, the queue from IndexedDB
    assert "孙阿婆" in page.inner_text("[data-testid=outbox-waiting]")
    assert not Visit.objects.exists()
    screenshot(page, "offline-visit-waiting.png")

    # The assessor: the queue online, the whole form with the network off.
    actx, apage = _worker_app(browser, live_server, "assessor")
    aurl = _open_due_list(apage, live_server, "/assessments/due/", f"/assessments/new/{assessed.pk}/")
    actx.set_offline(True)
    apage.goto(aurl)
    apage.select_option("#id_second_assessor", str(second.pk))
    score_assessment(apage, {item.code: item.max_score for item in ITEMS})
    apage.click("[data-section-nav] a[href='#part-adjustments']")
    apage.fill("#id_risk_fall", "1")  # typed text survives the reload below
    assert apage.inner_text("[data-testid=live-total]") == "90"  # scored in the page, offline
    apage.click("[data-testid=submit]")
    apage.wait_for_selector("[data-testid=kept-offline]:not([hidden])")
    apage.reload()
    assert "赵阿公" in apage.inner_text("[data-testid=outbox-waiting]")
    assert not Assessment.objects.exists()

    # The network returns: each queue sends by itself, once.
    ctx.set_offline(False)
    actx.set_offline(False)
    page.wait_for_selector("[data-testid=outbox-sent]", timeout=15_000)
    apage.wait_for_selector("[data-testid=outbox-sent]", timeout=15_000)
    assert "孙阿婆" in page.inner_text("[data-testid=outbox-sent]")
    assert not page.locator("[data-testid=outbox-waiting]").count()
    visit = Visit.objects.get()
    assert (visit.elder, visit.outcome, visit.notes) == (elder, "problem", "卫生间地滑，需加装扶手")
    assessment = Assessment.objects.get()
    assert (assessment.elder, assessment.total_score, assessment.status) == (assessed, 90, "submitted")
    assert sum(assessment.risk_events.values()) == 1  # the typed number survived the reload
    screenshot(page, "offline-visit-sent.png")

    # A reload sends nothing again.
    page.reload()
    apage.reload()
    page.wait_for_load_state("networkidle")
    assert Visit.objects.count() == 1 and Assessment.objects.count() == 1
    ctx.close()
    actx.close()


def test_a_resend_after_a_lost_answer_creates_nothing_new(live_server, browser, staff):
    elder = ElderFactory(name="钱阿公", living_arrangement="alone")
    ctx, page = _worker_app(browser, live_server, "worker")
    url = _open_due_list(page, live_server, "/visits/due/", f"/visits/new/{elder.pk}/")
    lost = []

    def lose_the_answer(route):
        if route.request.method == "POST" and not lost:
            lost.append(route.fetch().status)  # the server records the visit ...
            route.abort("connectionreset")  # ... and the phone never hears back
        else:
            route.fallback()

    page.route("**/visits/new/**", lose_the_answer)
    page.goto(url)
    page.fill("#id_notes", "一切正常")
    page.click("[data-testid=save-visit]")
    page.wait_for_selector("[data-testid=outbox-waiting]")
    assert lost and Visit.objects.count() == 1
    # The same record, with its key, goes out again: the server answers as the first time.
    page.click("[data-outbox=send]")
    page.wait_for_selector("[data-testid=outbox-sent]", timeout=15_000)
    assert Visit.objects.count() == 1
    (item,) = page.evaluate(OUTBOX)
    assert item["status"] == "sent" and item["tries"] == 2
    assert item["entries"] == []  # sent: what was typed no longer stays on the phone
    ctx.close()


def test_a_refused_record_shows_the_servers_reason_and_is_corrected(live_server, browser, staff):
    existing = ElderFactory(name="王阿婆")
    ctx, page = _worker_app(browser, live_server, "worker")
    page.goto(f"{live_server.url}/elders/new/")
    _wait_until(page, KEPT, f"{live_server.url}/elders/new/")
    ctx.set_offline(True)
    page.reload()
    page.fill("#id_id_number", existing.id_number)  # already registered: the server says no
    page.fill("#id_name", "李阿公")
    page.select_option("#id_living_arrangement", index=1)
    page.select_option("#id_economic_status", index=1)
    page.click("[data-testid=save]")
    page.wait_for_selector("[data-testid=kept-offline]:not([hidden])")
    ctx.set_offline(False)
    refused = page.wait_for_selector("[data-testid=outbox-refused]", timeout=15_000).inner_text()
    # The server's own words, beside the field they name.
    assert "李阿公" in refused and "身份证号: 该身份证号已建档" in refused
    assert not page.is_visible("[data-testid=kept-offline]")
    assert Elder.objects.count() == 1
    screenshot(page, "offline-refused.png")

    # Correct: the form opens with what was typed and the server's reasons beside it.
    page.click("[data-testid=outbox-refused] a")
    page.wait_for_selector("[data-testid=refused-reasons]:not([hidden])")
    assert page.input_value("#id_name") == "李阿公"
    page.fill("#id_id_number", ElderFactory.build().id_number)
    page.click("[data-testid=save]")
    page.wait_for_url("**/elders/*/")
    assert Elder.objects.filter(name="李阿公").count() == 1
    ctx.close()


def test_typed_text_survives_a_reload(live_server, browser, staff):
    elder = ElderFactory(name="孙阿婆", living_arrangement="alone")
    ctx, page = _worker_app(browser, live_server, "worker")
    page.goto(f"{live_server.url}/visits/new/{elder.pk}/")
    page.click("label[for=id_outcome_1]")
    page.fill("#id_notes", "血压偏高，已提醒复查")
    page.wait_for_timeout(400)  # the draft is written a moment after the last keystroke
    page.reload()
    page.wait_for_selector("[data-testid=draft-restored]:not([hidden])")
    assert page.input_value("#id_notes") == "血压偏高，已提醒复查"
    assert page.is_checked("#id_outcome_1") and page.is_visible("#problems-box")
    ctx.close()


def test_logout_clears_the_device(live_server, browser, staff):
    ctx, page, url = _visit_sent_after_the_network_returned(browser, live_server, "已发送的记录")
    page.goto(url)
    page.fill("#id_notes", "草稿")
    page.wait_for_timeout(400)
    assert page.evaluate("async () => (await caches.keys()).length") > 0
    page.once("dialog", lambda dialog: dialog.accept())
    page.click(".navbar-toggler")  # the phone's menu
    page.click("form[data-logout] button")
    page.wait_for_url("**/accounts/login/**")
    _wait_until(page, "async () => (await caches.keys()).length === 0", timeout=5)
    _wait_until(
        page,
        "async () => !(await indexedDB.databases()).some(d => d.name === 'eldercare-offline')",
        timeout=5,
    )
    _wait_until(
        page, "async () => (await navigator.serviceWorker.getRegistrations()).length === 0", timeout=5
    )
    # Nothing personal answers offline any more.
    ctx.set_offline(True)
    with pytest.raises(PlaywrightError, match="ERR_INTERNET_DISCONNECTED"):
        page.goto(url)
    ctx.close()
