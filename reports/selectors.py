"""Reads of stored figures for the dashboard, exports and API: a handful of indexed queries."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.utils import timezone

from core import versions
from core.periods import period_of
from core.scope import restrict, under
from elders.models import Elder
from regions.models import Region
from services.choices import VisitMethod
from services.policy import visit_settings
from services.selectors import due_list, open_follow_ups, target_group, visits_in_period
from subsidies.models import Scheme
from subsidies.selectors import unclaimed

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
    """Changes whenever stored figures may have: a statistics run finished (`figures_changed`), or
    a policy pack (its targets, the visit target rate) was loaded. Read from the cache: no query."""
    from policies.selectors import policies_version

    return f"{versions.current('figures')}:{policies_version()}"


def figures_changed() -> None:
    """Called by the statistics job: pages cached for the figures before it are not shown again."""
    versions.bump("figures")


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


def unclaimed_elders(user, scheme, region: Region, on) -> QuerySet:
    """应享未享 behind the dashboard's number: elders under `region` the user may see who qualify
    for `scheme` on `on` but have no live entitlement to it, in a stable order."""
    rows = under(restrict(unclaimed(scheme, on), user), region.prefix)
    return rows.select_related("residence").order_by("residence_id", "id")


def unclaimed_schemes():
    """The active elder schemes a 应享未享 list can be asked for, by name."""
    return Scheme.objects.filter(active=True, beneficiary="elder").order_by("name")


COMMUNITY_NAMES = 10


def community_month(user, region: Region, on) -> dict:
    """A community's (village's) own month on the dashboard, read from the live rows: the visit
    target group, who is visited and who is not yet (the first names, longest unvisited first),
    the visits by method and the open follow-ups. Above a community the part is empty: sub-regions say more."""
    if region.level != "village":
        return {}
    period = period_of(on)
    due = under(due_list(user, period), region.prefix)
    visits = under(visits_in_period(user, period), region.prefix)
    by_method = dict(visits.order_by().values_list("method").annotate(n=Count("id")))
    group = under(
        target_group(restrict(Elder.objects.all(), user), visit_settings(region.code), on), region.prefix
    ).count()
    not_visited = due.count()
    return {
        "period": period,
        "read_at": timezone.localtime(),  # the part is cached for a minute: the page says when
        "group": group,
        "visited": group - not_visited,
        "not_visited": not_visited,
        "first_due": list(due[:COMMUNITY_NAMES]),
        "visits": sum(by_method.values()),
        "by_method": [(VisitMethod(m).label, n) for m, n in sorted(by_method.items())],
        "open_follow_ups": under(open_follow_ups(user), region.prefix).count(),
    }
