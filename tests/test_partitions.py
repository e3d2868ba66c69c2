"""Monthly partitions on PostgreSQL: the tables are partitioned by the migrations, a row for a
month without a partition waits in the default one and the monthly job gives it its own month,
and the ORM, the admin and the API see one table."""

from datetime import date, datetime

import pytest
from django.db import connection
from django.utils import timezone

from eldercare.partitions import TABLES, ensure_partitions, is_partitioned, partition_name
from services.models import Visit
from tests.factories import ElderFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps plain tables"),
]
TZ = timezone.get_current_timezone()


def partition_of(table: str, row_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {table} WHERE id = %s", [row_id])  # noqa: S608
        return cursor.fetchone()[0]


def test_the_large_tables_are_partitioned_by_month():
    with connection.cursor() as cursor:
        assert all(is_partitioned(cursor, t.table) for t in TABLES)
    month = timezone.localdate().replace(day=1)
    assert ensure_partitions() == []  # the migration made this month and the next ones already
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [partition_name("services_visit", month)])
        assert cursor.fetchone()[0] is not None


def test_an_old_month_waits_in_the_default_partition_then_gets_its_own(staff):
    elder = ElderFactory(registered_on=date(2019, 1, 1))
    visit = Visit.objects.create(
        elder=elder,
        visitor=staff["community_worker"],
        visited_at=datetime(2020, 3, 31, 23, 30, tzinfo=TZ),  # late on the last local day of March
        method="home",
        outcome="normal",
    )
    assert partition_of("services_visit", visit.pk) == "services_visit_default"
    assert partition_name("services_visit", date(2020, 3, 1)) in ensure_partitions()
    assert partition_of("services_visit", visit.pk) == "services_visit_2020_03"
    # Still the same visit to the ORM and the API: one table, `id` its key.
    assert Visit.objects.get(pk=visit.pk).elder_id == elder.pk
