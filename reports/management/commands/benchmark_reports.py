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
from reports.benchmark import bench_scheme, ensure_city
from reports.models import VisitRoster
from reports.services import compute_month
from subsidies.models import Entitlement

# Minimal hand-written aggregates for the same figures, grouped by community, as one would
# write them without the application: the target group and visits, the registry and 9073,
# grades, facilities, payments, 应享未享 and caregivers.
RAW = {
    "visit rate": """
        SELECT e.residence_id, count(*), count(*) FILTER (WHERE EXISTS (
            SELECT 1 FROM services_visit v WHERE v.elder_id = e.id AND v.visited_at >= %(start)s
            AND v.visited_at < %(end)s AND v.method IN ('home', 'phone', 'video') AND v.outcome IN ('normal', 'problem')))
        FROM elders_elder e
        WHERE e.registered_on <= %(last)s AND (e.status = 'registered' OR e.status_date > %(last)s)
          AND (e.living_arrangement IN ('alone', 'empty_nest') OR e.is_left_behind OR e.disability_grade IN (1, 2)
               OR e.is_family_planning_special
               OR (SELECT a.grade FROM assessments_assessment a WHERE a.elder_id = e.id AND a.status = 'confirmed'
                   AND a.assessed_on <= %(last)s AND a.valid_until >= %(last)s
                   ORDER BY a.assessed_on DESC, a.id DESC LIMIT 1) >= 3)
        GROUP BY 1""",
    "visits by method/outcome": """
        SELECT e.residence_id, v.method, v.outcome, count(*) FROM services_visit v
        JOIN elders_elder e ON e.id = v.elder_id WHERE v.visited_at >= %(start)s AND v.visited_at < %(end)s
        GROUP BY 1, 2, 3""",
    "registry and 9073": """
        SELECT e.residence_id, count(*), count(*) FILTER (WHERE e.living_arrangement = 'institution'),
               count(*) FILTER (WHERE e.living_arrangement <> 'institution' AND EXISTS (
                   SELECT 1 FROM services_servicerecord s WHERE s.elder_id = e.id
                   AND s.started_at >= %(start)s AND s.started_at < %(end)s))
        FROM elders_elder e WHERE e.registered_on <= %(last)s AND (e.status = 'registered' OR e.status_date > %(last)s)
        GROUP BY 1""",
    "grades": """
        SELECT g.residence_id, g.grade, count(*) FROM (
            SELECT DISTINCT ON (a.elder_id) e.residence_id, a.grade FROM assessments_assessment a
            JOIN elders_elder e ON e.id = a.elder_id
            WHERE a.status = 'confirmed' AND a.assessed_on <= %(last)s AND a.valid_until >= %(last)s
              AND e.registered_on <= %(last)s AND (e.status = 'registered' OR e.status_date > %(last)s)
            ORDER BY a.elder_id, a.assessed_on DESC, a.id DESC) g
        GROUP BY 1, 2""",
    "facilities": """
        SELECT region_id, kind, ownership, star, count(*), sum(beds), sum(nursing_beds) FROM facilities_facility
        WHERE status = 'operating' AND (status_since IS NULL OR status_since <= %(last)s) GROUP BY 1, 2, 3, 4""",
    "payments": """
        SELECT e.residence_id, t.scheme_id, count(DISTINCT t.elder_id), sum(p.amount) FROM subsidies_payment p
        JOIN subsidies_entitlement t ON t.id = p.entitlement_id JOIN elders_elder e ON e.id = t.elder_id
        WHERE p.period = %(period)s AND p.status NOT IN ('returned', 'excluded') GROUP BY 1, 2""",
    "unclaimed": """
        SELECT e.residence_id, count(*) FROM elders_elder e WHERE e.status = 'registered'
          AND e.residence_id LIKE '3303%%' AND NOT EXISTS (SELECT 1 FROM subsidies_entitlement t
              WHERE t.elder_id = e.id AND t.scheme_id = %(scheme)s AND t.status <> 'stopped')
        GROUP BY 1""",
    "caregivers": """
        SELECT p.region_id, count(*), count(*) FILTER (WHERE c.certificate_expires >= %(last)s)
        FROM services_caregiver c JOIN services_provider p ON p.id = c.provider_id
        WHERE c.active AND p.filing_status = 'filed' GROUP BY 1""",
}


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
        scheme = bench_scheme(first)
        params = {"start": start, "end": end, "last": last, "period": period, "scheme": scheme.pk}

        def raw():
            with connection.cursor() as cursor:
                for sql in RAW.values():
                    cursor.execute(sql, params)
                    cursor.fetchall()

        raw_ms = median_ms(raw, repeat)
        VisitRoster.objects.filter(period=period).delete()
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
