from datetime import datetime, time, timedelta

from django.utils import timezone

from homecare import services

from .conftest import PIN


def month_start() -> datetime:
    """Last month's first day, 08:00 local time: every service of the tests is in the past."""
    day = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    return timezone.make_aware(datetime.combine(day, time(8, 0)))


def month() -> str:
    from core.periods import period_of

    return period_of(month_start().date())


def deliver(
    ny, *, start: datetime, minutes: int = 60, elder=None, caregiver=None, confirm=True, lat=None, lon=None
):
    """An order created, dispatched, checked in and out at the given times, and confirmed."""
    elder = elder or ny["elder"]
    if not hasattr(elder, "confirmation_pin"):
        services.set_confirmation_pin(acting_user=ny["worker"], elder=elder, pin=PIN)
    order = services.create_order(
        acting_user=ny["worker"], elder=elder, item=ny["item"], provider=ny["provider"], wanted_at=start
    )
    services.dispatch(acting_user=ny["staff"], order=order, caregiver=caregiver or ny["caregiver"])
    services.check_in(acting_user=ny["staff"], order=order, at=start, latitude=lat, longitude=lon)
    services.check_out(
        acting_user=ny["staff"], order=order, work_done="助洁、助浴", at=start + timedelta(minutes=minutes)
    )
    if confirm:
        services.confirm(acting_user=ny["staff"], order=order, pin=PIN)
    order.refresh_from_db()
    return order
