"""Periods: a month written YYYY-MM, the one unit of visits, statistics and payment rolls.

Every app reads and writes periods through these helpers, so there is one parser (with one
message for a bad period), one way to bound a month in local time, one month arithmetic.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from django.utils import timezone
from django.utils.translation import gettext as _

PERIOD_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
# The months the portal's data can lie in; past them month arithmetic would leave the calendar.
FIRST_YEAR, LAST_YEAR = 1900, 2100


def parse_period(period: str) -> tuple[date, date]:
    """'2026-03' -> (2026-03-01, 2026-03-31); ValueError with a message otherwise."""
    found = PERIOD_RE.match(period or "")
    if not found:
        raise ValueError(_("A period is written YYYY-MM, e.g. 2026-03."))
    year, month = int(found.group(1)), int(found.group(2))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(
            _("A period lies between %(first)d-01 and %(last)d-12.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def period_of(day: date) -> str:
    return f"{day:%Y-%m}"


def period_bounds(period: str) -> tuple[date, date, datetime, datetime]:
    """First and last local day of a period, and the aware instants [start, end) that bound it."""
    first, last = parse_period(period)
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(first, time.min), tz)
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min), tz)
    return first, last, start, end


def current_period() -> str:
    return period_of(timezone.localdate())


def previous_period(today: date | None = None) -> str:
    """The month before the one `today` (default: the local today) is in."""
    first = (today or timezone.localdate()).replace(day=1)
    return period_of(first - timedelta(days=1))


def next_period(day: date) -> str:
    """The month after the one `day` is in (approved in month M, paid from M+1)."""
    return period_of(day.replace(day=1) + timedelta(days=32))


def months_between(first: str, last: str) -> list[str]:
    """Every period from `first` to `last`, both included."""
    return list(_months_between(first, last))


@lru_cache(maxsize=4096)
def _months_between(first: str, last: str) -> tuple[str, ...]:
    # A payment roll asks this for every entitlement, but a city has few distinct (first, last) pairs.
    start, _end = parse_period(first)
    stop, _end2 = parse_period(last)
    out, day = [], start
    while day <= stop:
        out.append(period_of(day))
        day = day.replace(year=day.year + day.month // 12, month=day.month % 12 + 1)
    return tuple(out)


def closed_periods(today: date, n: int) -> list[str]:
    """The n months before the one `today` is in, oldest first."""
    out, day = [], today.replace(day=1)
    for _step in range(n):
        day = (day - timedelta(days=1)).replace(day=1)
        out.append(period_of(day))
    return list(reversed(out))
