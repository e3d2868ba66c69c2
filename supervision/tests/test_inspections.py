"""Plan, draw, inspection, finding, rectification, overdue, re-inspection, credit."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from services import services as service_writes
from services.models import CreditRecord
from supervision import services
from supervision.models import Finding, RectificationOrder
from supervision.selectors import checklists_for_facility, items_of
from tests.factories import LUCHENG, WUMA_GULOU, ElderFactory

from .helpers import PNG, supervision_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(wenzhou):
    return supervision_world()


def _plan(world, **extra):
    from regions.models import Region

    return services.create_plan(
        acting_user=world["district"],
        region=Region.objects.get(code=LUCHENG),
        year=timezone.localdate().year,
        title="年度双随机抽查",
        facility_kinds=["nursing_home"],
        share_percent=40,
        months=[4, 9],
        inspectors=[world["district"], world["street"]],
        **extra,
    )


def test_the_draw_is_stored_with_its_seed_and_reproduces(world):
    plan = _plan(world)
    drawn = services.draw_plan(acting_user=world["district"], plan=plan, seed="fixed-seed")
    assert len(drawn) == 2  # 40 % of five homes
    plan.refresh_from_db()
    assert plan.seed == "fixed-seed" and plan.drawn_pool["facilities"] == sorted(h.pk for h in world["homes"])
    again = services.reproduce_draw(plan)
    assert sorted(d.facility for d in again) == sorted(i.facility_id for i in drawn)
    for inspection in drawn:
        assert set(inspection.inspectors.values_list("pk", flat=True)) == {
            world["district"].pk,
            world["street"].pk,
        }
    with pytest.raises(ValidationError):
        services.draw_plan(acting_user=world["district"], plan=plan)  # a draw is made once


def _all_met(inspection, **overrides):
    items = items_of(checklists_for_facility(inspection.facility))
    results = {i.pk: {"outcome": "met"} for i in items}
    for code, row in overrides.items():
        results[items.get(code=code).pk] = row
    return results


def test_a_serious_finding_opens_an_order_overdue_warns_and_a_failed_reinspection_blacklists(world):
    plan = _plan(world)
    inspection = services.draw_plan(acting_user=world["district"], plan=plan, seed="s")[0]
    today = timezone.localdate()
    photo = SimpleUploadedFile("floor.png", PNG, content_type="image/png")
    services.record_inspection(
        acting_user=world["street"],
        inspection=inspection,
        inspected_on=today - timedelta(days=20),
        results=_all_met(
            inspection,
            **{
                "GB38600-P-FALL": {"outcome": "not_met", "note": "走廊无扶手，地面湿滑", "photo": photo},
                "GB38600-P-SORE": {"outcome": "not_met", "note": "翻身记录缺两天"},
            },
        ),
    )
    assert Finding.objects.filter(inspection=inspection).count() == 2
    order = RectificationOrder.objects.get()  # only the serious one (跌倒) opens an order
    assert order.finding.risk == "fall" and order.operator == world["operator"]
    assert order.deadline == today - timedelta(days=5)  # the pack's 15 days
    assert order.finding.result.photo.name.endswith(".png")

    # Another account of the operator's region, not the operator, cannot answer for it.
    with pytest.raises(PermissionDenied):
        services.answer_order(acting_user=world["street"], order=order, answer="已整改")

    assert services.flag_overdue(today=today) == 1
    assert services.flag_overdue(today=today) == 0  # flagged once
    order.refresh_from_db()
    assert order.overdue_since == today
    assert list(CreditRecord.objects.values_list("kind", flat=True)) == ["warning"]

    services.answer_order(acting_user=world["operator_account"], order=order, answer="已加装扶手")
    services.reinspect(
        acting_user=world["district"], order=order, rectified=False, note="扶手仍未安装", on=today
    )
    order.refresh_from_db()
    assert order.status == "escalated"
    kinds = sorted(CreditRecord.objects.filter(provider=world["operator"]).values_list("kind", flat=True))
    assert kinds == ["blacklist", "warning", "warning"]

    elder = ElderFactory(residence_id=WUMA_GULOU)
    with pytest.raises(ValidationError, match="黑名单"):
        service_writes.record_service(
            acting_user=world["operator_account"],
            elder=elder,
            kind="meal",
            provider=world["operator"],
            started_at=timezone.now(),  # after the blacklisting, dated today (an hour ago may be yesterday locally)
            duration_minutes=30,
            funding="government",
            amount=Decimal("15.00"),
        )


def test_an_inspection_with_an_item_left_out_writes_nothing(world):
    inspection = services.draw_plan(acting_user=world["district"], plan=_plan(world), seed="s")[0]
    results = _all_met(inspection)
    results.pop(next(iter(results)))
    with pytest.raises(ValidationError):
        services.record_inspection(
            acting_user=world["street"],
            inspection=inspection,
            results=results,
            inspected_on=timezone.localdate(),
        )
    inspection.refresh_from_db()
    assert inspection.status == "planned" and not inspection.results.exists()


def test_only_the_drawn_inspectors_record(world, staff):
    inspection = services.draw_plan(acting_user=world["district"], plan=_plan(world), seed="s")[0]
    with pytest.raises(PermissionDenied):
        services.record_inspection(
            acting_user=staff["street_officer"],
            inspection=inspection,
            results=_all_met(inspection),
            inspected_on=timezone.localdate(),
        )
