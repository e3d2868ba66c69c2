"""The monthly job on a large synthetic city, against the minimal raw-SQL aggregates for the
same figures on the same data, and the dashboard against a trivial page."""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.utils import timezone

from core.periods import period_bounds, previous_period
from eldercare.benchmarking import median_ms
from elders.models import Elder
from facilities.models import Facility
from reports.benchmark import bench_scheme, empty_month_roster, ensure_city
from reports.models import VisitRoster
from reports.services import compute_month
from subsidies.models import Entitlement

# Minimal hand-written aggregates for the same figures the job stores, grouped by community, as
# one would write them without the application: the target group and visits, the registry and
# 9073, grades, the coverage of residents and of subsidy recipients, facilities, payments (per
# scheme and per village, in one pass), 应享未享 for each elder scheme in force (its conditions
# written out by hand: the benchmark city's schemes) and caregivers. They leave out what the
# benchmark city has none of (recognised results from other departments). `cross_check` compares
# them with the job's stored figures, so the baseline is known to compute the same thing.
_GRADE = """(SELECT a.grade FROM assessments_assessment a WHERE a.elder_id = e.id AND a.status = 'confirmed'
                   AND a.assessed_on <= %(last)s AND a.valid_until >= %(last)s
                   ORDER BY a.assessed_on DESC, a.id DESC LIMIT 1)"""
_GRADED = """EXISTS (SELECT 1 FROM assessments_assessment a WHERE a.elder_id = e.id AND a.status = 'confirmed'
                   AND a.assessed_on <= %(last)s AND a.valid_until >= %(last)s)"""
_REGISTERED = "e.registered_on <= %(last)s AND (e.status = 'registered' OR e.status_date > %(last)s)"
_UNCLAIMED = """
        SELECT e.residence_id, count(*) FROM elders_elder e WHERE e.status = 'registered' AND ({where})
          AND NOT EXISTS (SELECT 1 FROM subsidies_entitlement t WHERE t.elder_id = e.id
              AND t.scheme_id = (SELECT id FROM subsidies_scheme WHERE code = '{scheme}') AND t.status <> 'stopped')
        GROUP BY 1"""
