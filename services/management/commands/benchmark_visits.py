"""The visit due list at city scale, for a community and for the whole city, against raw SQL."""

import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from core.periods import period_bounds
from eldercare.benchmarking import median_ms
from elders.demo import DEMO_TAG
from elders.models import Elder
from services.demo import seed_visits
from services.models import Visit
from services.selectors import due_list

# The same due list, hand-written: target group (categories or ability grade 3+), registered,
# in the region, with no counted visit in the month; longest unvisited first.
RAW = """
SELECT e.id, e.name, (SELECT max(v2.visited_at) FROM services_visit v2
                      WHERE v2.elder_id = e.id AND v2.visited_at < %(end)s) AS last_visit
FROM elders_elder e
WHERE e.status = 'registered' AND e.registered_on <= %(on)s AND e.residence_id LIKE %(prefix)s
  AND (e.living_arrangement IN ('alone', 'empty_nest') OR e.is_left_behind OR e.disability_grade IN (1, 2)
       OR e.is_family_planning_special
       OR (SELECT a.grade FROM assessments_assessment a
           WHERE a.elder_id = e.id AND a.status = 'confirmed' AND a.assessed_on <= %(on)s AND a.valid_until >= %(on)s
           ORDER BY a.assessed_on DESC, a.id DESC LIMIT 1) >= 3)
  AND NOT EXISTS (SELECT 1 FROM services_visit v WHERE v.elder_id = e.id AND v.visited_at >= %(start)s
                  AND v.visited_at < %(end)s AND v.method IN ('home', 'phone', 'video')
                  AND v.outcome IN ('normal', 'problem'))
ORDER BY last_visit ASC NULLS FIRST, e.id
"""


class Command(BaseCommand):
    help = "Time the visit due list (community and whole city) against raw SQL on the benchmark city."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=7)
        parser.add_argument("--period", default=None, help="YYYY-MM (default: this month)")

    def handle(self, *args, repeat, period, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Benchmarks are meant for PostgreSQL: set DATABASE_URL.")
        if not Visit.objects.exists():
            t = time.perf_counter()
            made = seed_visits(seed=20231001, elder_filter={"notes": DEMO_TAG})
            self.stdout.write(f"seeded {made:,} visits over 12 months in {time.perf_counter() - t:.1f} s")
        period = period or timezone.localdate().strftime("%Y-%m")
        first, last, start, end = period_bounds(period)
        on = min(last, timezone.localdate())
        User = get_user_model()
        community, city = User.objects.get(username="worker"), User.objects.get(username="city")

        def raw(prefix, limit):
            def run():
                with connection.cursor() as cursor:
                    sql = f"SELECT count(*) FROM ({RAW}) q" if limit is None else RAW + f" LIMIT {limit}"
                    cursor.execute(sql, {"on": on, "start": start, "end": end, "prefix": prefix + "%"})
                    return cursor.fetchall()

            return run

        rows = []
        for label, user in (("community", community), ("whole city", city)):
            prefix = user.staff_profile.region.prefix
            qs = due_list(user, period)
            rows += [
                (f"{label}: raw SQL count", median_ms(raw(prefix, None), repeat)),
                (f"{label}: due list count", median_ms(lambda qs=qs: qs.count(), repeat)),
                (f"{label}: raw SQL first page", median_ms(raw(prefix, 31), repeat)),
                (f"{label}: due list first page", median_ms(lambda qs=qs: list(qs[:31]), repeat)),
            ]
            self.stdout.write(f"{label} ({prefix}): {qs.count():,} elders due in {period}")
        self.stdout.write(
            f"elders {Elder.objects.count():,}; visits {Visit.objects.count():,}; median of {repeat} runs"
        )
        for i in range(0, len(rows), 2):
            (raw_label, raw_ms), (orm_label, orm_ms) = rows[i], rows[i + 1]
            self.stdout.write(f"{raw_label:<36}{raw_ms:>9.1f} ms")
            self.stdout.write(f"{orm_label:<36}{orm_ms:>9.1f} ms  ×{orm_ms / raw_ms:.2f} raw")
