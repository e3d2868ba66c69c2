"""Shared by the benchmark commands: medians of repeated runs after a warm-up, the synthetic
city they all measure, and the one table every figure is printed in (time, baseline, ratio)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext


def samples_ms(fn: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm caches and connections
    return statistics.median(samples_ms(fn, repeat))


# A page's figure and its baseline are timed in this many alternating blocks (Pages.figure).
ROUNDS = 3


class _Rollback(Exception):
    pass


def median_rolled_back_ms(fn: Callable[[], object], repeat: int) -> float:
    """Median of runs that each write and are rolled back, so every run starts from the same data."""
    samples = []
    for _ in range(repeat):
        try:
            with transaction.atomic():
                start = time.perf_counter()
                fn()
                samples.append((time.perf_counter() - start) * 1000)
                raise _Rollback
        except _Rollback:
            pass
    return statistics.median(samples)


@dataclass
class Figure:
    """One measured figure next to the baseline measured in the same run."""

    group: str
    label: str
    ms: float
    baseline: str
    baseline_ms: float
    goal: float | None = None  # the largest ratio the goals table allows, if it names one
    queries: int | None = None

    @property
    def ratio(self) -> float:
        return self.ms / self.baseline_ms if self.baseline_ms else float("inf")

    def as_dict(self) -> dict:
        return {**asdict(self), "ratio": self.ratio}


def print_figures(out, figures: list[Figure], *, growth: dict[str, float] | None = None) -> None:
    """One table: each figure, its baseline, the ratio, the goal (and its growth from a smaller city)."""
    head = f"{'figure':<58}{'ms':>10}  {'baseline':<28}{'ms':>9}{'ratio':>8}{'goal':>7}{'queries':>9}"
    if growth is not None:
        head += f"{'growth':>9}"
    out.write(head)
    out.write("-" * len(head))
    group = None
    for f in figures:
        if f.group != group:
            group = f.group
            out.write(f"[{group}]")
        line = (
            f"  {f.label:<56}{f.ms:>10.1f}  {f.baseline:<28}{f.baseline_ms:>9.1f}{f.ratio:>7.2f}×"
            f"{(f'≤{f.goal:g}×' if f.goal else ''):>7}{(f.queries if f.queries is not None else ''):>9}"
        )
        if growth is not None:
            g = growth.get(f"{f.group}/{f.label}")
            line += f"{(f'{g:.1f}×' if g is not None else ''):>9}"
        if f.goal and f.ratio > f.goal:
            line += "  (over goal)"
        out.write(line)


class Pages:
    """Timed GETs through Django's test client, with the queries of one request counted."""

    def __init__(self, repeat: int):
        self.repeat = repeat
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        self.anon = Client()

    def client(self, user) -> Client:
        c = Client()
        c.force_login(user)
        return c

    def figure(self, group: str, label: str, client: Client, url: str, goal: float | None = None) -> Figure:
        """The page's median time next to the login form's, measured in alternating blocks
        (ROUNDS of each, the login form first): this machine's speed drifts over a run by as much
        as the pages differ, so a baseline measured once at the start is not the same run's."""

        def call():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        def login():
            self.anon.get("/accounts/login/")

        call()
        with CaptureQueriesContext(connection) as queries:
            call()
        count = len(queries.captured_queries)  # read now: the log is a window that later requests clear
        login()
        per_round = -(-self.repeat // ROUNDS)
        pages, baseline = [], []
        for _ in range(ROUNDS):
            baseline += samples_ms(login, max(per_round, 5))
            pages += samples_ms(call, per_round)
        return Figure(
            group,
            label,
            statistics.median(pages),
            "trivial page (login form)",
            statistics.median(baseline),
            goal,
            count,
        )
