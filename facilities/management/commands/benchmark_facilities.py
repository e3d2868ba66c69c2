"""The city standards report at 10,000 facilities and 300,000 residents, against raw SQL."""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from eldercare.benchmarking import median_ms
from elders.models import Elder
from facilities.models import Facility, Residency
from facilities.selectors import standards_report
from policies.services import load_policy_pack
from regions.models import Region

TAG = "BENCH"
RESIDENTIAL = (
    ("nursing_home", 15),
    ("street_centre", 10),
    ("tekun_home", 5),
    ("county_centre", 1),
    ("medical_care", 9),
)
COMMUNITY = (("day_care", 20), ("station", 25), ("canteen", 10), ("mutual_aid", 5))

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
            self._load(facilities, residents, today)
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

    @transaction.atomic
    def _load(self, facilities: int, residents: int, today) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM facilities_residency WHERE facility_id IN "
                "(SELECT id FROM facilities_facility WHERE licence_number = %s)",
                [TAG],
            )
            cursor.execute("DELETE FROM facilities_facility WHERE licence_number = %s", [TAG])
        villages = list(
            Region.objects.filter(code__startswith="3303", level="village").values_list("code", flat=True)
        )
        kinds = [k for k, w in RESIDENTIAL + COMMUNITY for _ in range(w)]
        rows = []
        for i in range(facilities):
            kind = kinds[i % len(kinds)]
            residential = kind in dict(RESIDENTIAL)
            beds = 80 + i % 20 if residential else (10 if kind == "day_care" else 0)
            rows.append(
                Facility(
                    name=f"{TAG}-{i:05d}",
                    kind=kind,
                    ownership=("public", "public_private", "private", "private")[i % 4],
                    region_id=villages[i * 7 % len(villages)],
                    status="operating",
                    status_since=today,
                    licence_number=TAG,
                    beds=beds,
                    nursing_beds=beds * (50 + i % 15) // 100,
                    floor_area_m2=1500 + i % 9000 if residential else 200 + i % 200,
                    land_area_mu=2 + i % 16,
                    caregivers=i % 40,
                    managers=1 + i % 3,
                    star=i % 6 or None,
                )
            )
        Facility.objects.bulk_create(rows, batch_size=5000)
        with connection.cursor() as cursor:
            cursor.execute(
                """
                WITH fac AS (
                  SELECT id, row_number() OVER (ORDER BY id) - 1 AS i FROM facilities_facility
                  WHERE licence_number = %(tag)s AND kind IN %(kinds)s),
                el AS (
                  SELECT e.id, row_number() OVER (ORDER BY e.id) - 1 AS j FROM elders_elder e
                  WHERE e.status = 'registered' AND NOT EXISTS (
                    SELECT 1 FROM facilities_residency r WHERE r.elder_id = e.id AND r.discharged_on IS NULL)
                  ORDER BY e.id LIMIT %(n)s)
                INSERT INTO facilities_residency
                  (facility_id, elder_id, bed, admitted_on, discharge_reason, previous_living_arrangement, notes)
                SELECT fac.id, el.id, '', %(on)s, '', '', ''
                FROM el JOIN fac ON fac.i = el.j %% (SELECT count(*) FROM fac)
                """,
                {"tag": TAG, "kinds": tuple(dict(RESIDENTIAL)), "n": residents, "on": today},
            )
            cursor.execute(
                "UPDATE elders_elder SET living_arrangement = 'institution' WHERE id IN "
                "(SELECT elder_id FROM facilities_residency WHERE discharged_on IS NULL) "
                "AND living_arrangement <> 'institution'"
            )
            cursor.execute("ANALYZE facilities_facility; ANALYZE facilities_residency")
