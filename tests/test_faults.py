"""Faults: with Redis stopped, workers still record visits and the pages and the API still answer.

A real redis-server of the test's own serves as the cache (parsed policy sections, throttle
counters) and is then stopped; the cache becomes a miss, never a 500.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from services.models import Visit
from tests.factories import PASSWORD, ElderFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def own_redis(tmp_path, settings):
    port = _free_port()
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        if (
            subprocess.run(
                ["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True
            ).stdout.strip()
            == "PONG"
        ):
            break
        time.sleep(0.05)
    settings.CACHES = {
        "default": {
            "BACKEND": "eldercare.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    # What production runs with Redis as the cache (the settings' default, see the test below).
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    yield server
    server.kill()
    server.wait(timeout=10)


def _record_visit(client, elder):
    return client.post(
        f"/visits/new/{elder.pk}/",
        {
            "visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "method": "home",
            "outcome": "normal",
        },
    )


def test_with_redis_stopped_visits_are_recorded_and_pages_answer(client, staff, own_redis):
    elder = ElderFactory()
    client.force_login(staff["community_worker"])
    cache.set("probe", "up")
    assert cache.get("probe") == "up"  # the cache really is that Redis
    assert _record_visit(client, elder).status_code == 302

    own_redis.terminate()
    own_redis.wait(timeout=10)
    assert cache.get("probe") is None  # a miss, not an error
    # Still signed in: the session was written through to the database.
    assert client.get("/visits/due/").wsgi_request.user == staff["community_worker"]

    assert _record_visit(client, elder).status_code == 302
    assert Visit.objects.filter(elder=elder).count() == 2
    for path in ("/", "/visits/due/", "/visits/mine/", f"/elders/{elder.pk}/", "/dashboard/"):
        assert client.get(path).status_code == 200, path
    token = APIClient().post(
        "/api/v1/auth/token/", {"username": "worker", "password": PASSWORD}, format="json"
    )
    assert token.status_code == 200  # the throttle counts in the cache; without it, it lets through
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    assert api.get("/api/v1/visits/").status_code == 200


def test_with_redis_as_the_cache_sessions_survive_a_redis_restart_by_default():
    """The default engine follows CACHE_URL: read from Redis, written through to the database."""
    code = "from django.conf import settings; print(settings.SESSION_ENGINE)"
    env = {k: v for k, v in os.environ.items() if k != "SESSION_ENGINE"}
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={**env, "CACHE_URL": "redis://127.0.0.1:6399/0", "DJANGO_SETTINGS_MODULE": "eldercare.settings"},
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout.strip()
    assert out == "django.contrib.sessions.backends.cached_db"
