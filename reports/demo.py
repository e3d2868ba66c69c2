"""The demo city's dashboard figures: the dashboard reads stored figures, so the closed months
the demo's visits cover are computed once the other parts are written."""

from __future__ import annotations

from django.utils import timezone

from core.periods import closed_periods
from elders.demo import demo_seeder

from .services import compute_month


@demo_seeder("figures", order=90, after_commit=True)
def seed_figures(*, seed: int, elder_filter: dict) -> int:
    periods = closed_periods(timezone.localdate(), 12)
    for period in periods:
        compute_month(period, triggered_by="seed_demo")
    return len(periods)
