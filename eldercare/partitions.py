"""Monthly partitions of the large tables on PostgreSQL (SQLite keeps plain tables).

Visits (by `visited_at`, in local months), payments and the monthly figures (by `period`) are
declaratively partitioned, so a month's work touches one month's rows and an old month can be
detached and archived as a table of its own. Each table also has a DEFAULT partition: a row for
a month nobody made a partition for yet (arrears of an old period, a visit recorded for a month
long past) is still written, and `ensure_partitions` later moves it into its own month.

Why raw SQL and not Django 5.2's CompositePrimaryKey: PostgreSQL wants the partition column in
every unique key, so the table's key is (id, month column). Django is told nothing of that: to
the ORM, `id` is still the primary key (ids still come from one identity sequence, so they stay
unique), which keeps the admin, DRF, django-simple-history and every `pk=` lookup working —
none of them supports composite keys yet, and no foreign key can point at one. The price is that
no foreign key may point *into* a partitioned table: the one that did (a follow-up's visit) is
kept by the visit service instead (`db_constraint=False`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection as default_connection
from django.db import transaction

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Partitioned:
    table: str
    column: str
    by: str  # "instant": a timestamptz, local months (RANGE); "period": a 'YYYY-MM' code (LIST)


TABLES = (
    Partitioned("services_visit", "visited_at", "instant"),
    Partitioned("subsidies_payment", "period", "period"),
    Partitioned("reports_monthlystat", "period", "period"),
    # The frozen target group of each month: as many rows a month as the group has members.
    Partitioned("reports_visitroster", "period", "period"),
)
MONTHS_AHEAD = 3


def _spec(table: str) -> Partitioned:
    return next(t for t in TABLES if t.table == table)


def _next(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _month_of(value) -> date:
    if isinstance(value, str):  # a period code
        return date(int(value[:4]), int(value[5:7]), 1)
    local = value.astimezone(ZoneInfo(settings.TIME_ZONE))
    return date(local.year, local.month, 1)


def _bounds(spec: Partitioned, month: date) -> str:
    if spec.by == "period":
        return f"FOR VALUES IN ('{month:%Y-%m}')"
    tz = ZoneInfo(settings.TIME_ZONE)
    lo, hi = (datetime.combine(m, time.min, tzinfo=tz).isoformat() for m in (month, _next(month)))
    return f"FOR VALUES FROM ('{lo}') TO ('{hi}')"


def _where(spec: Partitioned, month: date) -> tuple[str, list]:
    if spec.by == "period":
        return f"{spec.column} = %s", [f"{month:%Y-%m}"]
    tz = ZoneInfo(settings.TIME_ZONE)
    lo, hi = (datetime.combine(m, time.min, tzinfo=tz) for m in (month, _next(month)))
    return f"{spec.column} >= %s AND {spec.column} < %s", [lo, hi]


def partition_name(table: str, month: date) -> str:
    return f"{table}_{month:%Y_%m}"


def is_partitioned(cursor, table: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass(%s)", [table])
    return cursor.fetchone() is not None


def _existing(cursor, table: str) -> set[str]:
    cursor.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = to_regclass(%s)",
        [table],
    )
    return {r[0] for r in cursor.fetchall()}


def _months_in(cursor, spec: Partitioned, table: str) -> list[date]:
    """The months that have rows in `table` (a whole table, or a DEFAULT partition)."""
    if spec.by == "period":
        cursor.execute(f"SELECT DISTINCT {spec.column} FROM {table}")  # noqa: S608 - our own table
        return sorted({_month_of(r[0]) for r in cursor.fetchall() if r[0]})
    cursor.execute(
        f"SELECT DISTINCT date_trunc('month', {spec.column} AT TIME ZONE %s)::date FROM {table}",  # noqa: S608
        [settings.TIME_ZONE],
    )
    return sorted(r[0] for r in cursor.fetchall() if r[0] is not None)


def _window(today: date, ahead: int) -> list[date]:
    months, month = [], today.replace(day=1)
    for _ in range(ahead + 1):
        months.append(month)
        month = _next(month)
    return months


def _structure(cursor, table: str) -> tuple[list[str], list[str]]:
    """The statements that rebuild a table's indexes and constraints (the primary key aside)."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = to_regclass(%s) AND contype IN ('u', 'f') ORDER BY conname",
        [table],
    )
    constraints = [
        f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}' for name, definition in cursor.fetchall()
    ]
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = to_regclass(%s) AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1",
        [table],
    )
    indexes = [definition for _name, definition in cursor.fetchall()]
    return constraints, indexes


def _drop_structure(cursor, table: str) -> None:
    cursor.execute(
        "SELECT conname FROM pg_constraint WHERE conrelid = to_regclass(%s) AND contype IN ('u', 'f')",
        [table],
    )
    for (name,) in cursor.fetchall():
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    cursor.execute(
        "SELECT i.indexrelid::regclass::text FROM pg_index i WHERE i.indrelid = to_regclass(%s) "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        [table],
    )
    for (name,) in cursor.fetchall():
        cursor.execute(f"DROP INDEX {name}")


