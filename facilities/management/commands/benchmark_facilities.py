"""The city standards report at 10,000 facilities and 300,000 residents, against raw SQL."""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.utils import timezone

from eldercare.benchmarking import median_ms
from elders.models import Elder
from facilities.benchmark import TAG, load
from facilities.models import Facility, Residency
from facilities.selectors import standards_report
from policies.services import load_policy_pack

# The same two aggregates the report needs, by hand: the facilities' figures, and current
# residents per facility and current ability grade (newest valid own or recognised result).
RAW_FACILITIES = """
SELECT id, name, kind, ownership, status, region_id, beds, nursing_beds, floor_area_m2, land_area_mu,
       caregivers, nurses, doctors, social_workers, managers, other_staff
FROM facilities_facility WHERE status <> 'closed' ORDER BY region_id, name
"""
RAW_GRADES = """
SELECT r.facility_id, COALESCE(
  (SELECT a.grade FROM assessments_assessment a
   WHERE a.elder_id = r.elder_id AND a.status = 'confirmed' AND a.assessed_on <= %(on)s AND a.valid_until >= %(on)s
     AND NOT EXISTS (SELECT 1 FROM assessments_recognisedresult x WHERE x.elder_id = a.elder_id
                     AND x.assessed_on <= %(on)s AND x.valid_until >= %(on)s AND x.assessed_on > a.assessed_on)
   ORDER BY a.assessed_on DESC, a.id DESC LIMIT 1),
  (SELECT x.grade FROM assessments_recognisedresult x
   WHERE x.elder_id = r.elder_id AND x.assessed_on <= %(on)s AND x.valid_until >= %(on)s
     AND NOT EXISTS (SELECT 1 FROM assessments_assessment a WHERE a.elder_id = x.elder_id AND a.status = 'confirmed'
                     AND a.assessed_on <= %(on)s AND a.valid_until >= %(on)s AND a.assessed_on >= x.assessed_on)
   ORDER BY x.assessed_on DESC, x.id DESC LIMIT 1)) AS grade, count(*)
FROM facilities_residency r
JOIN facilities_facility f ON f.id = r.facility_id
WHERE r.discharged_on IS NULL AND f.kind IN ('county_centre', 'street_centre', 'nursing_home', 'tekun_home', 'medical_care')
GROUP BY 1, 2
"""


class Command(BaseCommand):
    help = (
        "Bulk-load N facilities and M current residents into the benchmark city (after "
        "benchmark_registry), give it Nanyang's standards, and time the city standards report "
        "against the same aggregates in raw SQL, plus the shortfall page against a trivial page."
    )

    def add_arguments(self, parser):
        parser.add_argument("--facilities", type=int, default=10_000)
        parser.add_argument("--residents", type=int, default=300_000)
        parser.add_argument("--repeat", type=int, default=5)

    def handle(self, *args, facilities, residents, repeat, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Benchmarks are meant for PostgreSQL: set DATABASE_URL.")
        if Elder.objects.filter(status="registered").count() < residents:
            raise CommandError(f"Needs {residents:,} registered elders: run benchmark_registry first.")
        # Wenzhou's pack has no staffing ratio; Nanyang's standards exercise every check.
        load_policy_pack(name="nanyang", region_code="3303", only=["facilities"])
        today = timezone.localdate()
        if Facility.objects.filter(licence_number=TAG).count() != facilities:
            t = time.perf_counter()
            load(facilities=facilities, residents=residents, today=today)
            self.stdout.write(
                f"loaded {facilities:,} facilities and {residents:,} residents in {time.perf_counter() - t:.1f} s"
            )
        city = get_user_model().objects.get(username="city")

        def raw():
            with connection.cursor() as cursor:
                cursor.execute(RAW_FACILITIES)
                cursor.fetchall()
                cursor.execute(RAW_GRADES, {"on": today})
                cursor.fetchall()

        raw_ms = median_ms(raw, repeat)
        orm_ms = median_ms(lambda: standards_report(city, today, only_failing=False), repeat)
        reports = standards_report(city, today)
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        client, anon = Client(), Client()
        client.force_login(city)
        page_ms = median_ms(lambda: client.get("/facilities/shortfalls/"), repeat)
        trivial_ms = median_ms(lambda: anon.get("/accounts/login/"), repeat)
        counts = (Facility.objects.count(), Residency.objects.filter(discharged_on__isnull=True).count())
        self.stdout.write(
            f"facilities {counts[0]:,}; current residents {counts[1]:,}; median of {repeat} runs"
        )
        self.stdout.write(f"  raw SQL (facilities + residents by grade)  {raw_ms:9.1f} ms")
        self.stdout.write(
            f"  standards_report (every rule, every row)   {orm_ms:9.1f} ms  ×{orm_ms / raw_ms:.2f} raw"
        )
        self.stdout.write(f"  /facilities/shortfalls/ ({len(reports):,} short)    {page_ms:9.1f} ms")
        self.stdout.write(f"  trivial page (/accounts/login/)            {trivial_ms:9.1f} ms")
