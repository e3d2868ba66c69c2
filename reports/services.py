"""The monthly statistics job: set-based, idempotent, revisions instead of silent changes."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

import conditions
from core.periods import period_bounds
from elders.selectors import cities_with_elders
from regions.models import Region
from services.models import Visit
from services.policy import visit_settings

from .metrics import metric_of, registered_at, village_figures
from .models import MonthlyStat, StatRun, VisitRoster
from .selectors import figures_changed


@dataclass
class MonthResult:
    run: StatRun
    written: int
    revised: int


def _counted_in_month(settings, start, end, elder_ref: str = "pk"):
    return Visit.objects.filter(
        elder_id=OuterRef(elder_ref),
        visited_at__gte=start,
        visited_at__lt=end,
        method__in=settings.counted_methods,
        outcome__in=settings.counted_outcomes,
    )


def freeze_roster(period: str, *, rebuild: bool = False) -> tuple[int, bool]:
    """Write the month's list of target-group elders once (INSERT ... SELECT per city), each
    entry's visited flag computed in the same statement. Returns the list's size and whether it
    was written now (a list frozen earlier needs its flags brought up to date instead)."""
    first, last, start, end = period_bounds(period)
    if rebuild:
        VisitRoster.objects.filter(period=period).delete()
    elif VisitRoster.objects.filter(period=period).exists():
        return VisitRoster.objects.filter(period=period).count(), False
    table = VisitRoster._meta.db_table
    for city in cities_with_elders():
        settings = visit_settings(city.ljust(12, "0"))
        members = (
            conditions.filter_queryset(
                registered_at(last).filter(residence__code__startswith=city), settings.target_group, last
            )
            .annotate(
                roster_elder=F("pk"),
                roster_residence=F("residence_id"),
                roster_visited=Exists(_counted_in_month(settings, start, end)),
            )
            .values_list("roster_elder", "roster_residence", "roster_visited")
            # No order: the registry's default (newest first) made PostgreSQL walk the primary key
            # backwards, fetching the city's elders one by one instead of scanning them.
            .order_by()
        )
        sql, params = members.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (period, elder_id, residence_code, visited) "  # noqa: S608 - table name is ours
                f"SELECT %s, q.roster_elder, q.roster_residence, q.roster_visited FROM ({sql}) q",
                (period, *params),
            )
    return VisitRoster.objects.filter(period=period).count(), True


def mark_visited(period: str) -> int:
    """Set each roster entry's flag from the visits as they are now (late visits count)."""
    _first, _last, start, end = period_bounds(period)
    for city in cities_with_elders():
        settings = visit_settings(city.ljust(12, "0"))
        counted = _counted_in_month(settings, start, end, "elder_id")
        roster = VisitRoster.objects.filter(period=period, residence_code__startswith=city)
        # Only flags that change are written: a re-run over an unchanged month updates nothing.
        roster.filter(visited=False).filter(Exists(counted)).update(visited=True)
        roster.filter(visited=True).filter(~Exists(counted)).update(visited=False)
    return VisitRoster.objects.filter(period=period, visited=True).count()


def roll_up(village: dict[str, dict[str, tuple]]) -> dict[tuple[str, str], tuple[int, int | None]]:
    """Sum numerators and denominators up the region tree: a city's rate is the rate of its
    sums, never an average of its districts' rates."""
    codes = {code for per_metric in village.values() for code in per_metric}
    parents: dict[str, str | None] = {}
    frontier = set(codes)
    while frontier:
        rows = list(Region.objects.filter(code__in=frontier).values_list("code", "parent_id"))
        parents.update(dict(rows))
        frontier = {p for _c, p in rows if p and p not in parents}
    totals: dict[tuple[str, str], list] = {}
    for metric, per_code in village.items():
        for code, (num, den) in per_code.items():
            node = code
            while node is not None:
                key = (node, metric)
                acc = totals.setdefault(key, [0, None if den is None else 0])
                acc[0] += num
                if den is not None:
                    acc[1] = (acc[1] or 0) + den
                node = parents.get(node)
    return {k: (v[0], v[1]) for k, v in totals.items()}


@transaction.atomic
def compute_month(period: str, *, triggered_by: str = "", rebuild_roster: bool = False) -> MonthResult:
    """Compute every metric of a month for every region level. Re-running writes nothing new
    unless the data changed; a changed figure becomes a new revision (the old one is kept)."""
    run = StatRun.objects.create(
        period=period, started_at=timezone.now(), data_as_of=timezone.now(), triggered_by=triggered_by
    )
    run.roster_size, frozen_now = freeze_roster(period, rebuild=rebuild_roster)
    # A list frozen now has exact flags already; one frozen earlier catches up with late visits.
    run.visits_counted = (
        VisitRoster.objects.filter(period=period, visited=True).count()
        if frozen_now
        else mark_visited(period)
    )
    figures = roll_up(village_figures(period))
    # The month's current figures as plain tuples: a city has tens of thousands of them, and a
    # re-run compares them all but changes few (model instances cost more than the query).
    current = {
        (region, metric): (pk, num, den, revision)
        for pk, region, metric, num, den, revision in MonthlyStat.objects.filter(
            period=period, is_current=True
        ).values_list("pk", "region_id", "metric", "numerator", "denominator", "revision")
    }
    new_rows, retired_ids = [], []
    for (region, metric), (num, den) in figures.items():
        old = current.get((region, metric))
        if old is not None and old[1] == num and old[2] == den:
            continue
        if old is not None:
            retired_ids.append(old[0])
        new_rows.append(
            MonthlyStat(
                period=period,
                region_id=region,
                metric=metric,
                numerator=num,
                denominator=den,
                value=metric_of(metric).value(num, den),
                revision=(old[3] + 1) if old else 1,
                run=run,
            )
        )
    # A few UPDATEs within the month's partition, not one statement per figure.
    for i in range(0, len(retired_ids), 10_000):
        MonthlyStat.objects.filter(period=period, pk__in=retired_ids[i : i + 10_000]).update(is_current=False)
    MonthlyStat.objects.bulk_create(new_rows, batch_size=5_000)
    run.rows_written = len(new_rows)
    run.revisions = len(retired_ids)
    run.finished_at = timezone.now()
    run.save()
    figures_changed()
    return MonthResult(run=run, written=len(new_rows), revised=len(retired_ids))