RAW = {
    # The registry is read through an OFFSET 0 fence where PostgreSQL would otherwise walk the
    # residence index to feed the grouping in order: at 2,000,000 elders that plan took the
    # visit rate 17.4 s instead of 5.7 s, and the baseline must be the fastest plain SQL.
    "visit rate": f"""
        SELECT e.residence_id, count(*), count(*) FILTER (WHERE EXISTS (
            SELECT 1 FROM services_visit v WHERE v.elder_id = e.id AND v.visited_at >= %(start)s
            AND v.visited_at < %(end)s AND v.method IN ('home', 'phone', 'video') AND v.outcome IN ('normal', 'problem'))),
            count(*) FILTER (WHERE e.living_arrangement = 'alone'), count(*) FILTER (WHERE e.living_arrangement = 'empty_nest'),
            count(*) FILTER (WHERE e.is_left_behind), count(*) FILTER (WHERE e.disability_grade IN (1, 2)),
            count(*) FILTER (WHERE e.is_family_planning_special)
        FROM (SELECT * FROM elders_elder e
              WHERE {_REGISTERED} AND e.residence_id LIKE '3303%%'
                AND (e.living_arrangement IN ('alone', 'empty_nest') OR e.is_left_behind OR e.disability_grade IN (1, 2)
                     OR e.is_family_planning_special OR {_GRADE} >= 3)
              OFFSET 0) e
        GROUP BY 1""",
    "visits by method/outcome": """
        SELECT e.residence_id, v.method, v.outcome, count(*) FROM services_visit v
        JOIN elders_elder e ON e.id = v.elder_id WHERE v.visited_at >= %(start)s AND v.visited_at < %(end)s
        GROUP BY 1, 2, 3""",
    "registry and 9073": f"""
        SELECT e.residence_id, count(*), count(*) FILTER (WHERE e.living_arrangement = 'institution'),
               count(*) FILTER (WHERE e.living_arrangement <> 'institution' AND EXISTS (
                   SELECT 1 FROM services_servicerecord s WHERE s.elder_id = e.id
                   AND s.started_at >= %(start)s AND s.started_at < %(end)s))
        FROM elders_elder e WHERE {_REGISTERED}
        GROUP BY 1""",
    "grades": f"""
        SELECT g.residence_id, g.grade, count(*) FROM (
            SELECT DISTINCT ON (a.elder_id) e.residence_id, a.grade FROM assessments_assessment a
            JOIN elders_elder e ON e.id = a.elder_id
            WHERE a.status = 'confirmed' AND a.assessed_on <= %(last)s AND a.valid_until >= %(last)s
              AND {_REGISTERED}
            ORDER BY a.elder_id, a.assessed_on DESC, a.id DESC) g
        GROUP BY 1, 2""",
    "residents assessed": f"""
        SELECT e.residence_id, count(*) FILTER (WHERE {_GRADED}), count(*) FROM elders_elder e
        WHERE {_REGISTERED} AND EXISTS (SELECT 1 FROM facilities_residency r WHERE r.elder_id = e.id
              AND r.admitted_on <= %(last)s AND (r.discharged_on IS NULL OR r.discharged_on > %(last)s))
        GROUP BY 1""",
    "recipients assessed": f"""
        SELECT e.residence_id, count(*) FILTER (WHERE {_GRADED}), count(*)
        FROM (SELECT * FROM elders_elder e
              WHERE {_REGISTERED} AND EXISTS (SELECT 1 FROM subsidies_entitlement t WHERE t.elder_id = e.id
                    AND t.first_period <= %(period)s AND t.status <> 'suspended'
                    AND NOT (t.status = 'stopped' AND t.last_period < %(period)s))
              OFFSET 0) e
        GROUP BY 1""",
    "facilities": """
        SELECT region_id, kind, ownership, star, count(*), sum(beds), sum(nursing_beds) FROM facilities_facility
        WHERE status = 'operating' AND (status_since IS NULL OR status_since <= %(last)s) GROUP BY 1, 2, 3, 4""",
    "payments": """
        SELECT e.residence_id, s.code, count(DISTINCT t.elder_id), sum(p.amount) FROM subsidies_payment p
        JOIN subsidies_entitlement t ON t.id = p.entitlement_id JOIN elders_elder e ON e.id = t.elder_id
        JOIN subsidies_scheme s ON s.id = t.scheme_id
        WHERE p.period = %(period)s AND p.status NOT IN ('returned', 'excluded')
        GROUP BY GROUPING SETS ((e.residence_id), (e.residence_id, s.code))""",
    "unclaimed, WZ-FREE-HOME-CARE": _UNCLAIMED.format(
        scheme="WZ-FREE-HOME-CARE",
        where=f"""e.residence_id LIKE '3303%%' AND e.hukou_region_id LIKE '3303%%' AND (
            e.economic_status IN ('extreme_poverty', 'dibao', 'near_dibao', 'expenditure_hardship')
            OR e.birth_date <= %(born_80)s OR e.living_arrangement IN ('alone', 'empty_nest') OR e.is_left_behind
            OR e.is_family_planning_special OR e.disability_grade IN (1, 2) OR {_GRADE} IN (3, 4))""",
    ),
    "unclaimed, NAT-HIGH-AGE": _UNCLAIMED.format(scheme="NAT-HIGH-AGE", where="e.birth_date <= %(born_80)s"),
    "unclaimed, BENCH-ALLOWANCE": _UNCLAIMED.format(
        scheme="BENCH-ALLOWANCE", where="e.residence_id LIKE '3303%%' AND e.birth_date <= %(born_60)s"
    ),
    "caregivers": """
        SELECT p.region_id, count(*), count(*) FILTER (WHERE c.certificate_expires >= %(last)s)
        FROM services_caregiver c JOIN services_provider p ON p.id = c.provider_id
        WHERE c.active AND p.filing_status = 'filed' GROUP BY 1""",
}


def raw_params(period: str) -> dict:
    first, last, start, end = period_bounds(period)
    return {
        "start": start,
        "end": end,
        "last": last,
        "period": period,
        "born_80": last.replace(year=last.year - 80),
        "born_60": last.replace(year=last.year - 60),
    }


def raw_aggregates(period: str) -> dict[str, list[tuple]]:
    params = raw_params(period)
    out = {}
    with connection.cursor() as cursor:
        for name, sql in RAW.items():
            cursor.execute(sql, params)
            out[name] = cursor.fetchall()
    return out


