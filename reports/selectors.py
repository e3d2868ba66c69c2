"""Reads of stored figures for the dashboard, exports and API: a handful of indexed queries."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet

from regions.models import Region
from regions.scope import restrict

from .metrics import METRICS, metric_label
from .models import MonthlyStat, StatRun


def stats_in_scope(user) -> QuerySet[MonthlyStat]:
    return restrict(MonthlyStat.objects.filter(is_current=True), user)


def latest_period(user, region: Region) -> str | None:
    return (
        stats_in_scope(user)
        .filter(region=region, metric="visit_rate")
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )


def figures(user, region: Region, period: str) -> dict[str, MonthlyStat]:
    return {s.metric: s for s in stats_in_scope(user).filter(region=region, period=period)}


def trend(user, region: Region, metric: str, periods: int = 12) -> list[MonthlyStat]:
    rows = list(stats_in_scope(user).filter(region=region, metric=metric).order_by("-period")[:periods])
    return list(reversed(rows))


def by_child(user, region: Region, period: str, metric: str) -> list[tuple[Region, MonthlyStat]]:
    children = {r.code: r for r in restrict(Region.objects.filter(parent=region), user)}
    stats = stats_in_scope(user).filter(region_id__in=list(children), period=period, metric=metric)
    return sorted(((children[s.region_id], s) for s in stats), key=lambda pair: pair[1].value)


def freshness(period: str) -> StatRun | None:
    return StatRun.objects.filter(period=period, finished_at__isnull=False).order_by("-finished_at").first()


def target_progress(user, region: Region, on) -> list[dict]:
    """Targets of the region and the regions above it in scope, each with its latest value."""
    from regions.rules import candidate_ancestor_codes

    from .models import Target

    codes = [*candidate_ancestor_codes(region.code), region.code]
    targets = list(Target.objects.filter(region_id__in=codes).order_by("deadline", "indicator"))
    latest: dict[str, MonthlyStat] = {}
    for stat in MonthlyStat.objects.filter(
        region=region, is_current=True, metric__in={t.indicator for t in targets}
    ).order_by("metric", "-period"):
        latest.setdefault(stat.metric, stat)
    rows = []
    for target in targets:
        stat = latest.get(target.indicator)
        rows.append(
            {
                "target": target,
                "label": metric_label(target.indicator) if target.indicator in METRICS else target.indicator,
                "stat": stat,
                "status": progress_status(target, stat, on),
            }
        )
    return rows


def progress_status(target, stat, on) -> str:
    """met / missed / at_risk / on_track / no_data: the latest value against the target and deadline.

    At risk: not met and less than a year to go with more than a tenth of the target missing.
    """
    if stat is None:
        return "no_data"
    if stat.value >= target.target_value:
        return "met"
    if on > target.deadline:
        return "missed"
    gap = (target.target_value - stat.value) / target.target_value if target.target_value else 0
    if (target.deadline - on).days < 365 and gap > Decimal("0.1"):
        return "at_risk"
    return "on_track"
