"""Worker pages and the dashboard on a slow network, as a field worker's phone loads them.

Runs the portal in production settings (DEBUG off, collected and compressed static files
served by WhiteNoise, gunicorn) on a free local port, and loads each page in Debian's
Chromium with the network throttled to "slow 3G" (400 kbit/s, 400 ms round trip) through
the DevTools protocol. Each page is loaded twice in a fresh browser context with the
account's session: first load (empty cache) and a repeat load (cache warm). Prints bytes on
the wire (headers included, as Chromium counts them) and seconds until the load event.
Figures for a report, not a test: nothing here passes or fails.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core.periods import current_period, previous_period
from elders.demo import DEMO_PASSWORD, seed
from elders.models import Elder
from reports.models import MonthlyStat
from reports.services import compute_month
from services.selectors import due_list

CHROMIUM = "/usr/bin/chromium"
SLOW_3G = {"latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pages() -> list[tuple[str, str, str]]:
    """(label, account, path) of every page measured; elders are the demo's own."""
    worker = get_user_model().objects.get(username="worker")
    elder = due_list(worker, current_period()).first() or Elder.objects.filter(
        residence__code__startswith="330302006044"
    ).first()
    if elder is None:
        raise CommandError("The demo has no elder in the worker's community; run seed_demo first.")
    return [
        ("login", "", "/accounts/login/"),
        ("home (my elders)", "worker", "/"),
        ("due visits", "worker", "/visits/due/"),
        ("visit form", "worker", f"/visits/new/{elder.pk}/"),
        ("my visits", "worker", "/visits/mine/"),
        ("registration", "worker", "/elders/new/"),
        ("elder file", "worker", f"/elders/{elder.pk}/"),
        ("assessments due", "assessor", "/assessments/due/"),
        ("assessment form", "assessor", f"/assessments/new/{elder.pk}/"),
        ("dashboard", "leader", "/dashboard/"),
    ]


class Command(BaseCommand):
    help = "Bytes and slow-3G seconds of each worker page and the dashboard, in production settings."

    def add_arguments(self, parser):
        parser.add_argument("--elders", type=int, default=2_000, help="demo size if none is seeded yet")
        parser.add_argument("--no-throttle", action="store_true", help="measure on the plain loopback")

    def handle(self, *args, elders, no_throttle, **options):
        if not Path(CHROMIUM).exists():
            raise CommandError("Debian's chromium is needed (apt-get install chromium).")
        self._prepare(elders)
        pages = _pages()
        port = _free_port()
        env = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": "benchmark-only-" + "x" * 60,
            "ALLOWED_HOSTS": "localhost,127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "DATABASE_URL": os.environ.get("DATABASE_URL", ""),
        }
        base = Path(settings.BASE_DIR)
        static_root = Path(tempfile.mkdtemp(prefix="bench-static-"))
        env["STATIC_ROOT"] = str(static_root)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=base, env=env, check=True
        )
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "eldercare.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
            cwd=base,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            url = f"http://localhost:{port}"
            self._wait(url)
            rows = self._measure(url, pages, throttle=not no_throttle)
        finally:
            server.terminate()
            server.wait(timeout=30)
        net = "loopback" if no_throttle else "slow 3G (400 kbit/s, 400 ms)"
        self.stdout.write(f"Pages in production settings, {net}; bytes on the wire incl. headers.")
        self.stdout.write(f"{'page':<20} {'first KB':>9} {'first s':>8} {'repeat KB':>10} {'repeat s':>9}  requests")
        for label, first, repeat in rows:
            self.stdout.write(
                f"{label:<20} {first['bytes'] / 1000:>9.1f} {first['seconds']:>8.2f} "
                f"{repeat['bytes'] / 1000:>10.1f} {repeat['seconds']:>9.2f}  {first['requests']}"
            )

    def _prepare(self, elders: int) -> None:
        seed(elders=elders)
        last = previous_period()
        if not MonthlyStat.objects.filter(period=last).exists():
            compute_month(last)

    def _wait(self, url: str) -> None:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/accounts/login/", timeout=2)
                return
            except OSError:
                time.sleep(0.2)
        raise CommandError("the benchmark server did not start")

    def _measure(self, url: str, pages, *, throttle: bool):
        from playwright.sync_api import sync_playwright

        rows = []
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
            )
            states = {}
            for account in {a for _, a, _ in pages if a}:
                ctx = browser.new_context()
                page = ctx.new_page()
                page.goto(url + "/accounts/login/")
                page.fill("#id_username", account)
                page.fill("#id_password", DEMO_PASSWORD)
                page.click("main button[type=submit]")
                page.wait_for_load_state()
                if "/accounts/login/" in page.url:
                    raise CommandError(f"could not log in as {account}")
                states[account] = ctx.storage_state()
                ctx.close()
            for label, account, path in pages:
                ctx = browser.new_context(storage_state=states.get(account))
                page = ctx.new_page()
                first = _load(ctx, page, url + path, throttle)
                repeat = _load(ctx, page, url + path, throttle)
                rows.append((label, first, repeat))
                ctx.close()
            browser.close()
        return rows


def _load(ctx, page, url: str, throttle: bool) -> dict:
    """One navigation: bytes Chromium received for it (until the network is idle) and the
    seconds until the load event."""
    cdp = ctx.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
    if throttle:
        cdp.send("Network.emulateNetworkConditions", {"offline": False, **SLOW_3G})
    received = {"bytes": 0, "requests": 0}

    def finished(event):
        received["bytes"] += event.get("encodedDataLength", 0)
        received["requests"] += 1

    cdp.on("Network.loadingFinished", finished)
    start = time.perf_counter()
    page.goto(url, wait_until="load")
    seconds = time.perf_counter() - start
    page.wait_for_load_state("networkidle")
    cdp.detach()
    return {"bytes": received["bytes"], "seconds": seconds, "requests": received["requests"]}
