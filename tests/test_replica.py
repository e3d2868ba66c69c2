"""The read replica, against a real PostgreSQL hot standby streaming from the primary (.ci/run
starts one with pg_basebackup on port 5433 and sets DATABASE_REPLICA_URL): the dashboard and the
API's lists read from it, a user's writes and the reads after them stay on the primary, and the
portal keeps answering when the standby stops."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import time
from datetime import date, datetime
from pathlib import Path

import environ
import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from eldercare import db as routing
from reports.services import compute_month
from services.models import Visit
from tests.factories import WUMA_GULOU, ElderFactory, api_client

pytestmark = [
    pytest.mark.skipif("replica" not in settings.DATABASES, reason="needs DATABASE_REPLICA_URL (.ci/run)"),
    pytest.mark.replica,
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]
PERIOD = "2026-09"
TZ = timezone.get_current_timezone()


@pytest.fixture
def standby():
    """The `replica` alias pointed at the standby's copy of this test database (Django made it a
    mirror of the primary so that no test database is created on a read-only server), one
    replica test at a time across xdist workers (one of them stops the standby)."""
    url = environ.Env.db_url_config(os.environ["DATABASE_REPLICA_URL"])
    with open(Path(os.environ.get("TMPDIR", "/tmp")) / "eldercare-replica-tests.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        conn = connections["replica"]
        mirrored = conn.settings_dict
        conn.close()
        conn.settings_dict = {
            **connections["default"].settings_dict,
            "HOST": url["HOST"],
            "PORT": url["PORT"],
            "OPTIONS": {"connect_timeout": 2},
        }
        routing.forget_replica_state()
        try:
            yield conn
        finally:
            conn.close()
            conn.settings_dict = mirrored
            routing.forget_replica_state()


def replayed(standby, seconds: float = 10) -> None:
    """Wait until the standby has replayed everything the primary has committed so far."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        (lsn,) = cursor.fetchone()
    for _ in range(int(seconds / 0.05)):
        with standby.cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
            if cursor.fetchone()[0]:
                return
        time.sleep(0.05)
    raise AssertionError(f"the standby did not catch up within {seconds:g} s")


def tables(queries) -> str:
    return " ".join(q["sql"] for q in queries.captured_queries)


@pytest.fixture
def month(staff):
    """A computed month: three target elders of 鼓楼社区, one visited."""
    elders = [ElderFactory(residence_id=WUMA_GULOU, registered_on=date(2026, 1, 1)) for _ in range(3)]
    Visit.objects.create(
        elder=elders[0],
        visitor=staff["community_worker"],
        visited_at=datetime(2026, 9, 3, 10, tzinfo=TZ),
        method="home",
        outcome="normal",
    )
    compute_month(PERIOD)
    return elders


def test_it_is_a_real_standby(standby):
    with standby.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), current_setting('port')")
        in_recovery, port = cursor.fetchone()
    assert in_recovery is True
    assert port != connections["default"].settings_dict.get("PORT", "5432")


def test_dashboard_and_api_lists_read_from_the_replica(standby, month, staff, client):
    replayed(standby)
    client.force_login(staff["leader"])
    with (
        CaptureQueriesContext(standby) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        page = client.get(f"/dashboard/?region={WUMA_GULOU}&period={PERIOD}").content.decode()
    assert "33.3%" in page
    assert "reports_monthlystat" in tables(on_replica)
    assert "reports_monthlystat" not in tables(on_primary)
    # Who is asking is read from the primary: a login must work on its first click.
    # Who is asking and what they may see are read from the primary: a login, a new role or a
    # moved region of responsibility holds from the first click.
    for table in ('FROM "auth_user"', 'FROM "regions_staffprofile"'):
        assert table in tables(on_primary) and table not in tables(on_replica)

    api = api_client(staff["street_officer"])
    with (
        CaptureQueriesContext(standby) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        rows = api.get("/api/v1/elders/").json()["results"]
    assert {r["id"] for r in rows} == {e.pk for e in month}
    assert "elders_elder" in tables(on_replica) and "elders_elder" not in tables(on_primary)


def test_a_write_and_the_reads_after_it_stay_on_the_primary(standby, month, staff):
    api = APIClient()
    worker = staff["community_worker"]
    api.force_authenticate(worker)
    replayed(standby)
    with CaptureQueriesContext(standby) as on_replica:
        made = api.post(
            "/api/v1/visits/",
            {
                "elder": month[1].pk,
                "visited_at": timezone.now().isoformat(),
                "method": "phone",
                "outcome": "normal",
            },
            format="json",
        )
        assert made.status_code == 201, made.content
        # The next list, at once: the standby may not have it yet, so this account reads the primary.
        listed = api.get("/api/v1/visits/").json()["results"]
    assert made.json()["id"] in {v["id"] for v in listed}
    assert on_replica.captured_queries == []


def _pg_ctl(action: str) -> None:
    pgdata = os.environ.get("REPLICA_PGDATA")
    if not pgdata:
        pytest.skip("REPLICA_PGDATA (the standby's data directory) is not set")
    binary = shutil.which("pg_ctl") or next(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), None)
    command = (
        [str(binary), "-D", pgdata, "-w", "-m", "fast", action]
        if action == "stop"
        else [
            str(binary),
            "-D",
            pgdata,
            "-w",
            "-l",
            f"{pgdata}/standby.log",
            action,
        ]
    )
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, capture_output=True, timeout=120)


def test_the_portal_keeps_working_when_the_replica_stops(standby, month, staff, client):
    replayed(standby)
    client.force_login(staff["leader"])
    url = f"/dashboard/?region={WUMA_GULOU}&period={PERIOD}"
    assert client.get(url).status_code == 200
    _pg_ctl("stop")
    try:
        cache.clear()  # the figures must really be read again, not served from the page cache
        with CaptureQueriesContext(connections["default"]) as on_primary:
            page = client.get(url)
        assert page.status_code == 200 and "33.3%" in page.content.decode()
        assert "reports_monthlystat" in tables(on_primary)
        api = api_client(staff["street_officer"])
        assert api.get("/api/v1/elders/").status_code == 200
    finally:
        _pg_ctl("start")  # waits until the standby accepts connections again
    standby.close()
    routing.forget_replica_state()
    replayed(standby, seconds=120)  # a restarted standby first replays what it missed while stopped
    cache.clear()
    with CaptureQueriesContext(standby) as on_replica:
        assert client.get(url).status_code == 200
    assert "reports_monthlystat" in tables(on_replica)
