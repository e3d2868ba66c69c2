"""The monthly statistics job: set-based, idempotent, revisions instead of silent changes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from elders import conditions
from elders.models import Elder
from regions.models import Region
from services.models import Caregiver, ServiceRecord, Visit
from services.policy import visit_settings
from services.selectors import period_bounds

from .metrics import metric_kind
from .models import MonthlyStat, StatRun, VisitRoster

_CATEGORY_METRICS = {
    "target_alone": Q(elder__living_arrangement="alone"),
    "target_empty_nest": Q(elder__living_arrangement="empty_nest"),
    "target_left_behind": Q(elder__is_left_behind=True),
    "target_severe_disability": Q(elder__disability_grade__in=(1, 2)),
    "target_family_planning_special": Q(elder__is_family_planning_special=True),
}


@dataclass
class MonthResult:
    run: StatRun
    written: int
    revised: int


def registered_at(last: date):
    """Elders registered (在册) at the end of a day: a later death or move does not remove them."""
    return Elder.objects.filter(registered_on__lte=last).filter(
        Q(status="registered") | Q(status_date__gt=last)
    )


def _cities_with_elders() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT substr(residence_id, 1, 4) FROM elders_elder")
        return sorted(r[0] for r in cursor.fetchall())


def freeze_roster(period: str, *, rebuild: bool = False) -> int:
    """Write the month's list of target-group elders once (INSERT ... SELECT per city)."""
    first, last, _start, _end = period_bounds(period)
    if rebuild:
        VisitRoster.objects.filter(period=period).delete()
    elif VisitRoster.objects.filter(period=period).exists():
        return VisitRoster.objects.filter(period=period).count()
    table = VisitRoster._meta.db_table
    for city in _cities_with_elders():
        settings = visit_settings(city.ljust(12, "0"))
        members = (
            conditions.filter_queryset(
                registered_at(last).filter(residence__code__startswith=city), settings.target_group, last
            )
            .annotate(roster_elder=F("pk"), roster_residence=F("residence_id"))
            .values_list("roster_elder", "roster_residence")
        )
        sql, params = members.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (period, elder_id, residence_code, visited) "  # noqa: S608 - table name is ours
                f"SELECT %s, q.roster_elder, q.roster_residence, %s FROM ({sql}) q",
                (period, False, *params),
            )
    return VisitRoster.objects.filter(period=period).count()


def mark_visited(period: str) -> int:
    """Set each roster entry's flag from the visits as they are now (late visits count)."""
    _first, _last, start, end = period_bounds(period)
    for city in _cities_with_elders():
        settings = visit_settings(city.ljust(12, "0"))
        counted = Visit.objects.filter(
            elder_id=OuterRef("elder_id"),
            visited_at__gte=start,
            visited_at__lt=end,
            method__in=settings.counted_methods,
            outcome__in=settings.counted_outcomes,
        )
        roster = VisitRoster.objects.filter(period=period, residence_code__startswith=city)
        # Only flags that change are written: a re-run over an unchanged month updates nothing.
        roster.filter(visited=False).filter(Exists(counted)).update(visited=True)
        roster.filter(visited=True).filter(~Exists(counted)).update(visited=False)
    return VisitRoster.objects.filter(period=period, visited=True).count()


def _by_village(queryset, field: str, **aggregates) -> dict[str, dict]:
    return {row[field]: row for row in queryset.values(field).annotate(**aggregates).order_by()}