def _rebuild(cursor, spec: Partitioned, *, partitioned: bool, today: date) -> None:
    """Copy a table into a new one of the other kind (partitioned or plain) under the same name,
    with the same columns, defaults, checks, indexes, unique constraints and foreign keys."""
    table, old = spec.table, f"{spec.table}_before_partitioning"
    cursor.execute(
        "SELECT conrelid::regclass::text, conname FROM pg_constraint WHERE confrelid = to_regclass(%s)",
        [table],
    )
    referencing = cursor.fetchall()
    if referencing:
        raise RuntimeError(
            f"{table} is referenced by foreign keys {referencing}: drop them (db_constraint=False) first"
        )
    cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
    constraints, indexes = _structure(cursor, table)
    _drop_structure(cursor, table)
    cursor.execute(f"ALTER TABLE {table} RENAME TO {old}")
    cursor.execute(f"ALTER INDEX {table}_pkey RENAME TO {old}_pkey")
    clause = (
        f" PARTITION BY {'LIST' if spec.by == 'period' else 'RANGE'} ({spec.column})" if partitioned else ""
    )
    cursor.execute(
        f"CREATE TABLE {table} (LIKE {old} INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING CONSTRAINTS "
        f"INCLUDING STORAGE INCLUDING COMMENTS){clause}"
    )
    if partitioned:
        for month in sorted(set(_months_in(cursor, spec, old)) | set(_window(today, MONTHS_AHEAD))):
            cursor.execute(
                f"CREATE TABLE {partition_name(table, month)} PARTITION OF {table} {_bounds(spec, month)}"
            )
        cursor.execute(f"CREATE TABLE {table}_default PARTITION OF {table} DEFAULT")
    # Rows first, then the key, indexes and foreign keys: one sorted build and one validating
    # join each, instead of millions of index inserts and deferred checks.
    cursor.execute(f"INSERT INTO {table} SELECT * FROM {old}")  # noqa: S608 - our own tables
    key = f"id, {spec.column}" if partitioned else "id"
    cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {table}_pkey PRIMARY KEY ({key})")
    for statement in [*indexes, *constraints]:
        cursor.execute(statement)
    cursor.execute(f"SELECT pg_get_serial_sequence('{table}', 'id')")
    (sequence,) = cursor.fetchone()
    cursor.execute(f"SELECT setval('{sequence}', (SELECT coalesce(max(id), 0) + 1 FROM {table}), false)")  # noqa: S608
    cursor.execute(f"DROP TABLE {old}")
    if sequence.rsplit(".", 1)[-1] != f"{table}_id_seq":  # the old table's sequence went with it
        cursor.execute(f"ALTER SEQUENCE {sequence} RENAME TO {table}_id_seq")
    cursor.execute(f"ANALYZE {table}")


def partition(schema_editor, table: str) -> None:
    """Migration step: make `table` partitioned by month (PostgreSQL only; idempotent)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.utils import timezone

    with schema_editor.connection.cursor() as cursor:
        if not is_partitioned(cursor, table):
            _rebuild(cursor, _spec(table), partitioned=True, today=timezone.localdate())


def unpartition(schema_editor, table: str) -> None:
    """The reverse migration step: one plain table again."""
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.utils import timezone

    with schema_editor.connection.cursor() as cursor:
        if is_partitioned(cursor, table):
            _rebuild(cursor, _spec(table), partitioned=False, today=timezone.localdate())


def ensure_partitions(*, today: date | None = None, ahead: int = MONTHS_AHEAD, using=None) -> list[str]:
    """Make this month's and the next `ahead` months' partitions of every partitioned table, and a
    partition of its own for any month whose rows wait in the DEFAULT partition (moved there in
    the same transaction). Returns the partitions made. A no-op on SQLite.

    Each table is done in a short transaction with a lock timeout, so a long report holding the
    table does not queue every reader behind this job: it gives up and the next run retries."""
    from django.utils import timezone

    conn = using or default_connection
    if conn.vendor != "postgresql":
        return []
    today = today or timezone.localdate()
    made = []
    for spec in TABLES:
        with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
            if not is_partitioned(cursor, spec.table):
                continue
            cursor.execute("SET LOCAL lock_timeout = '5s'")
            existing = _existing(cursor, spec.table)
            waiting = _months_in(cursor, spec, f"{spec.table}_default")
            for month in sorted(set(_window(today, ahead)) | set(waiting)):
                name = partition_name(spec.table, month)
                if name in existing:
                    continue
                where, params = _where(spec, month)
                moving = month in waiting
                if moving:
                    cursor.execute(
                        f"CREATE TEMP TABLE partition_move ON COMMIT DROP AS WITH moved AS ("  # noqa: S608
                        f"DELETE FROM {spec.table}_default WHERE {where} RETURNING *) SELECT * FROM moved",
                        params,
                    )
                cursor.execute(f"CREATE TABLE {name} PARTITION OF {spec.table} {_bounds(spec, month)}")
                if moving:
                    cursor.execute(f"INSERT INTO {spec.table} SELECT * FROM partition_move")  # noqa: S608
                    cursor.execute("DROP TABLE partition_move")
                made.append(name)
                log.info("made partition %s%s", name, " (rows moved out of the default)" if moving else "")
    return made
