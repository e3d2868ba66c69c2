"""Supervision's counts in the inbox: the district's overdue rectification orders, each officer's
drawn inspections not yet recorded and the star applications waiting for their score; each count
opens the list that shows the same items."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from core.inbox import items_for
from notifications import selectors as inbox
from regions.models import Region
from supervision import services
from supervision.selectors import checklists_for_facility, items_of
from tests.factories import LUCHENG, make_staff

from .helpers import supervision_world

pytestmark = pytest.mark.django_db


def counts(user) -> dict[str, int]:
    return {e.key: e.count for e in inbox.inbox(user)}


def hrefs(user) -> dict[str, str]:
    return {e.key: e.href for e in inbox.inbox(user)}


@pytest.fixture
def world(wenzhou):
    return supervision_world()


def _drawn(world):
    plan = services.create_plan(
        acting_user=world["district"],
        region=Region.objects.get(code=LUCHENG),
        year=timezone.localdate().year,
        title="年度双随机抽查",
        facility_kinds=["nursing_home"],
        share_percent=40,
        months=[4, 9],
        inspectors=[world["district"], world["street"]],
    )
    return services.draw_plan(acting_user=world["district"], plan=plan, seed="inbox")


def _record(world, inspection, *, days_ago: int, serious: bool):
    items = items_of(checklists_for_facility(inspection.facility))
    results = {i.pk: {"outcome": "met"} for i in items}
    if serious:
        results[items.get(code="GB38600-P-FALL").pk] = {"outcome": "not_met", "note": "走廊无扶手"}
    services.record_inspection(
        acting_user=world["street"],
        inspection=inspection,
        inspected_on=timezone.localdate() - timedelta(days=days_ago),
        results=results,
    )


def test_supervision_has_its_kinds_of_waiting_work_for_the_officers():
    district = {i.key for i in items_for("district_officer")}
    assert {"rectification_overdue", "inspections_to_record", "star_applications_to_score"} <= district
    assert "rectification_overdue" in {i.key for i in items_for("city_admin")}
    street = {i.key for i in items_for("street_officer")}
    assert {"inspections_to_record", "star_applications_to_score"} <= street
    assert "rectification_overdue" not in street


def test_drawn_inspections_count_until_recorded_and_overdue_orders_until_rectified(world):
    first, second = _drawn(world)
    assert counts(world["street"])["inspections_to_record"] == 2
    assert counts(world["district"])["inspections_to_record"] == 2
    # One inspection 20 days ago with a serious finding: its order's 15 days have passed.
    _record(world, first, days_ago=20, serious=True)
    assert counts(world["street"])["inspections_to_record"] == 1
    assert counts(world["district"])["rectification_overdue"] == 1
    city = make_staff("sv-city", "city_admin", "330300000000")
    assert counts(city)["rectification_overdue"] == 1
    # An officer of another district sees none of it.
    other = make_staff("sv-other", "district_officer", "330303000000")
    assert counts(other)["rectification_overdue"] == 0
    assert counts(other)["inspections_to_record"] == 0

    # The count opens the home page's orders, only the overdue ones.
    assert hrefs(world["district"])["rectification_overdue"] == "/supervision/?overdue=1#orders"
    client = Client()
    client.force_login(world["district"])
    page = client.get("/supervision/?overdue=1").content.decode()
    assert first.facility.name in page and "逾期" in page
    todo = client.get("/supervision/").content.decode()
    assert second.facility.name in todo and 'id="todo"' in todo

    # Once the operator answers and the district closes it, it leaves the count.
    from supervision.models import RectificationOrder

    order = RectificationOrder.objects.get()
    services.answer_order(acting_user=world["operator_account"], order=order, answer="已加装扶手")
    services.reinspect(
        acting_user=world["district"], order=order, rectified=True, note="已整改", on=timezone.localdate()
    )
    assert counts(world["district"])["rectification_overdue"] == 0


def test_star_applications_wait_for_each_evaluator_until_scored(world):
    home = world["homes"][0]
    application = services.apply_for_star(
        acting_user=world["operator_account"], facility=home, star=2, statement="申请"
    )
    assert counts(world["street"])["star_applications_to_score"] == 0
    services.assign_evaluators(
        acting_user=world["district"],
        application=application,
        evaluators=[world["district"], world["street"]],
    )
    assert counts(world["street"])["star_applications_to_score"] == 1
    assert counts(world["district"])["star_applications_to_score"] == 1
    application.refresh_from_db()
    services.score_star(
        acting_user=world["street"],
        application=application,
        scores={item.code: 0 for item in items_of([application.checklist])},
        evaluated_on=timezone.localdate(),
    )
    assert counts(world["street"])["star_applications_to_score"] == 0
    assert counts(world["district"])["star_applications_to_score"] == 1
    assert hrefs(world["district"])["star_applications_to_score"] == "/supervision/stars/#to-score"
