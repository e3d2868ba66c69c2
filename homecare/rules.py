"""Pure rules of home services: pricing, the allowance cap, distance, durations, deadlines."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
EARTH_RADIUS_M = 6_371_000


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> int:
    """Great-circle distance in metres (haversine): a phone's fix against the home's."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return round(2 * EARTH_RADIUS_M * math.asin(math.sqrt(a)))


def service_amount(*, unit: str, price: Decimal, minutes: int) -> Decimal:
    """A visit costs its price; an hourly item costs the price per started quarter hour."""
    if unit == "visit":
        return price.quantize(CENT)
    quarters = max(1, math.ceil(minutes / 15))
    return (price * quarters / 4).quantize(CENT, rounding=ROUND_HALF_UP)


def consumption(*, allowance_unit: str, amount: Decimal, minutes: int) -> Decimal:
    """What a service takes from an allowance: its amount in yuan, or its hours."""
    if allowance_unit == "yuan":
        return amount
    return (Decimal(minutes) / 60).quantize(CENT, rounding=ROUND_HALF_UP)


def capped(*, amount: Decimal, takes: Decimal, left: Decimal) -> tuple[Decimal, Decimal]:
    """(paid, used) for a service that takes `takes` from an allowance with `left` remaining:
    within the allowance it is paid in full; beyond it, only the share the allowance covers."""
    if takes <= 0:
        return amount, Decimal(0)
    used = max(Decimal(0), min(takes, left))
    if used == takes:
        return amount, used
    return (amount * used / takes).quantize(CENT, rounding=ROUND_HALF_UP), used


def carried_over(*, rule: str, granted: Decimal, carried_in: Decimal, used: Decimal) -> Decimal:
    """What a month leaves to the next: nothing when unused allowance lapses."""
    if rule != "carry":
        return Decimal(0)
    return max(Decimal(0), granted + carried_in - used)


def duration_outside(minutes: int, low: int, high: int) -> bool:
    return minutes < low or minutes > high


def response_deadline(called_at: datetime, minutes: int) -> datetime:
    return called_at + timedelta(minutes=minutes)


def district_of(region_code: str) -> str:
    """The county-level code a region lies in (its first six digits)."""
    return region_code[:6].ljust(12, "0")