def village_figures(period: str) -> dict[str, dict[str, tuple[int, int | None]]]:
    """metric -> village code -> (numerator, denominator), each metric one grouped query."""
    first, last, start, end = period_bounds(period)
    out: dict[str, dict[str, tuple[int, int | None]]] = defaultdict(dict)
    roster = VisitRoster.objects.filter(period=period)
    for code, row in _by_village(
        roster,
        "residence_code",
        n=Count("id"),
        v=Count("id", filter=Q(visited=True)),
        **{m: Count("id", filter=q) for m, q in _CATEGORY_METRICS.items()},
    ).items():
        out["visit_rate"][code] = (row["v"], row["n"])
        out["visit_target_group"][code] = (row["n"], None)
        for metric in _CATEGORY_METRICS:
            out[metric][code] = (row[metric], None)
    visits = Visit.objects.filter(visited_at__gte=start, visited_at__lt=end)
    for code, row in _by_village(
        visits,
        "elder__residence_id",
        **{f"visits_{m}": Count("id", filter=Q(method=m)) for m in ("home", "phone", "video")},
        **{f"visits_{o}": Count("id", filter=Q(outcome=o)) for o in ("normal", "problem", "not_found")},
    ).items():
        for metric in (
            "visits_home",
            "visits_phone",
            "visits_video",
            "visits_normal",
            "visits_problem",
            "visits_not_found",
        ):
            out[metric][code] = (row[metric], None)
    served = ServiceRecord.objects.filter(elder_id=OuterRef("pk"), started_at__gte=start, started_at__lt=end)
    registered = registered_at(last)
    for code, row in _by_village(
        registered.alias(served=Exists(served)),
        "residence_id",
        n=Count("id"),
        inst=Count("id", filter=Q(living_arrangement="institution")),
        comm=Count("id", filter=Q(served=True) & ~Q(living_arrangement="institution")),
    ).items():
        n = row["n"]
        out["registered_elders"][code] = (n, None)
        out["care_institution"][code] = (row["inst"], n)
        out["care_community"][code] = (row["comm"], n)
        out["care_home"][code] = (n - row["inst"] - row["comm"], n)
    if apps.is_installed("assessments"):
        from assessments.selectors import grades_by_residence

        grades = grades_by_residence(last, registered)
        for code, (n, _none) in out["registered_elders"].items():
            counts = grades.get(code, {})
            out["assessment_coverage"][code] = (sum(counts.values()), n)
            for g in range(5):
                out[f"grade_{g}"][code] = (counts.get(g, 0), None)
    if apps.is_installed("subsidies"):
        from django.db.models import Sum

        from subsidies.models import Entitlement, Payment

        # Elders' subsidies: payments to facilities and caregivers are not recipients of a village.
        payments = Payment.objects.filter(period=period, entitlement__elder__isnull=False).exclude(
            status="returned"
        )
        for code, row in _by_village(
            payments,
            "entitlement__elder__residence_id",
            people=Count("entitlement__elder_id", distinct=True),
            total=Sum("amount"),
        ).items():
            out["subsidy_recipients"][code] = (row["people"], None)
            out["subsidy_amount"][code] = (int((row["total"] or 0) * 100), None)
        # The same per scheme: "subsidy_recipients.<scheme code>", "subsidy_amount.<scheme code>".
        per_scheme = (
            payments.values("entitlement__elder__residence_id", "entitlement__scheme__code")
            .annotate(people=Count("entitlement__elder_id", distinct=True), total=Sum("amount"))
            .order_by()
        )
        for row in per_scheme:
            code, scheme = row["entitlement__elder__residence_id"], row["entitlement__scheme__code"]
            out[f"subsidy_recipients.{scheme}"][code] = (row["people"], None)
            out[f"subsidy_amount.{scheme}"][code] = (int((row["total"] or 0) * 100), None)
        _unclaimed(out, last)
        if apps.is_installed("assessments"):
            from assessments.selectors import grades_by_residence

            recipients = registered.filter(
                pk__in=Entitlement.objects.filter(first_period__lte=period)
                .exclude(status="stopped", last_period__lt=period)
                .exclude(status="suspended")
                .values("elder_id")
            )
            graded = grades_by_residence(last, recipients)
            for code, row in _by_village(recipients, "residence_id", n=Count("id")).items():
                out["recipients_assessed"][code] = (sum(graded.get(code, {}).values()), row["n"])
    if apps.is_installed("facilities"):
        _facility_figures(out, last, registered)
    carers = Caregiver.objects.filter(active=True, provider__filing_status="filed")
    for code, row in _by_village(
        carers,
        "provider__region_id",
        n=Count("id"),
        certified=Count("id", filter=Q(certificate_expires__gte=last) & ~Q(certificate_number="")),
    ).items():
        out["caregivers_certified"][code] = (row["certified"], row["n"])
        out["caregivers_per_10k"][code] = (row["n"], 0)
    # Elders are the denominator of the per-10,000 (per-1,000) figure wherever caregivers
    # (beds) are counted; a street's own centre counts against the street's elders.
    for metric in ("caregivers_per_10k", "beds_per_1000"):
        for code, (n, _den) in list(out["registered_elders"].items()):
            num, _zero = out[metric].get(code, (0, 0))
            out[metric][code] = (num, n)
    return out


