"""Two runs of the same month at the same time, in two processes, never pay a month twice.

PostgreSQL only (CI runs the suite with DATABASE_URL=postgres://...): the subprocesses must reach
the test database, so the data is committed (transactional test) and their DATABASE_URL names it.
"""

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Count

from subsidies.models import Entitlement, Payment, Scheme
from subsidies.tests.helpers import months_ago
from tests.factories import ElderFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs two processes on one PostgreSQL test database"
)

ELDERS = 400


def _url_of_the_test_database() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_create_no_duplicate_payment(jl):
    scheme = Scheme.objects.get(code="JL-INSTITUTION-STAY")
    elders = [ElderFactory(residence_id=jl["village"].code) for _ in range(ELDERS)]
    Entitlement.objects.bulk_create(
        Entitlement(elder=e, scheme=scheme, first_period=months_ago(3), amount=Decimal("300.00"))
        for e in elders
    )
    env = {**os.environ, "DATABASE_URL": _url_of_the_test_database(), "CONN_MAX_AGE": "0"}
    command = [sys.executable, "manage.py", "run_disbursement", "--period", months_ago(1)]
    runs = [
        subprocess.Popen(
            command,
            cwd=Path(settings.BASE_DIR),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for run in runs:
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, out + err
    per_month = Payment.objects.values("entitlement_id", "period").annotate(n=Count("id"))
    assert per_month.filter(n__gt=1).count() == 0
    assert per_month.count() == ELDERS * 3  # every entitlement paid once for each of its three months
    assert set(Payment.objects.values_list("period", flat=True)) == {
        months_ago(3),
        months_ago(2),
        months_ago(1),
    }
