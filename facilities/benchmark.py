"""Bulk-loaded facilities and residents for the benchmark commands (never the demo or tests)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection, transaction

from regions.models import Region

from .models import Facility

TAG = "BENCH"  # licence_number of benchmark facilities
RESIDENTIAL = (
    ("nursing_home", 15),
    ("street_centre", 10),
    ("tekun_home", 5),
    ("county_centre", 1),
    ("medical_care", 9),
)
COMMUNITY = (("day_care", 20), ("station", 25), ("canteen", 10), ("mutual_aid", 5))


@transaction.atomic
def load(*, facilities: int, residents: int, today: date) -> None:
    """Replace the benchmark facilities and give them `residents` current residents (bulk).

    Opened and admitted a year before `today`, so every month the benchmarks compute sees them.
    """
    since = today - timedelta(days=365)
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
                status_since=since,
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
              WHERE licence_number = %(tag)s AND kind = ANY(%(kinds)s)),
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
            {"tag": TAG, "kinds": list(dict(RESIDENTIAL)), "n": residents, "on": since},
        )
        cursor.execute(
            "UPDATE elders_elder SET living_arrangement = 'institution' WHERE id IN "
            "(SELECT elder_id FROM facilities_residency WHERE discharged_on IS NULL) "
            "AND living_arrangement <> 'institution'"
        )
        cursor.execute("ANALYZE facilities_facility; ANALYZE facilities_residency")
