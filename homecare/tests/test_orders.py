"""Orders from request to confirmation, and each cross-check flag on hand-made data."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from facilities.models import Residency
from facilities.tests.helpers import make_facility
from homecare import rules, services
from homecare.choices import FlagKind, OrderStatus
from homecare.models import Flag
from homecare.selectors import allowances_of
from services.models import ServiceRecord
from services.services import record_blacklisting
from services.tests.factories import make_caregiver
from tests.factories import ElderFactory, make_staff

from .helpers import deliver, month, month_start


def kinds(order) -> set[str]:
    return set(Flag.objects.filter(order=order).values_list("kind", flat=True))


def test_rules():
    assert rules.distance_m(33.0, 112.53, 33.0, 112.53) == 0
    assert 1100 < rules.distance_m(33.0, 112.53, 33.01, 112.53) < 1120
    assert rules.service_amount(unit="hour", price=Decimal("50"), minutes=60) == Decimal("50.00")
    assert rules.service_amount(unit="hour", price=Decimal("50"), minutes=61) == Decimal("62.50")
    assert rules.service_amount(unit="visit", price=Decimal("30"), minutes=200) == Decimal("30.00")
    assert rules.capped(amount=Decimal("50"), takes=Decimal("50"), left=Decimal("20")) == (
        Decimal("20.00"),
        Decimal("20"),
    )
    assert rules.capped(amount=Decimal("50"), takes=Decimal("50"), left=Decimal("0")) == (
        Decimal("0.00"),
        Decimal("0"),
    )
    assert (
        rules.carried_over(rule="lapse", granted=Decimal(200), carried_in=Decimal(0), used=Decimal(50)) == 0
    )
    assert (
        rules.carried_over(rule="carry", granted=Decimal(200), carried_in=Decimal(10), used=Decimal(50))
        == 160
    )


def test_order_to_service_record(ny):
    order = deliver(ny, start=month_start())
    assert order.status == OrderStatus.CONFIRMED
    assert order.entitlement == ny["entitlement"]  # the 南阳 allowance covers NY01
    assert order.amount == Decimal("50.00") and order.minutes == 60
    record = ServiceRecord.objects.get(pk=order.service_record_id)
    assert (record.elder, record.provider, record.caregiver, record.amount) == (
        ny["elder"],
        ny["provider"],
        ny["caregiver"],
        Decimal("50.00"),
    )
    assert record.funding == "government"
    assert kinds(order) == set()
    [allowance] = allowances_of(ny["elder"], month())
    assert (allowance.granted, allowance.left) == (Decimal("200.00"), Decimal("150.00"))


def test_wrong_pin_is_refused(ny):
    order = deliver(ny, start=month_start(), confirm=False)
    with pytest.raises(ValidationError) as exc:
        services.confirm(acting_user=ny["staff"], order=order, pin="000000")
    assert exc.value.message_dict == {"pin": ["确认码错误。"]}
    order.refresh_from_db()
    assert order.status == OrderStatus.DONE and order.service_record_id is None


def test_dispatch_checks_the_caregiver(ny):
    order = services.create_order(
        acting_user=ny["worker"],
        elder=ny["elder"],
        item=ny["item"],
        provider=ny["provider"],
        wanted_at=month_start(),
    )
    uncertified = make_caregiver(ny["provider"], certificate_number="")
    ny["price"].requires_certificate = True
    ny["price"].save()
    order.refresh_from_db()
    with pytest.raises(ValidationError, match="持证"):
        services.dispatch(acting_user=ny["staff"], order=order, caregiver=uncertified)
    record_blacklisting(
        acting_user=ny["officer"], provider=ny["provider"], reason="虚报服务", starts_on=date(2000, 1, 1)
    )
    with pytest.raises(ValidationError, match="黑名单"):
        services.dispatch(acting_user=ny["staff"], order=order, caregiver=ny["caregiver"])
    with pytest.raises(PermissionDenied):
        services.dispatch(acting_user=ny["worker"], order=order, caregiver=ny["caregiver"])


def test_flag_overlap(ny):
    neighbour = ElderFactory(residence_id=ny["village"].code, address="宛城区新华街9号")
    first = deliver(ny, start=month_start(), minutes=90)
    second = deliver(ny, start=month_start() + timedelta(minutes=30), minutes=60, elder=neighbour)
    assert FlagKind.OVERLAP in kinds(second)
    services.cross_check(type(first).objects.filter(pk=first.pk))
    assert FlagKind.OVERLAP in kinds(first)
    later = deliver(ny, start=month_start() + timedelta(hours=3), minutes=60)
    assert FlagKind.OVERLAP not in kinds(later)


def test_flag_overlap_with_a_long_service_begun_hours_before(ny):
    # The probe looks back as far as the longest service of the caregiver: a 5-hour stay that
    # began four hours before a short visit elsewhere still overlaps it.
    neighbour = ElderFactory(residence_id=ny["village"].code, address="宛城区新华街9号")
    deliver(ny, start=month_start(), minutes=300)
    short = deliver(ny, start=month_start() + timedelta(hours=4), minutes=30, elder=neighbour)
    assert FlagKind.OVERLAP in kinds(short)
    after = deliver(ny, start=month_start() + timedelta(hours=6), minutes=30, elder=neighbour)
    assert FlagKind.OVERLAP not in kinds(after)


def test_flag_after_death(ny):
    order = deliver(ny, start=month_start(), confirm=False)
    died = month_start().date() - timedelta(days=1)
    type(ny["elder"]).objects.filter(pk=ny["elder"].pk).update(
        status="deceased", death_date=died, status_date=died
    )
    services.cross_check(type(order).objects.filter(pk=order.pk))
    assert kinds(order) == {FlagKind.AFTER_DEATH}


def test_flag_in_institution(ny):
    facility = make_facility(region=ny["village"].code)
    Residency.objects.create(
        facility=facility, elder=ny["elder"], admitted_on=month_start().date() - timedelta(days=3)
    )
    order = deliver(ny, start=month_start())
    assert kinds(order) == {FlagKind.IN_INSTITUTION}


def test_flag_far_check_in(ny):
    near = deliver(ny, start=month_start(), lat="33.001000", lon="112.530000")  # about 111 m
    far = deliver(
        ny, start=month_start() + timedelta(hours=2), lat="33.020000", lon="112.530000"
    )  # about 2.2 km
    assert near.checkin_distance_m < 200 and kinds(near) == set()
    assert far.checkin_distance_m > 2000 and kinds(far) == {FlagKind.FAR}


def test_flag_duration(ny):
    short = deliver(ny, start=month_start(), minutes=10)
    long = deliver(ny, start=month_start() + timedelta(hours=1), minutes=240)
    fine = deliver(ny, start=month_start() + timedelta(hours=6), minutes=120)
    assert kinds(short) == {FlagKind.DURATION} and kinds(long) == {FlagKind.DURATION}
    assert kinds(fine) == set()


def test_scope(ny):
    elsewhere = make_staff("ny-other", "community_worker", "330302006044")
    with pytest.raises(PermissionDenied):
        services.create_order(
            acting_user=elsewhere,
            elder=ny["elder"],
            item=ny["item"],
            provider=ny["provider"],
            wanted_at=month_start(),
        )