def cross_check(period: str) -> list[str]:
    """Where the raw aggregates and the job's stored figures differ (nothing: the same figures)."""
    from reports.models import MonthlyStat

    raw = raw_aggregates(period)
    stored = {
        (m, r): (n, d)
        for m, r, n, d in MonthlyStat.objects.filter(
            period=period, is_current=True, region__level="village"
        ).values_list("metric", "region_id", "numerator", "denominator")
    }
    expected: dict[tuple[str, str], tuple] = {}
    for code, n, v, alone, nest, left, severe, special in raw["visit rate"]:
        expected[("visit_rate", code)] = (v, n)
        for metric, value in (
            ("target_alone", alone),
            ("target_empty_nest", nest),
            ("target_left_behind", left),
            ("target_severe_disability", severe),
            ("target_family_planning_special", special),
        ):
            expected[(metric, code)] = (value, None)
    for name, metric in (
        ("residents assessed", "residents_assessed"),
        ("recipients assessed", "recipients_assessed"),
    ):
        for code, graded, n in raw[name]:
            expected[(metric, code)] = (graded, n)
    for code, scheme, people, total in raw["payments"]:
        suffix = f".{scheme}" if scheme else ""
        expected[(f"subsidy_recipients{suffix}", code)] = (people, None)
        expected[(f"subsidy_amount{suffix}", code)] = (int(total * 100), None)
    for name in RAW:
        if name.startswith("unclaimed, "):
            scheme = name.removeprefix("unclaimed, ")
            for code, n in raw[name]:
                expected[(f"subsidy_unclaimed.{scheme}", code)] = (n, None)
    return [
        f"{metric} {code}: raw {want}, job {stored.get((metric, code))}"
        for (metric, code), want in sorted(expected.items())
        if stored.get((metric, code)) != want
    ]


class Command(BaseCommand):
    help = (
        "Build (or reuse) a synthetic city of N elders with 12 months of visits, 10,000 facilities and "
        "300,000 entitlements (bulk loaded), run the monthly job for last month, and print its time next "
        "to the minimal raw-SQL aggregates for the same figures, plus the dashboard against a trivial page."
    )

    def add_arguments(self, parser):
        parser.add_argument("--elders", type=int, default=2_000_000)
        parser.add_argument("--facilities", type=int, default=10_000)
        parser.add_argument("--residents", type=int, default=300_000)
        parser.add_argument("--entitlements", type=int, default=300_000)
        parser.add_argument("--repeat", type=int, default=3)

    def handle(self, *args, elders, facilities, residents, entitlements, repeat, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Benchmarks are meant for PostgreSQL: set DATABASE_URL.")
        today = timezone.localdate()
        period = previous_period(today)
        first, last, start, end = period_bounds(period)
        ensure_city(
            elders=elders,
            facilities=facilities,
            residents=residents,
            entitlements=entitlements,
            out=self.stdout,
        )
        bench_scheme(first)  # the city's own allowance, paid in the month
        raw_ms = median_ms(lambda: raw_aggregates(period), repeat)
        empty_month_roster(period)
        t = time.perf_counter()
        compute_month(period, triggered_by="benchmark", rebuild_roster=True)
        first_ms = (time.perf_counter() - t) * 1000
        rerun_ms = median_ms(lambda: compute_month(period, triggered_by="benchmark"), repeat)

        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        leader, anon = Client(), Client()
        leader.force_login(get_user_model().objects.get(username="leader"))
        dashboard_ms = median_ms(lambda: leader.get(f"/dashboard/?region=330300000000&period={period}"), 15)
        trivial_ms = median_ms(lambda: anon.get("/accounts/login/"), 15)
        roster = VisitRoster.objects.filter(period=period).count()
        self.stdout.write(
            f"elders {Elder.objects.count():,}; visit target group {roster:,}; facilities {Facility.objects.count():,}; "
            f"entitlements {Entitlement.objects.count():,}; month {period}; median of {repeat} runs"
        )
        self.stdout.write(f"  raw SQL, the same figures by community       {raw_ms:10.0f} ms")
        for line in cross_check(period)[:10]:
            self.stdout.write(f"  the raw SQL differs from the job: {line}")
        self.stdout.write(
            f"  compute_month, first run (freezes the list)    {first_ms:10.0f} ms  ×{first_ms / raw_ms:.2f} raw"
        )
        self.stdout.write(
            f"  compute_month, re-run                          {rerun_ms:10.0f} ms  ×{rerun_ms / raw_ms:.2f} raw"
        )
        self.stdout.write(
            f"  dashboard (city, leader)                       {dashboard_ms:10.1f} ms  "
            f"×{dashboard_ms / trivial_ms:.2f} trivial page ({trivial_ms:.1f} ms)"
        )