def _facility_figures(out: dict, last: date, registered) -> None:
    """Coverage, beds, stars, family care beds, and the assessment coverage of residents."""
    from facilities.selectors import monthly_figures, residents_at

    for metric, per_code in monthly_figures(last, _cities_with_elders()).items():
        out[metric].update(per_code)
    if apps.is_installed("assessments"):
        from assessments.selectors import grades_by_residence

        residents = registered.filter(pk__in=residents_at(last).values("pk"))
        graded = grades_by_residence(last, residents)
        for code, row in _by_village(residents, "residence_id", n=Count("id")).items():
            out["residents_assessed"][code] = (sum(graded.get(code, {}).values()), row["n"])


def _unclaimed(out: dict, last: date) -> None:
    """应享未享 per scheme in force: eligible elders without a live entitlement, one query each."""
    from subsidies.models import Scheme
    from subsidies.selectors import unclaimed

    schemes = Scheme.objects.filter(active=True, beneficiary="elder", effective_from__lte=last).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=last)
    )
    for scheme in schemes.select_related("region"):
        for code, row in _by_village(unclaimed(scheme, last), "residence_id", n=Count("id")).items():
            out[f"subsidy_unclaimed.{scheme.code}"][code] = (row["n"], None)
            total, _none = out["subsidy_unclaimed"].get(code, (0, None))
            out["subsidy_unclaimed"][code] = (total + row["n"], None)


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


def _value(metric: str, num: int, den: int | None) -> Decimal:
    kind = metric_kind(metric)
    if kind == "money":
        return (Decimal(num) / 100).quantize(Decimal("0.01"))
    if kind in ("rate", "per10k", "per1000"):
        scale = {"rate": 100, "per10k": 10_000, "per1000": 1_000}[kind]
        return (Decimal(num) * scale / Decimal(den)).quantize(Decimal("0.0001")) if den else Decimal(0)
    return Decimal(num)


@transaction.atomic
def compute_month(period: str, *, triggered_by: str = "", rebuild_roster: bool = False) -> MonthResult:
    """Compute every metric of a month for every region level. Re-running writes nothing new
    unless the data changed; a changed figure becomes a new revision (the old one is kept)."""
    run = StatRun.objects.create(
        period=period, started_at=timezone.now(), data_as_of=timezone.now(), triggered_by=triggered_by
    )
    run.roster_size = freeze_roster(period, rebuild=rebuild_roster)
    run.visits_counted = mark_visited(period)
    figures = roll_up(village_figures(period))
    current = {(s.region_id, s.metric): s for s in MonthlyStat.objects.filter(period=period, is_current=True)}
    new_rows, retired = [], []
    for (region, metric), (num, den) in figures.items():
        old = current.get((region, metric))
        if old is not None and old.numerator == num and old.denominator == den:
            continue
        if old is not None:
            old.is_current = False
            retired.append(old)
        new_rows.append(
            MonthlyStat(
                period=period,
                region_id=region,
                metric=metric,
                numerator=num,
                denominator=den,
                value=_value(metric, num, den),
                revision=(old.revision + 1) if old else 1,
                run=run,
            )
        )
    MonthlyStat.objects.bulk_update(retired, ["is_current"])
    MonthlyStat.objects.bulk_create(new_rows, batch_size=5_000)
    run.rows_written = len(new_rows)
    run.revisions = len(retired)
    run.finished_at = timezone.now()
    run.save()
    return MonthResult(run=run, written=len(new_rows), revised=len(retired))


def previous_period(today: date | None = None) -> str:
    today = today or timezone.localdate()
    first = today.replace(day=1)
    from datetime import timedelta

    return f"{first - timedelta(days=1):%Y-%m}"
