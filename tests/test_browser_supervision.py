"""In headless Chromium on a phone: a district officer makes the year's inspection plan and draws
it (双随机, the seed shown and reproduced); a drawn street inspector records the checklist with a
photo and a serious finding; the rectification order goes overdue (the nightly task), the
re-inspection escalates it, the operator's credit shows a warning and a blacklisting, and the
operator is then refused a new service record. Screenshots are kept."""

from datetime import timedelta

import pytest
from django.utils import timezone

from services.models import CreditRecord
from supervision.models import Inspection, InspectionPlan, RectificationOrder
from supervision.tasks import flag_overdue_task
from supervision.tests.helpers import PNG, supervision_world
from tests.browser import PHONE, login, screenshot
from tests.factories import PASSWORD, WUMA_GULOU, ElderFactory, api_client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_draw_inspect_rectify_overdue_reinspect_blacklist(
    live_server, browser, wenzhou, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    world = supervision_world()
    photo = tmp_path / "走廊.png"
    photo.write_bytes(PNG)
    year = timezone.localdate().year

    ctx = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = ctx.new_page()
    login(page, live_server.url, "sv-district", PASSWORD)
    page.goto(f"{live_server.url}/supervision/")
    page.click("[data-testid=new-plan]")
    page.fill("#id_title", "养老机构双随机抽查")
    page.fill("#id_year", str(year))
    page.fill("#id_share_percent", "20")
    page.check("#kind-nursing_home")
    page.check("#month-6")
    page.check(f"#insp-{world['district'].pk}")
    page.check(f"#insp-{world['street'].pk}")
    page.click("[data-testid=plan-form] button[type=submit]")
    page.click("[data-testid=draw-button]")
    page.wait_for_selector("[data-testid=drawn]")
    plan = InspectionPlan.objects.get()
    assert page.inner_text("[data-testid=seed]") == plan.seed and len(plan.seed) == 32
    assert "重现" in page.inner_text("[data-testid=reproduced]")  # the stored seed gives this draw again
    assert page.locator("[data-testid=drawn] li").count() == 1  # 20 % of five homes
    screenshot(page, "supervision-plan.png")
    ctx.close()

    inspection = Inspection.objects.get()
    ctx = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = ctx.new_page()
    login(page, live_server.url, "sv-street", PASSWORD)
    page.goto(f"{live_server.url}/supervision/")
    page.click(f"[data-testid=todo] a[href='/supervision/inspections/{inspection.pk}/']")
    cards = page.locator("[data-testid=inspection-form] [data-item]")
    for i in range(cards.count()):
        cards.nth(i).locator("input[value=met]").check()
    fall = page.locator("[data-item='GB38600-P-FALL']")
    fall.locator("input[value=not_met]").check()
    fall.locator("textarea").fill("走廊无扶手，卫生间地面湿滑")
    fall.locator("input[type=file]").set_input_files(str(photo))
    screenshot(page, "supervision-inspection-form.png")
    page.click("[data-testid=inspection-form] button[type=submit]")
    page.wait_for_selector("[data-testid=results]")
    row = page.locator("[data-testid=results] [data-item='GB38600-P-FALL']")
    assert row.get_attribute("data-outcome") == "not_met" and "严重" in row.inner_text()
    assert row.locator("[data-testid=photo]").count() == 1
    screenshot(page, "supervision-inspection.png")
    ctx.close()

    order = RectificationOrder.objects.get()
    # Time passes: the deadline goes by and the nightly task flags the order.
    RectificationOrder.objects.filter(pk=order.pk).update(
        issued_on=timezone.localdate() - timedelta(days=20), deadline=timezone.localdate() - timedelta(days=5)
    )
    assert flag_overdue_task() == 1

    ctx = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = ctx.new_page()
    login(page, live_server.url, "sv-district", PASSWORD)
    page.goto(f"{live_server.url}/supervision/")
    page.click(f"[data-testid=orders] a[href='/supervision/orders/{order.pk}/']")
    assert page.locator("[data-testid=overdue]").count() == 1
    page.select_option("#id_rectified", "0")
    page.fill("#id_note", "复查：扶手仍未安装")
    page.click("[data-testid=reinspect-form] button[type=submit]")
    page.wait_for_selector("[data-testid=reinspection]")
    assert "升级" in page.inner_text("[data-testid=order-status]")
    kinds = [page.locator("[data-testid=credit] li").nth(i).get_attribute("data-kind") for i in range(3)]
    assert sorted(kinds) == ["blacklist", "warning", "warning"]
    screenshot(page, "supervision-order.png")
    ctx.close()
    assert CreditRecord.objects.filter(provider=world["operator"], kind="blacklist").exists()

    client = api_client(world["operator_account"])
    elder = ElderFactory(residence_id=WUMA_GULOU)
    response = client.post(
        "/api/v1/service-records/",
        {
            "elder": elder.pk,
            "kind": "meal",
            "provider": world["operator"].pk,
            "started_at": timezone.now().isoformat(),  # after the blacklisting, dated today locally
            "duration_minutes": 30,
            "funding": "government",
            "amount": "15.00",
        },
        format="json",
    )
    assert response.status_code == 400 and "黑名单" in str(response.json())
