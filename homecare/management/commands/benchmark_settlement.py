"""A month's home-service settlement at scale: settle_month against the same work hand-written in
raw SQL (cross-check flags, allowance months, statements, capped lines, totals), on the same
data and in the same run. Every timed run is rolled back."""

import statistics
import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from core.periods import parse_period, period_bounds, previous_period
from elders.demo import DEMO_TAG, seed
from elders.models import Elder
from homecare.models import ContractPrice
from homecare.settlement import settle_month
from policies.models import PolicyPack, PolicySection
from policies.selectors import invalidate
from services.models import Caregiver, CatalogueItem, Provider
from subsidies.models import Scheme

BENCH_SCHEME = "BENCH-HOME-SERVICE"
BENCH_PACK = "benchmark-homecare"
CITY = "330300000000"
PER_ELDER = 4  # services per elder in the month
PER_CAREGIVER = 200  # one every 3.6 hours: no caregiver is in two homes at once

RAW_LONGEST = """
SELECT COALESCE(max(checked_out_at - checked_in_at), interval '0') FROM homecare_order
WHERE caregiver_id IN (SELECT o.caregiver_id FROM homecare_order o WHERE {month})
"""
RAW_FLAGS = """
INSERT INTO homecare_flag (order_id, kind, detail, decision, decision_note, created_at)
SELECT id, kind, '', 'pending', '', now() FROM (
    SELECT o.id, 'overlap' AS kind FROM homecare_order o WHERE {month} AND EXISTS (
        SELECT 1 FROM homecare_order x WHERE x.caregiver_id = o.caregiver_id AND x.id <> o.id
          AND x.elder_id <> o.elder_id AND x.checked_in_at < o.checked_out_at AND x.checked_out_at > o.checked_in_at
          -- the same bound as settle_month: no service is longer than the longest one (RAW_LONGEST)
          AND x.checked_in_at >= o.checked_in_at - %(longest)s
        -- OFFSET 0 keeps the probe a subplan on the (caregiver, check-in) index: as a hash semi
        -- join PostgreSQL compares every pair of a caregiver's services.
        OFFSET 0)
    UNION ALL
    SELECT o.id, 'after_death' FROM homecare_order o JOIN elders_elder e ON e.id = o.elder_id
    WHERE {month} AND e.death_date < (o.checked_in_at AT TIME ZONE %(tz)s)::date
    UNION ALL
    SELECT o.id, 'in_institution' FROM homecare_order o WHERE {month} AND EXISTS (
        SELECT 1 FROM facilities_residency r WHERE r.elder_id = o.elder_id
          AND r.admitted_on <= (o.checked_in_at AT TIME ZONE %(tz)s)::date
          AND (r.discharged_on IS NULL OR r.discharged_on > (o.checked_in_at AT TIME ZONE %(tz)s)::date))
    UNION ALL
    SELECT o.id, 'far' FROM homecare_order o WHERE {month} AND o.checkin_distance_m > o.distance_limit_m
    UNION ALL
    SELECT o.id, 'duration' FROM homecare_order o JOIN homecare_contractprice p ON p.id = o.price_id
    WHERE {month} AND (o.minutes < p.min_minutes OR o.minutes > p.max_minutes)
) f
ON CONFLICT DO NOTHING
"""
MONTH = """o.status = 'confirmed' AND o.entitlement_id IS NOT NULL AND o.checked_in_at < %(end)s AND NOT EXISTS (SELECT 1 FROM homecare_statementline l WHERE l.order_id = o.id)"""
RAW_MONTHS = """
INSERT INTO homecare_allowancemonth (entitlement_id, elder_id, period, unit, granted, carried_in, used, unused_rule)
SELECT e.id, e.elder_id, %(period)s, 'yuan', e.amount, 0, 0, 'lapse'
FROM subsidies_entitlement e JOIN subsidies_scheme s ON s.id = e.scheme_id
WHERE s.code = %(scheme)s AND e.status = 'active' AND e.first_period <= %(period)s
  AND (e.last_period = '' OR e.last_period >= %(period)s)
ON CONFLICT DO NOTHING
"""
RAW_STATEMENTS = """
INSERT INTO homecare_statement (provider_id, period, region_id, status, claimed, payable, created_at)
SELECT DISTINCT o.provider_id, %(period)s, rpad(left(p.region_id, 6), 12, '0'), 'draft', 0, 0, now()
FROM homecare_order o JOIN services_provider p ON p.id = o.provider_id WHERE {month}
ON CONFLICT DO NOTHING
"""
RAW_LINES = """
INSERT INTO homecare_statementline (statement_id, order_id, elder_id, entitlement_id, claimed, paid, used, status, late, dispute_reason)
WITH c AS MATERIALIZED (
    SELECT o.id, o.elder_id, o.entitlement_id, o.amount, o.checked_in_at, s.id AS statement_id,
           o.checked_in_at < %(start)s AS late, COALESCE(a.granted + a.carried_in - a.used, 0) AS avail,
           EXISTS (SELECT 1 FROM homecare_flag f WHERE f.order_id = o.id AND f.decision <> 'accepted') AS held
    FROM homecare_order o
    JOIN homecare_statement s ON s.provider_id = o.provider_id AND s.period = %(period)s AND s.status = 'draft'
    LEFT JOIN homecare_allowancemonth a ON a.entitlement_id = o.entitlement_id AND a.period = %(period)s
    WHERE {month}
)
SELECT statement_id, id, elder_id, entitlement_id, amount,
       CASE WHEN held THEN 0 ELSE GREATEST(0, LEAST(amount, room)) END,
       CASE WHEN held THEN 0 ELSE GREATEST(0, LEAST(amount, room)) END,
       CASE WHEN held THEN 'held' WHEN room >= amount THEN 'payable' ELSE 'beyond' END, late, ''
FROM (
    SELECT c.*, c.avail - SUM(CASE WHEN held THEN 0 ELSE amount END)
        OVER (PARTITION BY entitlement_id ORDER BY late, checked_in_at, id) + CASE WHEN held THEN 0 ELSE amount END AS room
    FROM c
) w
ON CONFLICT DO NOTHING
"""
RAW_TOTALS = """
UPDATE homecare_allowancemonth m SET used = t.used FROM (
    SELECT l.entitlement_id, SUM(l.used) AS used FROM homecare_statementline l
    JOIN homecare_statement s ON s.id = l.statement_id WHERE s.period = %(period)s GROUP BY l.entitlement_id) t
WHERE m.entitlement_id = t.entitlement_id AND m.period = %(period)s;
UPDATE homecare_statement s SET claimed = t.claimed, payable = t.paid FROM (
    SELECT statement_id, SUM(claimed) AS claimed, SUM(paid) AS paid FROM homecare_statementline GROUP BY statement_id) t
WHERE s.id = t.statement_id AND s.period = %(period)s AND s.status = 'draft';
"""


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Bulk-load N confirmed home services (default 100,000) drawn on a 200-yuan allowance on the demo "
        "city, then time settle_month for their month against the same work in raw SQL, each in a "
        "rolled-back transaction. Needs PostgreSQL."
    )

    def add_arguments(self, parser):
        parser.add_argument("--services", type=int, default=100_000)
        parser.add_argument("--period", default=None, help="YYYY-MM (default: last month)")
        parser.add_argument("--repeat", type=int, default=3)

    def handle(self, *args, services, period, repeat, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Benchmarks are meant for PostgreSQL: set DATABASE_URL.")
        period = period or previous_period()
        parse_period(period)
        elders = services // PER_ELDER
        if (
            Elder.objects.filter(notes=DEMO_TAG, status="registered", death_date__isnull=True).count()
            < elders
        ):
            started = time.perf_counter()
            self._clear()
            made = seed(elders=int(elders * 1.1) + 1_000, reset=True).elders
            self.stdout.write(f"seeded {made:,} demo elders in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        self._load(services, period)
        self.stdout.write(f"loaded {services:,} confirmed services in {time.perf_counter() - started:.1f} s")
        _first, _last, start, end = period_bounds(period)
        params = {"period": period, "start": start, "end": end, "scheme": BENCH_SCHEME, "tz": "Asia/Shanghai"}
        try:

            def raw() -> int:
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL jit = off")  # as settle_month does
                    cursor.execute(RAW_LONGEST.format(month=MONTH), params)
                    cursor.execute(RAW_FLAGS.format(month=MONTH), {**params, "longest": cursor.fetchone()[0]})
                    cursor.execute(RAW_MONTHS, params)
                    cursor.execute(RAW_STATEMENTS.format(month=MONTH), params)
                    # As settle_month does: statistics for the rows just written, or the plan is nested loops.
                    cursor.execute("ANALYZE homecare_flag, homecare_allowancemonth, homecare_statement")
                    cursor.execute(RAW_LINES.format(month=MONTH), params)
                    lines = cursor.rowcount
                    cursor.execute(RAW_TOTALS, params)
                    return lines

            def orm() -> int:
                return settle_month(period=period).lines

            # Alternated, so that a load from elsewhere on the machine falls on both sides alike.
            raw_runs, orm_runs = [], []
            for _ in range(repeat):
                raw_runs.append(self._timed(raw))
                orm_runs.append(self._timed(orm))
            raw_s, raw_lines = statistics.median(s for s, _n in raw_runs), raw_runs[-1][1]
            orm_s, orm_lines = statistics.median(s for s, _n in orm_runs), orm_runs[-1][1]
            if raw_lines != orm_lines:
                raise CommandError(
                    f"Not the same settlement: raw SQL {raw_lines:,} lines, settle_month {orm_lines:,}."
                )
            self.stdout.write(f"settle_month:          {orm_s:8.2f} s  ({orm_lines:,} lines)")
            self.stdout.write(f"raw SQL, same work:    {raw_s:8.2f} s  ({raw_lines:,} lines)")
            self.stdout.write(f"ratio settle_month / raw SQL: {orm_s / raw_s:5.2f}")
        finally:
            self._clear()

    def _timed(self, fn) -> tuple[float, int]:
        """One run in a transaction rolled back: (seconds, lines)."""
        try:
            with transaction.atomic():
                started = time.perf_counter()
                result = fn()
                elapsed = time.perf_counter() - started
                raise _Rollback
        except _Rollback:
            pass
        # A rolled-back run leaves 100,000 dead lines behind: the next run of either side would
        # scan them (and inherit their row counts) unless they are vacuumed away first.
        with connection.cursor() as cursor:
            cursor.execute(
                "VACUUM ANALYZE homecare_statementline, homecare_flag, homecare_allowancemonth, homecare_statement"
            )
        return elapsed, result

    def _clear(self) -> None:
        """The benchmark's rows, deleted in SQL (the ORM would load 100,000 orders to cascade)."""
        bench = "(SELECT e.id FROM subsidies_entitlement e JOIN subsidies_scheme s ON s.id = e.scheme_id WHERE s.code = %(scheme)s)"
        providers = "(SELECT id FROM services_provider WHERE name LIKE '基准%%')"
        with transaction.atomic(), connection.cursor() as cursor:
            for sql in (
                f"DELETE FROM homecare_statementline WHERE entitlement_id IN {bench}",
                f"DELETE FROM homecare_flag WHERE order_id IN (SELECT id FROM homecare_order WHERE entitlement_id IN {bench})",
                f"DELETE FROM homecare_order WHERE entitlement_id IN {bench}",
                f"DELETE FROM homecare_allowancemonth WHERE entitlement_id IN {bench}",
                f"DELETE FROM homecare_statement WHERE provider_id IN {providers}",
                f"DELETE FROM subsidies_entitlement WHERE id IN {bench}",
                f"DELETE FROM homecare_contractprice WHERE provider_id IN {providers}",
                f"DELETE FROM services_caregiver WHERE provider_id IN {providers}",
                f"DELETE FROM services_provider WHERE id IN {providers}",
            ):
                cursor.execute(sql, {"scheme": BENCH_SCHEME})
            PolicyPack.objects.filter(name=BENCH_PACK).delete()
        invalidate()

    def _load(self, n: int, period: str) -> None:
        self._clear()
        scheme, _created = Scheme.objects.update_or_create(
            code=BENCH_SCHEME,
            defaults={
                "name": "benchmark home-service allowance",
                "legal_basis": "benchmark_settlement",
                "effective_from": date(2020, 1, 1),
                "beneficiary": "elder",
                "frequency": "monthly",
                "payment_form": "service_credit",
                "eligibility": {"fact": "age", "op": "gte", "value": 60},
                "amount_rule": {"kind": "fixed", "amount": "200.00"},
                "application_needed": False,
                "active": False,
                "inactive_reason": "benchmark data, never shown to users",
            },
        )
        item = CatalogueItem.objects.order_by("catalogue_id", "code").first()
        if item is None:
            raise CommandError("No catalogue item: load a policy pack (the demo does).")
        pack = PolicyPack.objects.create(name=BENCH_PACK, title="benchmark", documents=[])
        reading = {"basis": "reading", "note": "benchmark"}
        PolicySection.objects.filter(region_id=CITY, section="homecare").delete()
        PolicySection.objects.create(
            pack=pack,
            region_id=CITY,
            section="homecare",
            data={
                "allowances": {
                    "value": [
                        {
                            "scheme": BENCH_SCHEME,
                            "unit": "yuan",
                            "items": [item.code],
                            "unused": "lapse",
                            "source": reading,
                        }
                    ]
                },
            },
        )
        invalidate()
        providers = []
        for i in range(10):
            providers.append(
                Provider.objects.create(
                    name=f"基准居家服务{i}",
                    credit_code=f"BENCH{i:013d}",
                    kind="home_care",
                    region_id="330302000000",
                    filing_status="filed",
                )
            )
        per_provider = n // PER_CAREGIVER // len(providers) + 1
        Caregiver.objects.bulk_create(
            [
                Caregiver(provider=p, id_number=f"BENCH{p.pk:06d}{k:05d}"[:18], name=f"基准护理员{k}")
                for p in providers
                for k in range(per_provider)
            ]
        )
        for p in providers:
            ContractPrice.objects.create(
                region_id=CITY,
                provider=p,
                item=item,
                kind="home_care",
                unit="hour",
                price="50.00",
                min_minutes=30,
                max_minutes=180,
                effective_from=date(2020, 1, 1),
            )
        first, _last, start, _end = period_bounds(period)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO subsidies_entitlement
                    (elder_id, scheme_id, status, first_period, last_period, amount, payee_name, payee_account, stop_reason)
                SELECT id, %s, 'active', %s, '', 200.00, '', '', ''
                FROM elders_elder WHERE notes = %s AND status = 'registered' AND death_date IS NULL ORDER BY id LIMIT %s
                """,
                [scheme.pk, period, DEMO_TAG, n // PER_ELDER],
            )
            # Service g goes to caregiver g mod C and starts at the month's start + (g div C) × 3.6 h:
            # no caregiver is in two homes at once. 60 or 90 minutes; one in seven lasts 200 minutes,
            # outside the item's range: flagged and held.
            cursor.execute(
                """
                WITH e AS (SELECT id, elder_id, row_number() OVER (ORDER BY id) - 1 AS n
                           FROM subsidies_entitlement WHERE scheme_id = %(scheme)s),
                s AS (SELECT e.id AS ent, e.elder_id, e.n * %(per)s + k AS g FROM e, generate_series(0, %(per)s - 1) k),
                cg AS (SELECT id, provider_id, row_number() OVER (ORDER BY id) - 1 AS i
                       FROM services_caregiver WHERE provider_id = ANY(%(providers)s)),
                t AS (SELECT s.*, %(start)s::timestamptz + make_interval(mins => ((s.g / %(caregivers)s) * 216)::int) AS at,
                             CASE WHEN s.g %% 7 = 0 THEN 200 WHEN s.g %% 2 = 0 THEN 90 ELSE 60 END AS m
                      FROM s WHERE s.g < %(n)s)
                INSERT INTO homecare_order (elder_id, item_id, provider_id, entitlement_id, price_id, wanted_at, address,
                    channel, notes, status, caregiver_id, dispatched_at, checked_in_at, checked_out_at, minutes,
                    work_done, amount, confirmed_at, confirmed_by, cancel_reason, created_by_id, created_at)
                SELECT t.elder_id, %(item)s, cg.provider_id, t.ent, p.id, t.at, '基准地址', 'worker', '', 'confirmed',
                       cg.id, t.at, t.at, t.at + make_interval(mins => t.m), t.m, '基准服务',
                       round(50.0 * ceil(t.m / 15.0) / 4, 2), t.at, 'elder', '', %(user)s, now()
                FROM t JOIN cg ON cg.i = t.g %% %(caregivers)s
                JOIN homecare_contractprice p ON p.provider_id = cg.provider_id
                """,
                {
                    "scheme": scheme.pk,
                    "per": PER_ELDER,
                    "item": item.pk,
                    "providers": [p.pk for p in providers],
                    "caregivers": per_provider * len(providers),
                    "user": self._user(),
                    "start": start,
                    "n": n,
                },
            )
            self.stdout.write(
                f"{cursor.rowcount:,} orders over {per_provider * len(providers):,} caregivers, {first:%Y-%m}"
            )
            cursor.execute("ANALYZE homecare_order; ANALYZE subsidies_entitlement")

    def _user(self) -> int:
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(is_superuser=True).first() or get_user_model().objects.first()
        return user.pk
