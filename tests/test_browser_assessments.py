"""In headless Chromium on a phone: an assessor scores all 26 items and sees the grade live,
submits; the second assessor confirms from the inbox's 待我确认; the elder's file shows the grade.
Each assessor's steps and seconds are printed (`-s`)."""

import re

import pytest

from assessments.instrument import ITEMS
from assessments.services import request_assessment
from tests.browser import PHONE, Steps, login, score_assessment, screenshot
from tests.factories import PASSWORD, WUMA, ElderFactory, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_assess_on_a_phone_then_confirm(live_server, browser, staff):
    second = make_staff("assessor2", "assessor", WUMA, full_name="李评估")
    elder = ElderFactory(name="赵阿公")

    ctx = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = ctx.new_page()
    # The community worker asks for the assessment; the assessor starts from the inbox's requests.
    request_assessment(acting_user=staff["community_worker"], elder=elder, reason="first")
    login(page, live_server.url, "assessor", PASSWORD)
    steps = Steps(page)
    assert page.inner_text("[data-testid=count-assessment_requests]").strip() == "1"
    steps.click("[data-testid=inbox-assessment_requests]")
    steps.click(f"[data-precache-group=assessment-forms] a[href='/assessments/new/{elder.pk}/']")
    page.wait_for_url(f"**/assessments/new/{elder.pk}/")
    steps.select("#id_second_assessor", str(second.pk))
    # Full marks everywhere except self-care, where bathing and dressing need help.
    help_needed = {"B.1.3": 1, "B.1.4": 2, "B.1.5": 2}
    score_assessment(page, {item.code: help_needed.get(item.code, item.max_score) for item in ITEMS})
    steps.count += len(ITEMS)  # one tap per item
    page.wait_for_function("document.querySelector('[data-testid=live-total]').textContent.trim() === '83'")
    assert page.inner_text("[data-subtotal='B.1']") == "25"
    assert page.inner_text("[data-testid=live-grade]") == "轻度失能"
    steps.click("[data-section-nav] a[href='#part-adjustments']")
    steps.check("#id_dementia")
    page.wait_for_function(
        "document.querySelector('[data-testid=live-grade]').textContent.trim() === '中度失能'"
    )
    screenshot(page, "assessment-form-phone.png")
    steps.click("[data-testid=submit]")
    page.wait_for_url(re.compile(r".*/assessments/\d+/$"))
    assert page.inner_text("[data-testid=status]") == "已提交"
    steps.report("assessor: from the inbox's request, 26 items scored and submitted (phone)")
    assessment_url = page.url
    ctx.close()

    ctx = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = ctx.new_page()
    login(page, live_server.url, "assessor2", PASSWORD)
    steps = Steps(page)
    assert page.inner_text("[data-testid=count-awaiting_my_confirmation]").strip() == "1"
    steps.click("[data-testid=inbox-awaiting_my_confirmation]")
    steps.click(f"[data-testid=awaiting-confirmation] a[href='{assessment_url.removeprefix(live_server.url)}']")
    page.wait_for_url(assessment_url)
    steps.click("[data-testid=confirm]")
    page.wait_for_selector("text=评估已确认")
    steps.report("second assessor: confirmed from the inbox (phone)")
    assert page.inner_text("[data-testid=status]") == "已确认"
    page.goto(f"{live_server.url}/elders/{elder.pk}/")
    assert "中度失能" in page.inner_text("[data-testid=current-grade]")
    ctx.close()
