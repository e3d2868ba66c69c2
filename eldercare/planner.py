"""The query planner's statistics after a bulk write.

PostgreSQL's autovacuum analyzes a table some time after it changed, but a bulk load or a big
exchange changes a table's size at once, and the very next statements plan on the old figures: a
registry that grew from nothing to 50,000 files still counts as empty, so a join the next step
runs over it is planned as a nested loop and took 18 s instead of 0.1 s in `benchmark_loads`.
Analyzing the written tables right after the write (a sample of at most 30,000 rows per table,
well under a second) keeps every later step planned on what is there.
"""

from __future__ import annotations

from django.db import connection, models


def analyze(*tables: type[models.Model]) -> None:
    """ANALYZE these models' tables (PostgreSQL only; SQLite plans without statistics here)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
