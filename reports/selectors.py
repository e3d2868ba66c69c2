"""Reads of stored figures for the dashboard, exports and API: a handful of indexed queries."""

from __future__ import annotations

from django.db.models import QuerySet

from regions.models import Region
from regions.scope import restrict

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


def figures_version() -> str:
    """Changes whenever stored figures may have: a statistics run finished, or a policy pack (its
    targets, the visit target rate) was loaded. One indexed lookup."""
    from policies.selectors import policies_version

    run = (
        StatRun.objects.filter(finished_at__isnull=False).order_by("-id").values_list("id", flat=True).first()
    )
    return f"{run}:{policies_version()}"


def freshness(period: str) -> StatRun | None:
    return StatRun.objects.filter(period=period, finished_at__isnull=False).order_by("-finished_at").first()
