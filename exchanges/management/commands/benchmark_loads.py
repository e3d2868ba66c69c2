"""PostgreSQL: the registry bulk load against a bare COPY of the same file into a plain table (same
run), then a death list of 10,000 rows matched, proposed and accepted against the loaded registry.

    python manage.py benchmark_loads --rows 200000

It writes benchmark elders (ID numbers under the address code 330399, which no elder of a real
city carries) and removes those of an earlier run first: run it on a benchmark database.
"""

from __future__ import annotations

import csv
import io
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

BENCH_ADDRESS = "330399"
HEADERS = ["id_number", "name", "residence", "living_arrangement", "economic_status", "address", "phone"]


class Command(BaseCommand):
    help = "Rows per second of the registry bulk load next to a bare COPY, and of a death-list exchange."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=100_000)
        parser.add_argument("--deaths", type=int, default=10_000)

    def handle(self, *args, rows: int, deaths: int, **options):
        if connection.vendor != "postgresql":
            raise CommandError("benchmark_loads needs PostgreSQL (DATABASE_URL).")
        from eldercare.celery import app

        app.conf.task_always_eager = True  # the jobs run here, timed, whatever the broker
        user = self._account()
        self._clean()
        villages = self._villages()
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "registry.csv"
            numbers = self._write_file(path, rows, villages)
            content = path.read_bytes()
            bare, floor = self._bare_copy(content)
            self._say(f"bare COPY of {rows:,} rows: {bare:.2f} s; the same rows into the registry's table: {floor:.2f} s")
            from exchanges import bulk
            from exchanges.models import BulkLoad

            start = time.perf_counter()
            load = bulk.receive_load(
                acting_user=user, content=content, filename="registry.csv", source="基准台账"
            )
            checked = time.perf_counter() - start
            self._say(f"bulk load staged and checked: {checked:.2f} s")
            if load.status != "checked" or load.bad_rows:
                raise CommandError(
                    f"the load was not clean: {load.status} {load.message} {load.bad_rows} bad rows"
                )
            start = time.perf_counter()
            load = bulk.confirm_load(acting_user=user, load=BulkLoad.objects.get(pk=load.pk))
            written = time.perf_counter() - start
            self._say(f"bulk load written: {written:.2f} s")
            if load.loaded != rows:
                raise CommandError(f"{load.loaded} of {rows} rows written")
            receive, accept, n_deaths = self._deaths(user, numbers[:deaths])

        def rate(n, s):
            return n / s if s else float("inf")

        out = [
            ("bare COPY into a plain table (baseline)", bare, rows, None),
            ("floor: the same rows INSERT ... SELECT into elders_elder", floor, rows, None),
            ("bulk load: COPY staging + SQL checks", checked, rows, None),
            ("bulk load: confirmed write + history + visit status", written, rows, None),
            (
                "bulk load, end to end",
                checked + written,
                rows,
                rate(rows, checked + written) / rate(rows, bare),
            ),
            (f"death list {n_deaths} rows: match and propose", receive, n_deaths, None),
            (f"death list {n_deaths} rows: accept all (through the services)", accept, n_deaths, None),
        ]
        self.stdout.write(f"registry of {rows:,} elders (rows per second; ratio = bulk / bare COPY)")
        for label, seconds, n, ratio in out:
            line = f"{label:<62} {seconds:8.2f} s {rate(n, seconds):>12,.0f} rows/s"
            if ratio is not None:
                line += f"   ratio {ratio:.3f} (goal ≥ 0.50); {floor / seconds:.2f} of the floor"
            self.stdout.write(line)

    def _say(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def _account(self):
        from django.contrib.auth import get_user_model

        from regions.models import Region
        from regions.services import create_staff, load_regions

        if not Region.objects.filter(code="330300000000").exists():
            load_regions(prefix="3303")
        User = get_user_model()
        user = User.objects.filter(username="bench-loads").first()
        if user is None:
            import secrets

            # The account only acts inside this command; nobody signs in with it.
            create_staff(
                username="bench-loads",
                role="city_admin",
                region_code="330300000000",
                password=secrets.token_urlsafe(24) + "aA1!",
            )
            user = User.objects.get(username="bench-loads")
        return user

    def _clean(self) -> None:
        with connection.cursor() as cursor:
            like = BENCH_ADDRESS + "%"
            cursor.execute(
                "DELETE FROM exchanges_exchangerow WHERE exchange_id IN "
                "(SELECT id FROM exchanges_exchange WHERE source = '基准公安')"
            )
            cursor.execute("DELETE FROM exchanges_exchange WHERE source = '基准公安'")
            # By file (the history's index), not by number.
            cursor.execute(
                "DELETE FROM elders_historicalelder WHERE id IN (SELECT id FROM elders_elder WHERE id_number LIKE %s)",
                [like],
            )
            cursor.execute(
                "DELETE FROM services_visitstatus WHERE elder_id IN (SELECT id FROM elders_elder WHERE id_number LIKE %s)",
                [like],
            ) if _table_exists(cursor, "services_visitstatus") else None
            cursor.execute("DELETE FROM elders_elder WHERE id_number LIKE %s", [like])

    def _villages(self) -> list[str]:
        from regions.models import Region

        return list(
            Region.objects.filter(code__startswith="3303", level="village").values_list("code", flat=True)
        )

    def _write_file(self, path: Path, rows: int, villages: list[str]) -> list[str]:
        from elders.rules import make_id_number

        span = 10_950  # birth dates over thirty years, a thousand sequence numbers each
        first = date(1930, 1, 1)
        numbers = []
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(HEADERS)
            for i in range(rows):
                number = make_id_number(BENCH_ADDRESS, first + timedelta(days=i % span), i // span)
                numbers.append(number)
                writer.writerow(
                    [number, f"基准{i}", villages[i % len(villages)], "alone", "ordinary", "", ""]
                )
        # The death list: spread over the file, not its first rows.
        step = max(1, rows // 10_000)
        return numbers[::step]

    def _bare_copy(self, content: bytes) -> float:
        cols = ", ".join(f"{h} text" for h in HEADERS)
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_plain_copy")
            cursor.execute(f"CREATE TABLE bench_plain_copy ({cols})")
            start = time.perf_counter()
            with cursor.cursor.copy(
                "COPY bench_plain_copy FROM STDIN WITH (FORMAT csv, HEADER true)"
            ) as copy:
                stream = io.BytesIO(content)
                while chunk := stream.read(1 << 20):
                    copy.write(chunk)
            seconds = time.perf_counter() - start
            floor = self._floor(cursor)
            cursor.execute("DROP TABLE bench_plain_copy")
        return seconds, floor

    def _floor(self, cursor) -> float:
        """What any loader writing the live registry pays at least: the copied rows inserted into
        elders_elder with its indexes and foreign keys checked (immediately, as a commit would),
        then rolled back. Nothing is checked or recorded; no history."""
        from django.db import transaction

        with transaction.atomic():
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            start = time.perf_counter()
            cursor.execute(
                """
                INSERT INTO elders_elder (id_number, name, name_initials, sex, birth_date, residence_id,
                    hukou_region_id, address, phone, living_arrangement, economic_status, disability_grade,
                    is_left_behind, is_family_planning_special, is_childless_widowed, is_veteran,
                    is_special_contribution, status, status_date, death_date, registered_on, notes,
                    created_at, updated_at, created_by_id)
                SELECT id_number, name, '', 'male', DATE '1950-01-01', residence, NULL, coalesce(address, ''),
                    coalesce(phone, ''),
                    living_arrangement, economic_status, 0, false, false, false, false, false,
                    'registered', NULL, NULL, CURRENT_DATE, '', now(), now(), NULL
                FROM bench_plain_copy
                """
            )
            seconds = time.perf_counter() - start
            transaction.set_rollback(True)
        return seconds

    def _deaths(self, user, numbers: list[str]) -> tuple[float, float, int]:
        from exchanges.services import accept_all, receive_exchange

        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["身份证号", "姓名", "死亡日期", "信息来源"])
        from elders.models import Elder

        names = dict(Elder.objects.filter(id_number__in=numbers).values_list("id_number", "name"))
        died = (timezone.localdate() - timedelta(days=3)).isoformat()
        for number in numbers:
            writer.writerow([number, names[number], died, "公安"])
        start = time.perf_counter()
        exchange = receive_exchange(
            acting_user=user,
            kind="deaths",
            content=out.getvalue().encode(),
            filename="deaths.csv",
            source="基准公安",
            period=timezone.localdate().strftime("%Y-%m"),
        )
        receive = time.perf_counter() - start
        self._say(
            f"death list of {len(numbers):,} rows matched and proposed: {receive:.2f} s (exchange {exchange.pk})"
        )
        if exchange.proposed != len(numbers):
            raise CommandError(f"{exchange.proposed} of {len(numbers)} deaths proposed")
        start = time.perf_counter()
        result = accept_all(acting_user=user, exchange=exchange)
        accept = time.perf_counter() - start
        if result["accepted"] != len(numbers):
            raise CommandError(f"accepted {result}")
        return receive, accept, len(numbers)


def _table_exists(cursor, name: str) -> bool:
    cursor.execute("SELECT to_regclass(%s)", [name])
    return cursor.fetchone()[0] is not None
