"""The portal under a working day's load (`python manage.py load_test` runs it; see there).

200 community workers open their inbox (my elders), the month's due list and elder files and
record visits; 20 leaders open the dashboard. Every simulated person is a real account of the
benchmark city with a session made for it beforehand (no login storm), and talks to gunicorn the
way a TLS proxy would forward it (X-Forwarded-Proto: https)."""

from __future__ import annotations

import itertools
import json
import os
import random
from datetime import datetime, timedelta, timezone

from locust import HttpUser, between, task

PLAN = json.loads(open(os.environ["LOAD_TEST_PLAN"]).read())
CST = timezone(timedelta(hours=8))  # Asia/Shanghai: the form takes a local time
_workers = itertools.cycle(PLAN["workers"])
_leaders = itertools.cycle(PLAN["leaders"])


class _Portal(HttpUser):
    abstract = True

    def sign_in(self, account: dict) -> None:
        self.account = account
        self.client.cookies.set("sessionid", account["session"])
        self.client.cookies.set("csrftoken", PLAN["csrf"])
        self.client.headers.update(
            {"X-Forwarded-Proto": "https", "Origin": f"https://{PLAN['host']}", "Accept-Language": "zh-hans"}
        )


class CommunityWorker(_Portal):
    fixed_count = PLAN["counts"]["workers"]
    wait_time = between(*PLAN["waits"]["workers"])

    def on_start(self) -> None:
        self.sign_in(next(_workers))

    @task(3)
    def inbox(self) -> None:
        self.client.get("/", name="inbox (my elders)")

    @task(3)
    def due_list(self) -> None:
        self.client.get("/visits/due/", name="due list")

    @task(3)
    def elder_file(self) -> None:
        self.client.get(f"/elders/{random.choice(self.account['elders'])}/", name="elder file")

    @task(1)
    def record_visit(self) -> None:
        elder = random.choice(self.account["elders"])
        self.client.get(f"/visits/new/{elder}/", name="visit form")
        with self.client.post(
            f"/visits/new/{elder}/",
            data={
                "csrfmiddlewaretoken": PLAN["csrf"],
                "visited_at": (datetime.now(CST) - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
                "method": random.choice(("home", "phone", "video")),
                "outcome": "normal",
                "notes": "load test",
            },
            name="record a visit",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"not recorded: HTTP {response.status_code}")


class Leader(_Portal):
    fixed_count = PLAN["counts"]["leaders"]
    wait_time = between(*PLAN["waits"]["leaders"])

    def on_start(self) -> None:
        self.sign_in(next(_leaders))

    @task
    def dashboard(self) -> None:
        region = random.choice(PLAN["regions"])
        self.client.get(f"/dashboard/?region={region}&period={PLAN['period']}", name="dashboard")
