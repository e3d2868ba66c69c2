"""Demo assessments: a realistic share of the demo city's elders, grades skewed by age."""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from elders.demo import demo_seeder
from elders.models import Elder

from . import rules
from .instrument import ITEMS
from .models import Assessment, AssessmentRequest

# Grade weights (0..4) by age band: the old are more often impaired.
_WEIGHTS = {
    60: (0.70, 0.20, 0.06, 0.03, 0.01),
    70: (0.50, 0.30, 0.11, 0.06, 0.03),
    80: (0.25, 0.35, 0.20, 0.12, 0.08),
    90: (0.10, 0.25, 0.25, 0.22, 0.18),
}
_TOTAL_RANGE = {0: (90, 90), 1: (66, 89), 2: (46, 65), 3: (30, 45), 4: (5, 29)}


def _items_for_total(total: int, rng: random.Random) -> dict[str, int]:
    items = {i.code: i.max_score for i in ITEMS}
    missing = 90 - total
    codes = [i.code for i in ITEMS]
    while missing > 0:
        code = rng.choice(codes)
        if items[code] > 0:
            items[code] -= 1
            missing -= 1
    return items


def _reset(elder_filter: dict) -> None:
    on_elder = {f"elder__{k}": v for k, v in elder_filter.items()}
    AssessmentRequest.objects.filter(**on_elder).delete()
    Assessment.objects.filter(**on_elder).delete()


@demo_seeder("assessments", order=10, reset=_reset)
def seed_assessments(*, seed: int, elder_filter: dict, batch: int = 5_000) -> int:
    """Assess about 40% of registered demo elders (more of the old), some expired, some due."""
    rng = random.Random(seed + 7)
    User = get_user_model()
    first, second = User.objects.get(username="assessor"), User.objects.get(username="assessor2")
    today = timezone.localdate()
    rows = (
        Elder.objects.filter(status="registered", **elder_filter)
        .values_list("pk", "birth_date")
        .order_by("pk")
    )
    created = 0
    through = Assessment.assessors.through
    pending: list[Assessment] = []

    def flush():
        nonlocal created
        with transaction.atomic():
            made = Assessment.objects.bulk_create(pending)
            through.objects.bulk_create(
                [through(assessment_id=a.pk, user_id=u) for a in made for u in (first.pk, second.pk)]
            )
        created += len(made)
        pending.clear()

    for pk, born in rows.iterator(chunk_size=20_000):
        age = today.year - born.year
        if rng.random() > min(0.85, 0.25 + max(0, age - 60) * 0.015):
            continue
        weights = _WEIGHTS[max(b for b in _WEIGHTS if b <= max(60, min(age, 90)))]
        grade = rng.choices(range(5), weights=weights)[0]
        total = rng.randint(*_TOTAL_RANGE[grade])
        items = _items_for_total(total, rng)
        # Assessed over the last 15 months: some results have expired, some fall due soon.
        assessed_on = today - timedelta(days=rng.randrange(1, 455))
        result = rules.score(items, rules.Conditions(), stack=False)
        now = timezone.now()
        pending.append(
            Assessment(
                elder_id=pk,
                assessed_on=assessed_on,
                reason="first",
                agency="温州市鹿城区老年人能力评估中心",
                items=items,
                created_by=first,
                status="confirmed",
                subtotals=result.subtotals,
                total_score=result.total,
                preliminary_grade=result.preliminary_grade,
                grade=result.grade,
                valid_until=rules.valid_until(assessed_on, 12),
                submitted_at=now,
                confirmed_by=second,
                confirmed_at=now,
            )
        )
        if len(pending) >= batch:
            flush()
    if pending:
        flush()
    return created
