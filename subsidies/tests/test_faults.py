"""Faults: a Celery worker killed in the middle of a payment run, with the real Redis broker.

The run is one transaction, its task is acknowledged only when it finished (acks_late), so the
killed worker leaves no half roll and its message goes back to the queue; a second worker runs it
again to the end, and every entitlement is paid exactly once per month.
PostgreSQL only: the workers are separate processes on the test database.
"""

import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Count

from elders.models import Elder
from elders.rules import make_id_number
from subsidies.models import Entitlement, Payment, Scheme
from subsidies.tests.helpers import months_ago
from subsidies.tests.test_concurrent_runs import _url_of_the_test_database

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="workers are processes on one PostgreSQL database"
    ),
    pytest.mark.django_db(transaction=True),
]
ENTITLEMENTS = 20_000
BROKER = os.environ.get("FAULTS_BROKER_URL", "redis://127.0.0.1:6379/13")


def _env():
    return {
        **os.environ,
        "DATABASE_URL": _url_of_the_test_database(),
        "CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": BROKER,
        # A dead worker's task is handed on after 3 s (a real deployment waits longer).
        "CELERY_VISIBILITY_TIMEOUT": "3",
    }


def _celery(*args, **kwargs):
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "eldercare", *args],
        cwd=Path(settings.BASE_DIR),
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        **kwargs,
    )


def _worker():
    return _celery("worker", "--pool=solo", "--without-gossip", "--without-mingle", "-l", "INFO")


def _run_in_progress() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL"
        )
        return cursor.fetchone()[0] > 0


@pytest.fixture
def big_roll(jl):
    scheme = Scheme.objects.get(code="JL-INSTITUTION-STAY")
    village = jl["village"].code
    born = date(1940, 1, 1)
    Elder.objects.bulk_create(
        Elder(
            id_number=make_id_number(village[:6], born + timedelta(days=i // 400), i % 400 * 2 + 1),
            name=f"老人{i}",
            sex="male",
            birth_date=born + timedelta(days=i // 400),
            residence_id=village,
            living_arrangement="institution",
            economic_status="dibao",
            registered_on=date(2025, 1, 1),
        )
        for i in range(ENTITLEMENTS)
    )
    Entitlement.objects.bulk_create(
        Entitlement(elder_id=pk, scheme=scheme, first_period=months_ago(3), amount=Decimal("300.00"))
        for pk in Elder.objects.values_list("pk", flat=True)
    )
    subprocess.run(["redis-cli", "-u", BROKER, "flushdb"], check=True, capture_output=True)
    yield
    subprocess.run(["redis-cli", "-u", BROKER, "flushdb"], check=False, capture_output=True)


def test_a_worker_killed_mid_run_leaves_a_state_the_rerun_completes_once(big_roll):
    period = months_ago(1)
    first = _worker()
    sent = _celery("call", "subsidies.run_disbursement", "--args", f'["{period}"]')
    assert sent.wait(timeout=60) == 0, sent.stdout.read()
    deadline = time.monotonic() + 120
    while not _run_in_progress():
        assert time.monotonic() < deadline and first.poll() is None, "the run never started"
        time.sleep(0.05)
    time.sleep(0.5)
    first.send_signal(signal.SIGKILL)  # the machine's power cut, as far as the worker knows
    first.wait(timeout=30)
    log = first.stdout.read()
    assert "succeeded" not in log, "the run finished before the kill: make it bigger"
    # Nothing half-written: the run's transaction died with the worker.
    assert Payment.objects.count() == 0

    second = _worker()
    try:
        expected = ENTITLEMENTS * 3  # three months each: two of arrears and the run's month
        deadline = time.monotonic() + 240
        while Payment.objects.count() < expected:
            assert time.monotonic() < deadline and second.poll() is None, "the task was not run again"
            time.sleep(1)
        time.sleep(5)  # a redelivered duplicate, if any, has time to run and change nothing
    finally:
        second.terminate()
        second.wait(timeout=60)
    per_month = Payment.objects.values("entitlement_id", "period").annotate(n=Count("id"))
    assert per_month.filter(n__gt=1).count() == 0
    assert Payment.objects.count() == expected
    assert Entitlement.objects.exclude(payments__period=period).count() == 0
