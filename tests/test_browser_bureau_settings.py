"""In headless Chromium, the city bureau's settings (issue 14 item 3): from the inbox's 本局设定 it
sets a construction standard in the boxes of a facility kind (refused first on a share over 100 %,
the message on the box) and sees the facility below it on the shortfalls list, then adds an item
to the basic-service list with whom it is for in the condition boxes. Phone and desktop
screenshots; the steps and seconds of each task are printed (`-s`)."""

import pytest

from facilities.tests.helpers import make_facility
from policies.models import PolicySection
from policies.services import load_policy_pack
from services.models import CatalogueItem
from tests.browser import DESKTOP, PHONE, Steps, login, screenshot
from tests.factories import CITY, PASSWORD, WUMA, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("viewport", "suffix"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_the_city_sets_a_standard_and_adds_a_list_item_from_its_inbox(
    live_server, browser, wenzhou, viewport, suffix
):
    load_policy_pack(name="national")
    load_policy_pack(name="wenzhou", region_code="3303")
    make_staff("city", "city_admin", CITY)
    make_facility(name="五马街道综合养老服务中心", region=WUMA, beds=40, nursing_beds=20)
    ctx = browser.new_context(viewport=viewport, locale="zh-CN")
    page = ctx.new_page()
    login(page, live_server.url, "city", PASSWORD)

    # The standards: 60 beds for a street centre; a share of 120 % is refused on its box first.
    steps = Steps(page)
    steps.click("[data-testid=settings-standards]")
    page.wait_for_url("**/facilities/standards/")
    steps.fill("#id_street_centre__beds", "60")
    steps.fill("#id_street_centre__nursing_bed_share", "120")
    steps.click("[data-testid=save]")
    error = page.inner_text("[data-error-for=street_centre__nursing_bed_share]")
    assert "护理型床位占比" in error and "100" in error
    assert "standards" not in PolicySection.objects.get(region_id=CITY, section="facilities").data
    screenshot(page, f"bureau-standards-refused-{suffix}.png")
    steps.fill("#id_street_centre__nursing_bed_share", "50")
    steps.click("[data-testid=save]")
    page.wait_for_selector(".alert-success")
    steps.report(f"city construction standard set from the inbox ({suffix})")
    assert page.input_value("#id_street_centre__beds") == "60"
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    screenshot(page, f"bureau-standards-saved-{suffix}.png")
    page.goto(f"{live_server.url}/facilities/shortfalls/")
    assert "五马街道综合养老服务中心" in page.inner_text("main")

    # The list: a new item for elders of 90 and over.
    page.goto(f"{live_server.url}/")
    steps = Steps(page)
    steps.click("[data-testid=settings-catalogue]")
    page.wait_for_url("**/visits/catalogue/")
    assert "WZ01" in page.inner_text("[data-testid=catalogue-items]")
    screenshot(page, f"bureau-catalogue-{suffix}.png")
    steps.click("[data-testid=catalogue-add]")
    steps.fill("#id_code", "WZ20")
    steps.fill("#id_name", "高龄老人上门助浴")
    steps.fill("#id_content", "为90周岁及以上老年人每月提供一次上门助浴")
    steps.fill("input[name=all__age__min]", "90")
    screenshot(page, f"bureau-catalogue-item-{suffix}.png")
    steps.click("[data-testid=save]")
    page.wait_for_url("**/visits/catalogue/")
    steps.report(f"city list item added from the inbox ({suffix})")
    row = page.inner_text("[data-testid=item-WZ20]")
    assert "高龄老人上门助浴" in row and "年龄" in row and "局设" in row
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    screenshot(page, f"bureau-catalogue-added-{suffix}.png")
    item = CatalogueItem.objects.get(catalogue__region_id=CITY, catalogue__status="published", code="WZ20")
    assert item.target_group == {"fact": "age", "op": "gte", "value": 90}
    ctx.close()
