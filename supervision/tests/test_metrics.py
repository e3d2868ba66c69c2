"""Supervision's monthly figures, from a month with one inspected home, a finding, an order gone
overdue, complaints and ratings."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.periods import period_of
from reports.metrics import METRICS, village_figures
from services import services as service_writes
from supervision import services
from supervision.models import RectificationOrder
from supervision.selectors import checklists_for_facility, items_of
from tests.factories import LUCHENG, WUMA_GULOU, ElderFactory

from .helpers import supervision_world

pytestmark = pytest.mark.django_db


def test_the_month_figures_of_supervision(wenzhou, staff):
    from regions.models import Region

    world = supervision_world()
    today = timezone.localdate()
    plan = services.create_plan(
        acting_user=world["district"],
        region=Region.objects.get(code=LUCHENG),
        year=today.year,
        title="抽查",
        facility_kinds=["nursing_home"],
        share_percent=20,
        months=[today.month],
        inspectors=[world["district"], world["street"]],
    )
    inspection = services.draw_plan(acting_user=world["district"], plan=plan, seed="m")[0]
    items = items_of(checklists_for_facility(inspection.facility))
    results = {i.pk: {"outcome": "met"} for i in items}
    results[items.get(code="GB38600-P-FALL").pk] = {"outcome": "not_met", "note": "无扶手"}
    results[items.get(code="GB38600-P-CHOKING").pk] = {"outcome": "not_met", "note": "无人看护进食"}
    services.record_inspection(
        acting_user=world["street"], inspection=inspection, results=results, inspected_on=today
    )

    record = service_writes.record_service(
        acting_user=world["operator_account"],
        elder=ElderFactory(residence_id=WUMA_GULOU),
        kind="meal",
        provider=world["operator"],
        started_at=timezone.now() - timedelta(hours=2),
        duration_minutes=30,
        funding="government",
        amount=Decimal("15.00"),
    )
    services.rate_service(
        acting_user=staff["community_worker"], service_record=record, score=4, rater="elder"
    )
    RectificationOrder.objects.update(deadline=today - timedelta(days=1))  # time has passed
    assert services.flag_overdue(today=today) == 2  # two warnings, and so a blacklisting

    figures = village_figures(period_of(today))
    home = inspection.facility.region_id
    assert figures["inspection_coverage"][home] == (1, 5)
    assert figures["findings"][home] == (2, None)
    assert figures["findings_fall"][home] == (1, None) and figures["findings_choking"][home] == (1, None)
    assert figures["rectifications_open"][home] == (2, None)
    assert figures["service_satisfaction"][LUCHENG] == (4, 1)
    assert METRICS["service_satisfaction"].value(9, 2) == Decimal("4.5000")
    assert figures["rectifications_overdue"][home] == (2, None)
    assert figures["operators_warned"][LUCHENG] == (1, None)
    assert figures["operators_blacklisted"][LUCHENG] == (1, None)


def test_the_month_in_progress_is_judged_on_today_not_on_its_last_day(wenzhou, staff, monkeypatch):
    """An order or a complaint due later this month is not late yet: the month's figures judge
    lateness on today while the month runs, on its last day once it is over."""
    from datetime import date, datetime

    from regions.models import Region
    from supervision import metrics
    from supervision.models import Complaint

    world = supervision_world()
    today = timezone.localdate()
    plan = services.create_plan(
        acting_user=world["district"],
        region=Region.objects.get(code=LUCHENG),
        year=today.year,
        title="抽查",
        facility_kinds=["nursing_home"],
        share_percent=20,
        months=[today.month],
        inspectors=[world["district"], world["street"]],
    )
    inspection = services.draw_plan(acting_user=world["district"], plan=plan, seed="m")[0]
    items = items_of(checklists_for_facility(inspection.facility))
    results = {i.pk: {"outcome": "met"} for i in items}
    for code in ("GB38600-P-FALL", "GB38600-P-CHOKING"):
        results[items.get(code=code).pk] = {"outcome": "not_met", "note": "不符合"}
    services.record_inspection(
        acting_user=world["street"], inspection=inspection, results=results, inspected_on=today
    )
    complaints = [
        services.file_complaint(
            acting_user=world["district"],
            channel="hotline",
            subject="provider",
            provider=world["operator"],
            complainant="家属",
            content=f"投诉{i}",
        )
        for i in range(3)
    ]
    # "Today" is the 10th of this month: one order was due on the 9th, one is due on the 20th.
    year, month = today.year, today.month
    tenth = date(year, month, 10)
    monkeypatch.setattr(metrics.timezone, "localdate", lambda: tenth)
    first, second = RectificationOrder.objects.order_by("pk")
    RectificationOrder.objects.filter(pk=first.pk).update(
        issued_on=date(year, month, 1), deadline=date(year, month, 9)
    )
    RectificationOrder.objects.filter(pk=second.pk).update(
        issued_on=date(year, month, 1), deadline=date(year, month, 20)
    )
    # Complaints: due on the 5th and not replied (late), due on the 20th and not replied (not judged
    # yet), due on the 20th and replied on the 8th (on time).
    Complaint.objects.filter(pk=complaints[0].pk).update(deadline=date(year, month, 5))
    Complaint.objects.filter(pk=complaints[1].pk).update(deadline=date(year, month, 20))
    Complaint.objects.filter(pk=complaints[2].pk).update(
        deadline=date(year, month, 20),
        status="replied",
        replied_at=datetime(year, month, 8, 10, tzinfo=timezone.get_current_timezone()),
    )
    home = inspection.facility.region_id
    figures = village_figures(f"{year}-{month:02d}")
    assert figures["rectifications_open"][home] == (2, None)
    assert figures["rectifications_overdue"][home] == (1, None)  # not 2: the 20th has not come
    assert figures["complaints_on_time"][LUCHENG] == (1, 2)

    # Once the month is over, its last day judges: the order due on the 20th was late by then.
    monkeypatch.setattr(metrics.timezone, "localdate", lambda: date(year + 1, 1, 15))
    figures = village_figures(f"{year}-{month:02d}")
    assert figures["rectifications_overdue"][home] == (2, None)
    assert figures["complaints_on_time"][LUCHENG] == (1, 3)
