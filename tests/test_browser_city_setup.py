"""In headless Chromium, the city's part of issue 14: the bureau creates a staff account with the
region picker (a temporary password, changed at the first sign-in), and sets up a subsidy scheme
by its form and activates it (refused first while an amount is empty). Phone and desktop
screenshots; the steps and seconds of each task are printed (`-s`) for the issue's note."""

import pytest

from policies.services import load_policy_pack
from regions.models import StaffProfile
from subsidies.models import Scheme
from tests.browser import DESKTOP, PHONE, Steps, login, screenshot
from tests.factories import CITY, LUCHENG, PASSWORD, WUMA, WUMA_GULOU, ElderFactory, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _pick_region(page, steps, picker: str, codes: list[str]) -> None:
    """Choose the region level by level (each list appears once the one above is chosen)."""
    page.wait_for_selector(f"{picker}[data-ready='1']")
    for depth, code in enumerate(codes):
        select = f"{picker} select[data-depth='{depth}']"
        page.wait_for_selector(f"{select} option[value='{code}']", state="attached")
        steps.select(select, code)


@pytest.mark.parametrize(("viewport", "suffix"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_the_city_creates_a_staff_account_with_the_region_picker(
    live_server, browser, wenzhou, viewport, suffix
):
    make_staff("city", "city_admin", CITY)
    ctx = browser.new_context(viewport=viewport, locale="zh-CN")
    page = ctx.new_page()
    login(page, live_server.url, "city", PASSWORD)
    steps = Steps(page)
    if suffix == "phone":
        steps.click("button.navbar-toggler")
    steps.click("[data-testid=nav-staff]")
    page.wait_for_url("**/staff/")
    steps.click("[data-testid=new-account]")
    page.wait_for_url("**/staff/new/")
    username = f"pg-{suffix}"
    steps.fill("#id_username", username)
    steps.fill("#id_full_name", "评估员甲")
    steps.select("#id_role", "assessor")
    _pick_region(page, steps, "[data-testid=region-picker-region]", [CITY, LUCHENG, WUMA])
    steps.click("[data-testid=save]")
    # An assessor without a certificate is refused, on the field, in Chinese; nothing is written.
    error = page.locator("[data-error-for=certificate_number]")
    assert "证书" in error.inner_text()
    assert not StaffProfile.objects.filter(user__username=username).exists()
    # The chosen region is kept.
    page.wait_for_selector("[data-testid=region-picker-region][data-ready='1']")
    assert page.input_value("input[name=region]") == WUMA
    steps.fill("#id_certificate_number", "PG-2026-001")
    steps.click("[data-testid=save]")
    password = page.inner_text("[data-testid=password]").strip()
    seconds, count = steps.seconds(), steps.count
    screenshot(page, f"city-staff-account-created-{suffix}.png")
    profile = StaffProfile.objects.select_related("user").get(user__username=username)
    assert (profile.role, profile.region_id, profile.certificate_number) == ("assessor", WUMA, "PG-2026-001")
    assert "五马街道" in page.inner_text("[data-testid=account]")
    ctx.close()

    # The person signs in with the temporary password and must choose their own first.
    ctx = browser.new_context(viewport=viewport, locale="zh-CN")
    page = ctx.new_page()
    login(page, live_server.url, username, password)
    page.wait_for_url("**/accounts/password/")
    assert "临时密码" in page.inner_text("main")
    page.fill("#id_old_password", password)
    page.fill("#id_new_password1", "Own-pass-2026!x")
    page.fill("#id_new_password2", "Own-pass-2026!x")
    page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/")
    assert "/accounts/password/" not in page.url
    profile.refresh_from_db()
    assert not profile.must_change_password
    ctx.close()
    print(f"city staff account ({suffix}): {count} steps, {seconds} s from the inbox to the account")


@pytest.mark.parametrize(("viewport", "suffix"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_the_city_sets_up_a_scheme_by_its_form_and_activates_it(
    live_server, browser, wenzhou, viewport, suffix
):
    load_policy_pack(name="wenzhou", region_code="3303")
    make_staff("city", "city_admin", CITY)
    for age, status in ((85, "ordinary"), (82, "dibao"), (70, "dibao"), (70, "ordinary")):
        ElderFactory(
            residence_id=WUMA_GULOU,
            hukou_region_id=WUMA_GULOU,
            born=_born(age),
            economic_status=status,
            living_arrangement="with_children",
        )
    scheme = Scheme.objects.get(code="WZ-FREE-HOME-CARE")
    assert not scheme.active and scheme.amount_rule["amount"] is None

    ctx = browser.new_context(viewport=viewport, locale="zh-CN")
    page = ctx.new_page()
    login(page, live_server.url, "city", PASSWORD)
    steps = Steps(page)
    if suffix == "phone":
        steps.click("button.navbar-toggler")
    steps.click("nav a[href='/subsidies/applications/']")
    steps.click("[data-testid=nav-schemes]")
    page.wait_for_url("**/subsidies/schemes/")
    steps.click("[data-testid=scheme-WZ-FREE-HOME-CARE] a")
    page.wait_for_url(f"**/subsidies/schemes/{scheme.pk}/")
    # The pack's condition is in the boxes: a Wenzhou hukou, and one of the circumstances.
    page.wait_for_selector("[data-testid='region-picker-all__hukou'][data-ready='1']")
    assert page.input_value("input[name=all__hukou]") == CITY
    assert page.is_checked("input[name=any__economic_status][value=dibao]")
    # The bureau adds "aged 80 or more" to the circumstances and asks how many would qualify.
    steps.fill("input[name=any__age__min]", "80")
    steps.click("[data-testid=preview-button]")
    preview = page.inner_text("[data-testid=preview]")
    # 85 (by age), 82 and 70 on 低保 (by status); not the ordinary 70-year-old.
    assert "3 人" in preview, preview
    screenshot(page, f"city-scheme-preview-{suffix}.png")
    # Activation without the amount the document leaves open is refused, on the amount's box.
    steps.fill("input[name=notice_days]", "7")
    steps.check("input[name=active]")
    steps.click("[data-testid=save]")
    error = page.inner_text("[data-error-for=amount]")
    assert "激活前须填写此金额" in error
    assert not Scheme.objects.get(pk=scheme.pk).active
    screenshot(page, f"city-scheme-activation-refused-{suffix}.png")
    steps.fill("input[name=amount]", "300")
    steps.click("[data-testid=save]")
    page.wait_for_selector(".alert-success")
    seconds, count = steps.seconds(), steps.count
    scheme.refresh_from_db()
    assert scheme.active and scheme.amount_rule["amount"] == "300" and scheme.notice_days == 7
    assert {"fact": "age", "op": "gte", "value": 80} in scheme.eligibility["all"][1]["any"]
    screenshot(page, f"city-scheme-activated-{suffix}.png")
    ctx.close()
    print(f"city scheme set up and activated ({suffix}): {count} steps, {seconds} s from the inbox")


def _born(age: int):
    from datetime import date

    from django.utils import timezone

    today = timezone.localdate()
    return (
        date(today.year - age - 1, 1, 1) if today < date(today.year, 1, 2) else date(today.year - age, 1, 1)
    )
