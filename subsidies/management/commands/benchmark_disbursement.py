"""A month's payment roll at city scale: run_disbursement against the raw INSERT ... SELECT it does,
and the cross-checks of each batch, on the same data. Every timed run is rolled back."""

import statistics
import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from core.periods import parse_period, previous_period
from elders.demo import DEMO_TAG, seed
from elders.models import Elder
from subsidies.disbursement import cross_checks, run_disbursement
from subsidies.models import DisbursementBatch, Entitlement, Payment, Scheme

BENCH_SCHEME = "BENCH-MONTHLY"

# The same month's roll, hand-written: one batch per scheme and city, one payment per entitlement
# payable this month and not suspended; ON CONFLICT DO NOTHING as run_disbursement does.
PAYABLE = """
    e.first_period <= %(period)s AND (e.last_period = '' OR e.last_period >= %(period)s)
    AND NOT (e.status = 'stopped' AND e.last_period = '')
    AND NOT EXISTS (SELECT 1 FROM subsidies_suspension s WHERE s.entitlement_id = e.id
                    AND s.from_period <= %(period)s AND (s.to_period = '' OR s.to_period >= %(period)s))
"""
RAW_BATCHES = f"""
INSERT INTO subsidies_disbursementbatch (period, scheme_id, region_id, status, created_at)
SELECT DISTINCT %(period)s, e.scheme_id, rpad(left(el.residence_id, 4), 12, '0'), 'draft', now()
FROM subsidies_entitlement e JOIN elders_elder el ON el.id = e.elder_id
WHERE {PAYABLE}
ON CONFLICT DO NOTHING
"""
RAW_PAYMENTS = f"""
INSERT INTO subsidies_payment (batch_id, entitlement_id, period, amount, status, return_reason)
SELECT b.id, e.id, %(period)s, e.amount, 'pending', ''
FROM subsidies_entitlement e JOIN elders_elder el ON el.id = e.elder_id
JOIN subsidies_disbursementbatch b ON b.period = %(period)s AND b.scheme_id = e.scheme_id
     AND b.region_id = rpad(left(el.residence_id, 4), 12, '0') AND b.status = 'draft'
WHERE {PAYABLE}
ON CONFLICT DO NOTHING
"""


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Bulk-load N active entitlements (default 300,000) on the demo city, then time run_disbursement "
        "for a month against the equivalent raw INSERT ... SELECT and the cross-checks of each batch, "
        "each in a rolled-back transaction. Needs PostgreSQL (--force to run on SQLite)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--entitlements", type=int, default=300_000)
        parser.add_argument("--period", default=None, help="YYYY-MM (default: last month)")
        parser.add_argument("--repeat", type=int, default=3)
        parser.add_argument("--keep", action="store_true", help="reuse the demo elders and entitlements")
        parser.add_argument("--force", action="store_true")

    def handle(self, *args, entitlements, period, repeat, keep, force, **options):
        if connection.vendor != "postgresql" and not force:
            raise CommandError("Benchmarks are meant for PostgreSQL: set DATABASE_URL (or pass --force).")
        period = period or previous_period()
        parse_period(period)
        registered = Elder.objects.filter(notes=DEMO_TAG, status="registered")
        scheme = self._scheme()
        if not keep or registered.count() < entitlements:
            self._clear(scheme)  # the demo's elders are re-made: their benchmark entitlements go first
            started = time.perf_counter()
            # Some demo elders have died or moved: seed enough registered ones.
            made = seed(elders=int(entitlements * 1.1) + 1_000, reset=True).elders
            self.stdout.write(f"seeded {made:,} demo elders in {time.perf_counter() - started:.1f} s")
        if not keep or Entitlement.objects.filter(scheme=scheme).count() != entitlements:
            started = time.perf_counter()
            self._load(scheme, entitlements, period)
            self.stdout.write(
                f"loaded {entitlements:,} entitlements (INSERT ... SELECT) in {time.perf_counter() - started:.1f} s"
            )
        live = Entitlement.objects.exclude(status="stopped").count()
        self.stdout.write(f"{live:,} live entitlements; period {period}; median of {repeat} rolled-back runs")

        def raw() -> int:
            with connection.cursor() as cursor:
                cursor.execute(RAW_BATCHES, {"period": period})
                cursor.execute(RAW_PAYMENTS, {"period": period})
                return cursor.rowcount

        def orm() -> int:
            run_disbursement(period=period)
            return Payment.objects.filter(batch__period=period).count()

        raw_s, raw_payments = self._median(raw, repeat)
        orm_s, orm_payments = self._median(orm, repeat)
        if raw_payments != orm_payments:
            raise CommandError(f"Not the same roll: raw SQL {raw_payments:,} payments, ORM {orm_payments:,}.")
        checks = self._checks(period)
        checks_s = sum(seconds for _batch, _n, _flags, seconds in checks)
        self.stdout.write(f"run_disbursement:          {orm_s:8.2f} s  ({orm_payments:,} payments)")
        self.stdout.write(f"raw INSERT ... SELECT:     {raw_s:8.2f} s  ({raw_payments:,} payments)")
        self.stdout.write(f"ratio ORM / raw SQL:       {orm_s / raw_s:8.1f}")
        for batch, n, flags, seconds in checks:
            self.stdout.write(
                f"cross_checks {batch.scheme.code} {batch.region_id}: {seconds:6.2f} s "
                f"({n:,} payments, {flags:,} flags)"
            )
        self.stdout.write(f"cross_checks, all batches: {checks_s:8.2f} s")
        self.stdout.write(
            f"share of cross-checks in preparing the roll (run + checks): {checks_s / (orm_s + checks_s):.0%}"
        )

    def _scheme(self) -> Scheme:
        scheme, _created = Scheme.objects.update_or_create(
            code=BENCH_SCHEME,
            defaults={
                "name": "benchmark monthly allowance",
                "legal_basis": "benchmark_disbursement",
                "effective_from": date(2020, 1, 1),
                "beneficiary": "elder",
                "frequency": "monthly",
                "payment_form": "cash",
                "eligibility": {"fact": "age", "op": "gte", "value": 60},
                "amount_rule": {"kind": "fixed", "amount": "100.00"},
                "application_needed": False,
                "active": False,
                "inactive_reason": "benchmark data, never shown to users",
            },
        )
        return scheme

    def _clear(self, scheme: Scheme) -> None:
        with transaction.atomic():
            Payment.objects.filter(entitlement__scheme=scheme).delete()
            DisbursementBatch.objects.filter(scheme=scheme).delete()
            Entitlement.objects.filter(scheme=scheme).delete()

    def _load(self, scheme: Scheme, n: int, period: str) -> None:
        self._clear(scheme)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    """
                    INSERT INTO subsidies_entitlement
                        (elder_id, scheme_id, status, first_period, last_period, amount, payee_name, payee_account)
                    SELECT id, %s, 'active', %s, '', 100.00, name, ''
                    FROM elders_elder WHERE notes = %s AND status = 'registered' ORDER BY id LIMIT %s
                    """,
                    [scheme.pk, period, DEMO_TAG, n],
                )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE subsidies_entitlement")

    def _median(self, fn, repeat: int) -> tuple[float, int]:
        samples, result = [], 0
        for _ in range(repeat):
            try:
                with transaction.atomic():
                    started = time.perf_counter()
                    result = fn()
                    samples.append(time.perf_counter() - started)
                    raise _Rollback
            except _Rollback:
                pass
        return statistics.median(samples), result

    def _checks(self, period: str) -> list[tuple[DisbursementBatch, int, int, float]]:
        """Each batch's cross-checks timed separately, on a roll made (and rolled back) for them."""
        out = []
        try:
            with transaction.atomic():
                run_disbursement(period=period)
                for batch in DisbursementBatch.objects.filter(period=period).select_related("scheme"):
                    n = Payment.objects.filter(batch=batch).count()
                    started = time.perf_counter()
                    flags = len(cross_checks(batch))
                    out.append((batch, n, flags, time.perf_counter() - started))
                raise _Rollback
        except _Rollback:
            pass
        return out
