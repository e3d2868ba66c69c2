"""The re-assessment due list at city scale, against the same query in raw SQL (same run)."""

import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from assessments.demo import seed_assessments
from assessments.models import Assessment
from assessments.selectors import due_assessments
from eldercare.benchmarking import median_ms
from elders.demo import DEMO_TAG
from elders.models import Elder

RAW = """
SELECT a.id, a.elder_id, a.valid_until
FROM assessments_assessment a JOIN elders_elder e ON e.id = a.elder_id
WHERE a.status = 'confirmed' AND a.valid_until <= %(limit)s AND e.status = 'registered'
  AND NOT EXISTS (SELECT 1 FROM assessments_assessment b
                  WHERE b.elder_id = a.elder_id AND b.status = 'confirmed' AND b.assessed_on > a.assessed_on)
  AND NOT EXISTS (SELECT 1 FROM assessments_recognisedresult r
                  WHERE r.elder_id = a.elder_id AND r.assessed_on > a.assessed_on AND r.valid_until > %(limit)s)
ORDER BY a.valid_until, a.id
"""


class Command(BaseCommand):
    help = (
        "On a seeded demo city (benchmark_registry first), assess its elders in bulk if not yet "
        "done, then time the whole-city due list (count and first page) against raw SQL."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=7)

    def handle(self, *args, repeat, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Benchmarks are meant for PostgreSQL: set DATABASE_URL.")
        elders = Elder.objects.count()
        if not Assessment.objects.exists():
            t = time.perf_counter()
            made = seed_assessments(seed=20231001, elder_filter={"notes": DEMO_TAG})
            self.stdout.write(f"seeded {made:,} confirmed assessments in {time.perf_counter() - t:.1f} s")
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE assessments_assessment")
        today = timezone.localdate()
        limit = today + timedelta(days=30)
        due = due_assessments(today)

        def raw_count():
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT count(*) FROM ({RAW}) q", {"limit": limit})
                return cursor.fetchone()[0]

        def raw_page():
            with connection.cursor() as cursor:
                cursor.execute(RAW + " LIMIT 51", {"limit": limit})
                return cursor.fetchall()

        rows = [
            ("raw SQL: due list count", median_ms(raw_count, repeat)),
            ("selector: due list count", median_ms(lambda: due.count(), repeat)),
            ("raw SQL: first page (51 rows)", median_ms(raw_page, repeat)),
            ("selector: first page (51 rows)", median_ms(lambda: list(due[:51]), repeat)),
        ]
        self.stdout.write(
            f"elders {elders:,}; assessments {Assessment.objects.count():,}; due within 30 days or expired: "
            f"{raw_count():,} (selector {due.count():,}); median of {repeat} runs"
        )
        base = {"count": rows[0][1], "first": rows[2][1]}
        for label, ms in rows:
            ref = base["count"] if "count" in label else base["first"]
            self.stdout.write(f"{label:<34}{ms:>9.1f} ms  ×{ms / ref:.2f} raw")
