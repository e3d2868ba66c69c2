"""A load test of the portal as it runs in production, on this machine: gunicorn over PostgreSQL
and Redis, driven by Locust (tests/load/locustfile.py) with 200 community workers and 20 leaders
for a bounded time; prints the throughput and p50 / p95 / p99 of each request type."""

from __future__ import annotations

import csv
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.module_loading import import_string

from core.periods import previous_period
from elders.models import Elder
from regions.models import Region
from regions.services import create_staff

ROOT = Path(settings.BASE_DIR)
CITY = "330300000000"
GOAL_P95_MS, GOAL_RPS = 500, 50


class Command(BaseCommand):
    help = (
        "Run gunicorn on this machine against the configured PostgreSQL and Redis, and Locust against it "
        "for --seconds: --workers community workers (inbox, due list, elder file, recording a visit) and "
        "--leaders leaders (dashboard). Prints requests/s and p50/p95/p99 per request type. Needs the "
        "benchmark city (benchmark_all) and CACHE_URL=redis://..."
    )

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=200, help="simulated community workers")
        parser.add_argument("--leaders", type=int, default=20, help="simulated leaders")
        parser.add_argument("--seconds", type=int, default=120)
        parser.add_argument("--spawn-rate", type=float, default=20)
        parser.add_argument("--port", type=int, default=8123)
        parser.add_argument("--processes", type=int, default=3, help="gunicorn worker processes")
        parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn process")
        parser.add_argument(
            "--worker-wait", type=float, nargs=2, default=(2.0, 4.0), help="seconds between clicks"
        )
        parser.add_argument("--leader-wait", type=float, nargs=2, default=(4.0, 8.0))

    def handle(self, *args, **opts):
        if connection.vendor != "postgresql":
            raise CommandError("The load test runs against PostgreSQL: set DATABASE_URL.")
        if "redis" not in settings.CACHES["default"]["BACKEND"].lower():
            raise CommandError(
                "The load test runs with Redis as cache and session store: set CACHE_URL=redis://..."
            )
        host = f"127.0.0.1:{opts['port']}"
        with tempfile.TemporaryDirectory(prefix="eldercare-load-") as tmp:
            plan_path = Path(tmp) / "plan.json"
            plan_path.write_text(json.dumps(self._plan(opts, host)))
            server = self._gunicorn(opts, host)
            try:
                stats = self._locust(opts, host, plan_path, Path(tmp))
            finally:
                server.send_signal(signal.SIGTERM)
                server.wait(timeout=30)
        self._report(stats, opts)

    # --- accounts and their sessions -----------------------------------------------------------

    def _plan(self, opts, host: str) -> dict:
        communities = list(
            Elder.objects.filter(status="registered")
            .values_list("residence_id", flat=True)
            .order_by("residence_id")
            .distinct()[: opts["workers"]]
        )
        if not communities:
            raise CommandError("No elders: build the benchmark city first (benchmark_all).")
        engine = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
        User = get_user_model()

        def session(user) -> str:
            store = engine()
            store[SESSION_KEY] = str(user.pk)
            store[BACKEND_SESSION_KEY] = "eldercare.auth.CachedPermissionsBackend"
            store[HASH_SESSION_KEY] = user.get_session_auth_hash()
            store.create()
            return store.session_key

        def account(username: str, role: str, region: str):
            from regions.models import StaffProfile

            found = StaffProfile.objects.filter(user__username=username, role=role, region_id=region).first()
            if found is not None:
                return found
            # These accounts never sign in with a password (a session is made for each below): a
            # random secret, hashed cheaply, keeps 220 of them from costing a minute of PBKDF2.
            with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                profile, _created = create_staff(
                    username=username, role=role, region_code=region, password=secrets.token_urlsafe(32)
                )
            return profile

        workers = []
        for i in range(opts["workers"]):
            community = communities[i % len(communities)]
            profile = account(f"load-worker-{i:03d}", "community_worker", community)
            elders = list(
                Elder.objects.filter(residence_id=community, status="registered")
                .order_by("pk")
                .values_list("pk", flat=True)[:200]
            )
            workers.append({"session": session(profile.user), "elders": elders})
        leaders = []
        for i in range(opts["leaders"]):
            profile = account(f"load-leader-{i:02d}", "leader", CITY)
            leaders.append({"session": session(User.objects.get(pk=profile.user_id))})
        regions = [
            CITY,
            *Region.objects.filter(parent_id=CITY).values_list("code", flat=True),
            *Region.objects.filter(code__in=communities[:20]).values_list("parent_id", flat=True),
        ]
        self.stdout.write(
            f"{len(workers)} community workers in {len(set(communities))} communities, {len(leaders)} leaders"
        )
        return {
            "host": host,
            "csrf": secrets.token_hex(16),  # 32 characters: a CSRF secret both cookie and form carry
            "counts": {"workers": len(workers), "leaders": len(leaders)},
            "waits": {"workers": opts["worker_wait"], "leaders": opts["leader_wait"]},
            "workers": workers,
            "leaders": leaders,
            "regions": sorted(set(regions)),
            "period": previous_period(timezone.localdate()),
        }

    # --- the server and the load ---------------------------------------------------------------

    def _env(self, host: str) -> dict:
        return {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": os.environ["DATABASE_URL"],
            "CACHE_URL": os.environ["CACHE_URL"],
        }

    def _gunicorn(self, opts, host: str) -> subprocess.Popen:
        # As in production: DEBUG off serves the collected, hashed static files (WhiteNoise);
        # collecting again copies only what changed, and keeps the manifest current.
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
            cwd=ROOT,
            env=self._env(host),
            check=True,
        )
        command = [
            str(Path(sys.executable).with_name("gunicorn")),
            "eldercare.wsgi",
            "--bind",
            host,
            "--workers",
            str(opts["processes"]),
            "--threads",
            str(opts["threads"]),
            "--worker-class",
            "gthread",
            # Idle connections stay open longer than any simulated user thinks between clicks (a
            # proxy's keepalive_timeout does the same): with gunicorn's 2 s default the server
            # closes a connection just as the next request is sent on it, and the client sees a
            # reset that no real user behind the proxy would.
            "--keep-alive",
            "75",
            "--log-level",
            "warning",
        ]
        server = subprocess.Popen(command, cwd=ROOT, env=self._env(host))
        for _ in range(120):
            try:
                # Sent as the TLS proxy forwards it; without the header Django redirects to https.
                probe = urllib.request.Request(
                    f"http://{host}/accounts/login/", headers={"X-Forwarded-Proto": "https"}
                )
                urllib.request.urlopen(probe, timeout=2)  # noqa: S310 - our own server
                return server
            except OSError:
                if server.poll() is not None:
                    raise CommandError("gunicorn did not start") from None
                time.sleep(0.5)
        server.terminate()
        raise CommandError("gunicorn did not answer within 60 s")

    def _locust(self, opts, host: str, plan: Path, tmp: Path) -> list[dict]:
        users = opts["workers"] + opts["leaders"]
        command = [
            str(Path(sys.executable).with_name("locust")),
            "-f",
            str(ROOT / "tests" / "load" / "locustfile.py"),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(opts["spawn_rate"]),
            "--run-time",
            f"{opts['seconds']}s",
            "--host",
            f"http://{host}",
            "--csv",
            str(tmp / "load"),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ]
        self.stdout.write(f"locust: {users} users for {opts['seconds']} s against gunicorn at {host}")
        subprocess.run(command, cwd=ROOT, env={**os.environ, "LOAD_TEST_PLAN": str(plan)}, check=False)
        with open(tmp / "load_stats.csv", newline="") as f:
            return list(csv.DictReader(f))

    def _report(self, rows: list[dict], opts) -> None:
        self.stdout.write(
            f"\n{'request':<24}{'requests':>9}{'failures':>9}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
        )
        for row in rows:
            name = row["Name"] if row["Name"] != "Aggregated" else "all requests"
            self.stdout.write(
                f"{name:<24}{int(row['Request Count']):>9}{int(row['Failure Count']):>9}"
                f"{float(row['Requests/s']):>8.1f}{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}"
            )
        total = next(r for r in rows if r["Name"] == "Aggregated")
        rps, p95, failures = float(total["Requests/s"]), float(total["95%"]), int(total["Failure Count"])
        met = rps >= GOAL_RPS and p95 < GOAL_P95_MS and failures == 0
        self.stdout.write(
            f"\ngoal: p95 < {GOAL_P95_MS} ms at ≥ {GOAL_RPS} requests/s, no error — "
            f"{'met' if met else 'not met'} ({rps:.1f} req/s, p95 {p95:.0f} ms, {failures} errors)"
        )
