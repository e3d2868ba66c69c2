"""Real concurrent HTTP requests against the live test server (stdlib only, bounded).

Each call runs in its own thread and its own server thread, so two requests really meet in
the database: the tests that use this are PostgreSQL tests of row locks and unique indexes.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass


@dataclass
class Answer:
    status: int
    body: object
    headers: dict


def api_token(user) -> str:
    """A token for `user`, made as the token endpoint makes it."""
    from eldercare.tokens import issue_token

    return issue_token(user=user)[0]


def call(base_url: str, token: str, method: str, path: str, body=None, headers=None) -> Answer:
    request = urllib.request.Request(
        base_url + path,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
            "Accept": "application/json",
            **(headers or {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            raw, status, got = response.read(), response.status, dict(response.headers)
    except urllib.error.HTTPError as exc:
        raw, status, got = exc.read(), exc.code, dict(exc.headers)
    try:
        parsed = json.loads(raw) if raw else None
    except ValueError:
        parsed = raw.decode(errors="replace")
    return Answer(status, parsed, got)


def at_once(calls: list) -> list[Answer]:
    """Start every call at the same moment (a barrier) and return the answers in order."""
    barrier = threading.Barrier(len(calls))
    answers: list = [None] * len(calls)

    def run(index, fn):
        barrier.wait(timeout=30)
        try:
            answers[index] = fn()
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            answers[index] = exc

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for answer in answers:
        if isinstance(answer, BaseException):
            raise answer
    return answers
