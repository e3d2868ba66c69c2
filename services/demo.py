"""A year of demo visits: most target elders visited monthly, some communities lagging."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from elders.models import Elder

from .choices import FollowUpStatus
from .models import FollowUp, Visit
from .policy import visit_settings
from .rules import parse_period, period_of
from .selectors import target_group

_METHODS = (("home", 0.6), ("phone", 0.3), ("video", 0.1))
_OUTCOMES = (("normal", 0.86), ("problem", 0.08), ("not_found", 0.06))
_PROBLEMS = ("health", "safety", "living", "mental", "subsidy", "other")


def _pick(rng: random.Random, weighted) -> str:
    r, acc = rng.random(), 0.0
    for value, weight in weighted:
        acc += weight
        if r < acc:
            return value
    return weighted[-1][0]


def _months(today, n: int) -> list[str]:
    months, day = [], today.replace(day=1)
    for _ in range(n):
        months.append(period_of(day))
        day = (day - timedelta(days=1)).replace(day=1)
    return list(reversed(months))


def seed_visits(*, seed: int, elder_filter: dict, months: int = 12, batch: int = 20_000) -> int:
    """Visits over the last N months for the visit target group of the demo elders."""
    rng = random.Random(seed + 11)
    today = timezone.localdate()
    settings = visit_settings("330300000000")
    User = get_user_model()
    visitor_ids = list(
        User.objects.filter(username__in=["worker", "worker2", "street"]).values_list("pk", flat=True)
    )
    elders = list(
        target_group(Elder.objects.filter(**elder_filter), settings, today)
        .order_by("pk")
        .values_list("pk", "residence_id", "registered_on")
    )
    # Each community has its own diligence: most visit nearly everyone, a few lag.
    diligence: dict[str, float] = {}
    tz = timezone.get_current_timezone()
    pending: list[Visit] = []
    created = 0
    for period in _months(today, months):
        first, last = parse_period(period)
        last = min(last, today)
        for pk, residence, registered_on in elders:
            rate = diligence.setdefault(residence, rng.choice((0.97, 0.95, 0.92, 0.9, 0.85, 0.7, 0.55)))
            if registered_on > last or rng.random() > rate:
                continue
            day = first + timedelta(days=rng.randrange((last - first).days + 1))
            if day < registered_on:
                day = registered_on
            outcome = _pick(rng, _OUTCOMES)
            pending.append(
                Visit(
                    elder_id=pk,
                    visitor_id=rng.choice(visitor_ids),
                    visited_at=datetime.combine(
                        day, time(9 + rng.randrange(9), rng.randrange(60)), tzinfo=tz
                    ),
                    method=_pick(rng, _METHODS),
                    outcome=outcome,
                    problems=[rng.choice(_PROBLEMS)] if outcome == "problem" else [],
                )
            )
            if len(pending) >= batch:
                created += _flush(pending, today)
    if pending:
        created += _flush(pending, today)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE services_visit")
    return created


def _flush(pending: list[Visit], today) -> int:
    made = Visit.objects.bulk_create(pending)
    # Problems found this month are still open; older ones were closed.
    FollowUp.objects.bulk_create(
        [
            FollowUp(
                visit=v,
                elder_id=v.elder_id,
                problem=v.problems[0],
                due_on=timezone.localtime(v.visited_at).date() + timedelta(days=7),
                status=FollowUpStatus.OPEN
                if timezone.localtime(v.visited_at).date() >= today.replace(day=1)
                else FollowUpStatus.CLOSED,
                resolution=""
                if timezone.localtime(v.visited_at).date() >= today.replace(day=1)
                else "已处理",
            )
            for v in made
            if v.problems
        ]
    )
    pending.clear()
    return len(made)
