"""The benchmark city the reports' benchmarks share: the demo city at a chosen size, facilities
with residents and paid entitlements of a synthetic scheme (never a policy)."""

from __future__ import annotations

import time
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from core.periods import period_bounds, previous_period
from eldercare.partitions import ensure_partitions, is_partitioned, partition_name
from elders.demo import DEMO_TAG, seed
from elders.models import Elder
from facilities import benchmark as facility_bench
from facilities.models import Facility
from subsidies.disbursement import run_disbursement
from subsidies.models import Entitlement, Scheme

# --- the synthetic city -------------------------------------------------------------------------

BENCH_SCHEME = "BENCH-ALLOWANCE"  # a synthetic scheme of the benchmark city (never in a pack)


def ensure_city(*, elders: int, facilities: int, residents: int, entitlements: int, out) -> None:
    """Build the benchmark city once, or reuse it when it already has N demo elders: N elders with
    assessments and 12 months of visits, facilities with residents, and paid entitlements."""
    period = previous_period(timezone.localdate())
    first, _last, _start, _end = period_bounds(period)
    if Elder.objects.filter(notes=DEMO_TAG).count() != elders:
        t = time.perf_counter()
        seed(elders=elders, reset=True)
        out.write(f"seeded {elders:,} elders with assessments and visits in {time.perf_counter() - t:.0f} s")
    if Facility.objects.filter(licence_number=facility_bench.TAG).count() != facilities:
        t = time.perf_counter()
        facility_bench.load(facilities=facilities, residents=residents, today=first)
        out.write(
            f"loaded {facilities:,} facilities, {residents:,} residents in {time.perf_counter() - t:.0f} s"
        )
    scheme = bench_scheme(first)
    wanted = min(entitlements, Elder.objects.filter(status="registered").count())
    if Entitlement.objects.filter(scheme=scheme).count() != wanted:
        t = time.perf_counter()
        _entitlements(scheme, entitlements, first)
        run_disbursement(period=period)
        out.write(
            f"loaded {entitlements:,} entitlements and paid {period} in {time.perf_counter() - t:.0f} s"
        )
    # The city's past months were written into the DEFAULT partitions; the monthly task
    # (eldercare.tasks) moves such rows into partitions of their own in production, and the
    # benchmarks measure that layout: a month's work touching one month's rows.
    made = ensure_partitions()
    if made:
        out.write(f"made {len(made)} monthly partitions for the rows of past months")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def bench_scheme(first: date):
    scheme, _created = Scheme.objects.update_or_create(
        code=BENCH_SCHEME,
        defaults={
            "name": "基准测试津贴（合成数据）",
            "region_id": "330300000000",
            "legal_basis": "benchmark only: synthetic data, not a policy",
            "effective_from": date(first.year - 1, 1, 1),
            "beneficiary": "elder",
            "frequency": "monthly",
            "payment_form": "cash",
            "eligibility": {"fact": "age", "op": "gte", "value": 60},
            "amount_rule": {"kind": "fixed", "amount": "100.00"},
            "application_needed": True,
            "active": True,
        },
    )
    return scheme


@transaction.atomic
def _entitlements(scheme, n: int, first: date) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM subsidies_payment WHERE entitlement_id IN "
            "(SELECT id FROM subsidies_entitlement WHERE scheme_id = %s)",
            [scheme.pk],
        )
        cursor.execute("DELETE FROM subsidies_entitlement WHERE scheme_id = %s", [scheme.pk])
        cursor.execute(
            """
            INSERT INTO subsidies_entitlement
              (elder_id, scheme_id, status, first_period, last_period, amount, payee_name, payee_account)
            SELECT e.id, %s, 'active', %s, '', 100.00, e.name, '6222' || lpad(e.id::text, 15, '0')
            FROM elders_elder e WHERE e.status = 'registered' ORDER BY e.id LIMIT %s
            """,
            [scheme.pk, f"{first:%Y-%m}", n],
        )


def empty_month_roster(period: str) -> None:
    """Take the month's roster away before timing a first run, as it is in production: the month's
    own partition, empty. A DELETE would leave the earlier run's 820,000 entries (at 2,000,000
    elders) as dead rows and index entries that the timed INSERT must step over."""
    from .models import VisitRoster

    table = VisitRoster._meta.db_table
    first, _last, _start, _end = period_bounds(period)
    with connection.cursor() as cursor:
        if is_partitioned(cursor, table):
            cursor.execute(f"TRUNCATE {partition_name(table, first)}")  # noqa: S608 - our own table
            return
    VisitRoster.objects.filter(period=period).delete()
