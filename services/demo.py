"""A year of demo visits: most target elders visited monthly, some communities lagging."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from core.periods import closed_periods, parse_period, period_of
from elders.demo import demo_seeder
from elders.models import Elder

from .choices import FollowUpStatus
from .models import FollowUp, ServiceRecord, Visit
from .policy import visit_settings
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
    """The n months up to and including this one, oldest first."""
    return [*closed_periods(today, n - 1), period_of(today)]


def _reset(elder_filter: dict) -> None:
    on_elder = {f"elder__{k}": v for k, v in elder_filter.items()}
    ServiceRecord.objects.filter(**on_elder).delete()
    FollowUp.objects.filter(**on_elder).delete()
    Visit.objects.filter(**on_elder).delete()


@demo_seeder("visits", order=20, reset=_reset)
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
    # Bulk-inserted visits bypass the visit service: derive the stored visit status in one pass.
    from .services import refresh_visit_status

    refresh_visit_status()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE services_visit")
            cursor.execute("ANALYZE services_visitstatus")
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


@demo_seeder("providers", order=30)
def seed_providers(*, seed: int, elder_filter: dict, records: int = 2_000) -> int:
    """Filed providers of 鹿城区 with caregivers, the demo provider account, and service records."""
    from decimal import Decimal

    from elders.rules import make_id_number

    from .models import Caregiver, CatalogueItem, Provider, ProviderStaff, ServiceRecord
    from .rules import uscc_check_character

    rng = random.Random(seed + 13)
    specs = (
        ("鹿城区五马街道居家养老服务中心", "station", "330302006000"),
        ("温州安康居家养老服务有限公司", "home_care", "330302000000"),
        ("鹿城区松台街道老年食堂", "canteen", "330302026000"),
        ("温州颐乐护理服务中心", "social_org", "330302000000"),
    )
    providers = []
    for i, (name, kind, region) in enumerate(specs):
        body = f"5233030{2 + i:01d}MJ{rng.randrange(10**7):07d}"[:17]
        provider, _created = Provider.objects.get_or_create(
            name=name,
            defaults={
                "credit_code": body + uscc_check_character(body),
                "kind": kind,
                "region_id": region,
                "filing_status": "filed",
                "filing_number": f"鹿民养备{2023}{i + 1:03d}",
                "filed_on": timezone.localdate() - timedelta(days=400 - 30 * i),
            },
        )
        providers.append(provider)
    carers = []
    for provider in providers:
        for j in range(4):
            born = timezone.localdate().replace(
                year=1968 + rng.randrange(20), month=rng.randrange(1, 13), day=rng.randrange(1, 28)
            )
            number = make_id_number("330302", born, (provider.pk * 10 + j) * 2 % 1000)
            carer, _created = Caregiver.objects.get_or_create(
                id_number=number,
                defaults={
                    "provider": provider,
                    "name": rng.choice("王李张刘陈") + rng.choice(("秀英", "丽华", "建芳", "美玲")),
                    "skill_level": rng.choice((5, 5, 4, 4, 3)),
                    "certificate_number": f"YLHLY{rng.randrange(10**8):08d}",
                    "certificate_expires": timezone.localdate() + timedelta(days=rng.randrange(-60, 900)),
                },
            )
            carers.append(carer)
    User = get_user_model()
    account = User.objects.filter(username="provider").first()
    if account is not None:
        ProviderStaff.objects.get_or_create(user=account, defaults={"provider": providers[1]})
    if ServiceRecord.objects.exists():
        return 0
    items = {i.code: i for i in CatalogueItem.objects.filter(catalogue__region_id="330300000000")}
    elders = list(
        Elder.objects.filter(
            status="registered", residence__code__startswith="330302", **elder_filter
        ).values_list("pk", flat=True)[:3000]
    )
    kinds = (
        ("meal", 0.45, Decimal("12.00"), 30),
        ("cleaning", 0.2, Decimal("40.00"), 90),
        ("bath", 0.12, Decimal("50.00"), 60),
        ("medical", 0.08, Decimal("30.00"), 60),
        ("home_care", 0.1, Decimal("45.00"), 90),
        ("respite", 0.05, Decimal("150.00"), 480),
    )
    made = []
    recorder = account or User.objects.get(username="admin")
    tz = timezone.get_current_timezone()
    for _i in range(records if elders else 0):
        kind, _w, price, minutes = rng.choices(kinds, weights=[k[1] for k in kinds])[0]
        carer = rng.choice(carers)
        day = timezone.localdate() - timedelta(days=rng.randrange(1, 365))
        made.append(
            ServiceRecord(
                elder_id=rng.choice(elders),
                item=items.get("WZ01") if kind != "meal" else None,
                kind=kind,
                provider_id=carer.provider_id,
                caregiver=carer,
                started_at=datetime.combine(
                    day, time(8 + rng.randrange(10), rng.choice((0, 15, 30, 45))), tzinfo=tz
                ),
                duration_minutes=minutes,
                funding=rng.choice(("government", "government", "self_paid")),
                amount=price,
                recorded_by=recorder,
            )
        )
    ServiceRecord.objects.bulk_create(made, ignore_conflicts=True)
    return len(made)
