"""Reads of stored figures for the dashboard, exports and API: a handful of indexed queries."""

from __future__ import annotations

from django.core.cache import cache
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


_VERSION_KEY = "reports:figures-version"


def figures_version() -> str:
    """Changes whenever stored figures may have: a statistics run finished (`figures_changed`), or
    a policy pack (its targets, the visit target rate) was loaded. Read from the cache: no query."""
    from policies.selectors import policies_version

    return f"{cache.get_or_set(_VERSION_KEY, 1, None)}:{policies_version()}"


def figures_changed() -> None:
    """Called by the statistics job: pages cached for the figures before it are not shown again."""
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 2, None)


def region_with_ancestors(code: str) -> tuple[Region | None, list[Region]]:
    """A region and its ancestors (outermost first), kept in the cache: divisions change only when
    an operator loads them, and the dashboard asks for them on every page."""
    key = f"reports:region:{code}"
    found = cache.get(key)
    if found is None:
        region = Region.objects.filter(code=code).first()
        found = (region, region.ancestors() if region else [])
        cache.set(key, found, 60 * 60)
    return found


def freshness(period: str) -> StatRun | None:
    return StatRun.objects.filter(period=period, finished_at__isnull=False).order_by("-finished_at").first()
