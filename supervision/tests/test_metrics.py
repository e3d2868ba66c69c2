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


def test_the_years_estate_room_checks_and_operator_reviews_are_monthly_figures(wenzhou, staff):
    from facilities.models import Facility
    from regions.models import Region
    from supervision.choices import Purpose
    from supervision.selectors import scoring_checklist

    world = supervision_world()
    district = world["district"]
    community = Region.objects.get(code=WUMA_GULOU)
    today = timezone.localdate()
    checks = (("在用苑", "in_use", Decimal(400)), ("改作他用苑", "diverted", Decimal(400)), ("未建苑", "planned", None))
    for name, status, area in checks:
        estate = services.register_estate(
            acting_user=district, region=community, name=name, kind="new", households=1000
        )
        services.record_room_check(
            acting_user=district, estate=estate, year=today.year, status=status, area_m2=area, checked_on=today
        )
    # Last year's check of an estate is not this year's figure.
    estate = services.register_estate(acting_user=district, region=community, name="旧账苑", kind="new", households=100)
    services.record_room_check(
        acting_user=district, estate=estate, year=today.year - 1, status="in_use", area_m2=Decimal(50), checked_on=today
    )
    homes = [
        Facility.objects.create(
            name=f"公建民营{i}院",
            kind="nursing_home",
            ownership="public_private",
            operator=world["operator"],
            region_id=WUMA_GULOU,
            status="operating",
            beds=60,
        )
        for i in range(2)
    ]
    checklist = scoring_checklist(homes[0], Purpose.OPERATOR_REVIEW)
    full = {i.code: i.points for i in checklist.items.all()}
    for home, scores in ((homes[0], full), (homes[1], {code: 0 for code in full})):
        services.review_operator(acting_user=district, facility=home, year=today.year, scores=scores, reviewed_on=today)

    figures = village_figures(period_of(today))
    assert figures["estates_checked"][WUMA_GULOU] == (3, None)
    assert figures["estate_rooms_in_use"][WUMA_GULOU] == (1, None)
    assert figures["estate_rooms_diverted"][WUMA_GULOU] == (1, None)
    # The diverted and the unbuilt rooms fail the standard; the one in use with 400 m² meets it.
    assert figures["estate_rooms_compliant"][WUMA_GULOU] == (1, 3)
    assert figures["operator_reviews"][WUMA_GULOU] == (2, None)
    assert figures["operator_reviews_passed"][WUMA_GULOU] == (1, None)
    assert figures["operator_reviews_pass_rate"][WUMA_GULOU] == (1, 2)
    assert METRICS["operator_reviews_pass_rate"].value(1, 2) == Decimal("50.0000")
    assert all(METRICS[code].card == "supervision" for code in ("estates_checked", "operator_reviews", "findings"))


def test_supervision_cards_on_the_dashboard_and_the_figures_in_the_api(wenzhou, staff, client):
    from rest_framework.test import APIClient

    from regions.models import Region
    from reports.services import compute_month

    world = supervision_world()
    district = world["district"]
    today = timezone.localdate()
    estate = services.register_estate(
        acting_user=district, region=Region.objects.get(code=WUMA_GULOU), name="卡片苑", kind="new", households=1000
    )
    services.record_room_check(
        acting_user=district, estate=estate, year=today.year, status="in_use", area_m2=Decimal(400), checked_on=today
    )
    compute_month(period_of(today))
    client.force_login(district)
    html = client.get(f"/dashboard/?region={LUCHENG}&period={period_of(today)}").content.decode()
    assert 'data-testid="supervision-figures"' in html
    assert "本年已督查小区" in html and "配建用房达标率" in html
    api = APIClient()
    api.force_authenticate(district)
    rows = api.get(f"/api/v1/stats/?period={period_of(today)}&metric=estates_checked&region={LUCHENG}").json()
    assert {(r["region"], r["value"]) for r in rows["results"]} >= {(LUCHENG, 1.0), (WUMA_GULOU, 1.0)}
