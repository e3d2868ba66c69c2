"""Bad input never reaches a 500: schemathesis over the whole OpenAPI schema, against the live server.

Every operation of the schema gets a bounded number of generated requests, valid ones and
deliberately invalid ones (SCHEMATHESIS_EXAMPLES of each, 5 by default), sent over HTTP to the
live test server as a superuser (every permission, so every code path is reachable) with data in
place. The only check is that no answer is a server error; the run prints how many operations and
cases it tried.
"""

from __future__ import annotations

import os

import pytest
import requests
import schemathesis
from django.contrib.auth import get_user_model
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from eldercare.tokens import issue_token
from tests.test_masking import world as world  # noqa: F401 - the same data in place

pytestmark = pytest.mark.django_db(transaction=True)
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "5"))
# Revoking would end the run's own token; it has its own tests.
SKIPPED = {"/api/v1/auth/token/revoke/"}


def test_no_operation_answers_with_a_server_error(live_server, world, capsys):  # noqa: F811
    root = get_user_model().objects.create_superuser("fuzz", password="Fuzz-pass-2026!x")
    token = issue_token(user=root)[0]
    session = requests.Session()
    session.headers["Authorization"] = f"Token {token}"
    raw = session.get(f"{live_server.url}/api/schema/?format=json", timeout=60).json()
    schema = schemathesis.openapi.from_dict(raw)
    operations = cases = 0
    statuses: dict[int, int] = {}
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path in SKIPPED:
            continue
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                derandomize=True,
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def send(case):
                nonlocal cases
                cases += 1
                response = case.call(base_url=live_server.url, session=session, timeout=60)
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                if response.status_code >= 500:
                    failures.append(
                        f"{case.method} {case.formatted_path} {case.query or ''} {str(case.body)[:200]} -> "
                        f"{response.status_code} {response.text[:300]}"
                    )
                case.validate_response(response, checks=[not_a_server_error])

            try:
                send()
            except Unsatisfiable:
                pass  # nothing invalid can be made for this operation (no parameters to break)
            except Exception as exc:  # noqa: BLE001 - gathered, reported below
                failures.append(f"{operation.method.upper()} {operation.path}: {type(exc).__name__}")
    with capsys.disabled():
        print(f"\nschemathesis: {operations} operations, {cases} cases, {len(failures)} server errors")
        print("statuses:", dict(sorted(statuses.items())))
    assert operations > 40 and cases > operations * EXAMPLES
    assert not failures, "\n".join(failures[:40])
