"""Security basics: lock-out, idle expiry, production start-up checks."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import PASSWORD, api_client

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


def _manage(*args, **env):
    dropped = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    full_env = {k: v for k, v in os.environ.items() if k not in dropped}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_repeated_failed_logins_lock_the_account_out(client, staff):
    for _ in range(5):
        resp = client.post("/accounts/login/", {"username": "worker", "password": "wrong-password"})
        assert resp.status_code in (200, 429)
    resp = client.post("/accounts/login/", {"username": "worker", "password": PASSWORD})
    assert resp.status_code == 429  # even the right password is refused while locked
    assert "_auth_user_id" not in client.session


def test_right_password_logs_in_before_the_limit(client, staff):
    client.post("/accounts/login/", {"username": "worker", "password": "wrong-password"})
    resp = client.post("/accounts/login/", {"username": "worker", "password": PASSWORD})
    assert resp.status_code == 302
    assert client.session["_auth_user_id"] == str(staff["community_worker"].pk)


def test_idle_session_expires(client, staff, settings):
    assert settings.SESSION_COOKIE_AGE <= 3600
    client.force_login(staff["community_worker"])
    assert client.get("/").status_code == 200
    # A request renews the idle window, writing the session at most once a minute.
    renewed = Session.objects.get().expire_date
    with CaptureQueriesContext(connection) as clicks:
        assert client.get("/").status_code == 200
    assert not any("UPDATE" in q["sql"] and "django_session" in q["sql"] for q in clicks.captured_queries)
    assert Session.objects.get().expire_date == renewed
    session = client.session
    session["_renewed_at"] -= settings.SESSION_RENEW_SECONDS
    session.save()
    Session.objects.update(expire_date=renewed - timedelta(minutes=20))  # 20 idle minutes
    assert client.get("/").status_code == 200
    assert Session.objects.get().expire_date > renewed
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    resp = client.get("/")
    assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]


def test_production_refuses_to_start_without_secret_key():
    result = _manage("check", DEBUG="false", ALLOWED_HOSTS="portal.example.gov.cn")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _manage("check", DEBUG="false", SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_check_deploy_is_clean_under_production_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="k8#Jx2!vQ9zR$wL5pT7&mN3bY6cF1hD4gS0aE8uI*oP^" * 2,
        ALLOWED_HOSTS="portal.example.gov.cn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_a_secret_key_shorter_than_50_characters():
    result = _manage("check", DEBUG="false", SECRET_KEY="s" * 49, ALLOWED_HOSTS="portal.example.gov.cn")
    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50 characters" in result.stderr


def test_api_answers_and_signed_in_pages_are_never_stored(client, staff):
    from rest_framework.test import APIClient

    from tests.factories import ElderFactory

    elder = ElderFactory()
    api = api_client(staff["city_admin"])
    for resp in (
        api.get("/api/v1/elders/"),
        api.get(f"/api/v1/elders/{elder.pk}/"),
        APIClient().get("/api/v1/elders/"),
    ):
        assert "no-store" in resp["Cache-Control"]
    client.force_login(staff["community_worker"])
    for path in ("/", f"/elders/{elder.pk}/", "/visits/due/"):
        resp = client.get(path)
        assert resp.status_code == 200 and "no-store" in resp["Cache-Control"], path


def test_schema_and_docs_need_a_login(client, staff):
    from rest_framework.test import APIClient

    assert APIClient().get("/api/schema/").status_code == 401
    docs = client.get("/api/docs/")
    assert docs.status_code == 302 and "/accounts/login/" in docs["Location"]
    client.force_login(staff["leader"])
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200


def test_permissions_are_read_once_and_a_revoked_right_is_refused_on_the_next_page(client, staff):
    from django.contrib.auth.models import Group, Permission

    client.force_login(staff["leader"])
    assert client.get("/dashboard/").status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get("/dashboard/").status_code == 200
    assert not any("auth_permission" in q["sql"] for q in second.captured_queries)

    assert 'href="/dashboard/"' in client.get("/accounts/password/").content.decode()

    # The bureau takes the dashboard away from leaders: the very next page refuses it, and the
    # menu (kept per set of permissions) no longer offers it.
    Group.objects.get(name="leader").permissions.remove(Permission.objects.get(codename="view_monthlystat"))
    assert client.get("/dashboard/").status_code == 403
    assert 'href="/dashboard/"' not in client.get("/accounts/password/").content.decode()

    # And an account moved to a role without it loses it the same way.
    client.force_login(staff["city_admin"])
    assert client.get("/dashboard/").status_code == 200
    staff["city_admin"].groups.set(Group.objects.filter(name="leader"))
    assert client.get("/dashboard/").status_code == 403
