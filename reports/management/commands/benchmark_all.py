"""Every benchmark in one run and one table: each figure, the baseline measured in the same run
(a trivial page, or the minimal raw SQL for the same result) and the ratio, next to the goal of
issue 18. `--save` keeps the figures as JSON; `--growth-from` that file, made on a smaller city,
adds how much each figure grew."""

from __future__ import annotations

import json
import statistics
import time
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from assessments.management.commands.benchmark_assessments import RAW as RAW_ASSESSMENTS
from assessments.selectors import due_assessments
from core.periods import current_period, period_bounds, previous_period
from eldercare.benchmarking import Figure, Pages, median_ms, median_rolled_back_ms, print_figures
from elders.models import Elder
from facilities.management.commands.benchmark_facilities import RAW_FACILITIES, RAW_GRADES
from facilities.selectors import standards_report
from reports.benchmark import bench_scheme, empty_month_roster, ensure_city
from reports.management.commands.benchmark_reports import cross_check, raw_aggregates
from reports.services import compute_month
from services.management.commands.benchmark_visits import RAW as RAW_DUE
from services.models import Visit
from services.selectors import due_list
from subsidies.disbursement import run_disbursement
from subsidies.management.commands.benchmark_disbursement import RAW_BATCHES, RAW_PAYMENTS

COMMUNITY = "330302006044"  # the demo worker's community (五马街道)
STREET = "330302006000"


class Command(BaseCommand):
    help = (
        "Build (or reuse) the synthetic city of N elders and print one table of every benchmark figure: "
        "pages against a trivial page, queries against the minimal raw SQL for the same result, "
        "each with the ratio and the goal. PostgreSQL only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--elders", type=int, default=200_000)
        parser.add_argument("--facilities", type=int, default=10_000)
        parser.add_argument("--residents", type=int, default=300_000)
        parser.add_argument("--entitlements", type=int, default=300_000)
        parser.add_argument("--repeat", type=int, default=7, help="timed runs per figure (median)")
        parser.add_argument(
            "--heavy-repeat", type=int, default=3, help="timed runs of the monthly job and the roll"
        )
        parser.add_argument("--save", type=Path, help="write the figures to this JSON file")
        parser.add_argument(
            "--growth-from", type=Path, help="figures saved by an earlier run on a smaller city"
        )
        parser.add_argument("--only", nargs="*", default=None, help="groups to run (default: all)")

    def handle(self, *args, elders, facilities, residents, entitlements, repeat, heavy_repeat, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Benchmarks are meant for PostgreSQL: set DATABASE_URL.")
        residents = min(residents, elders // 2)
        ensure_city(
            elders=elders,
            facilities=facilities,
            residents=residents,
            entitlements=entitlements,
            out=self.stdout,
        )
        only = set(options["only"] or [])
        started = time.perf_counter()
        figures: list[Figure] = []
        for name, fn in (
            ("pages", lambda: self.pages(repeat)),
            ("due list", lambda: self.due(repeat)),
            ("monthly job", lambda: self.monthly(heavy_repeat)),
            ("disbursement", lambda: self.disbursement(heavy_repeat)),
            ("assessments", lambda: self.assessments(repeat)),
            ("facilities", lambda: self.facilities(max(3, repeat // 2))),
        ):
            if not only or name in only:
                figures += fn()
        self.stdout.write(
            f"\nelders {Elder.objects.count():,}; visits {Visit.objects.count():,}; "
            f"median of {repeat} runs (monthly job and roll: {heavy_repeat}); "
            f"measured in {time.perf_counter() - started:.0f} s\n"
        )
        growth = None
        if options["growth_from"]:
            before = json.loads(options["growth_from"].read_text())
            then = {f"{f['group']}/{f['label']}": f["ms"] for f in before["figures"]}
            growth = {
                f"{f.group}/{f.label}": f.ms / then[f"{f.group}/{f.label}"]
                for f in figures
                if then.get(f"{f.group}/{f.label}")
            }
            self.stdout.write(f"growth: against {before['elders']:,} elders ({options['growth_from']})")
        print_figures(self.stdout, figures, growth=growth)
        if options["save"]:
            options["save"].write_text(
                json.dumps(
                    {"elders": Elder.objects.count(), "figures": [f.as_dict() for f in figures]},
                    ensure_ascii=False,
                    indent=1,
                )
            )

    # --- pages against a trivial page ----------------------------------------------------------

    def pages(self, repeat: int) -> list[Figure]:
        User = get_user_model()
        pages = Pages(repeat)
        users = {
            name: pages.client(User.objects.get(username=name))
            for name in ("admin", "leader", "city", "street")
        }
        period = previous_period(timezone.localdate())
        elder = Elder.objects.filter(residence_id=COMMUNITY, status="registered").order_by("pk").first()
        g = "pages"
        return [
            # What any page of a signed-in account costs before its own work (session read and
            # renewed, account, permissions, role): the floor under every figure below.
            pages.figure(
                g, "signed-in floor: password form (leader)", users["leader"], "/accounts/password/"
            ),
            pages.figure(
                g, "dashboard, city", users["leader"], f"/dashboard/?region=330300000000&period={period}", 5
            ),
            pages.figure(
                g,
                "dashboard, one community",
                users["leader"],
                f"/dashboard/?region={COMMUNITY}&period={period}",
                5,
            ),
            pages.figure(g, "due list page, whole city, first page", users["city"], "/visits/due/", 10),
            pages.figure(g, "due list page, one street", users["street"], "/visits/due/"),
            pages.figure(
                g, "admin elder list, whole city (superuser)", users["admin"], "/admin/elders/elder/", 10
            ),
            pages.figure(g, "admin elder list, page 50", users["admin"], "/admin/elders/elder/?p=50", 10),
            pages.figure(g, "admin elder list, name search", users["admin"], "/admin/elders/elder/?q=王", 10),
            pages.figure(
                g,
                "admin elder list, street + status filter",
                users["admin"],
                f"/admin/elders/elder/?region={STREET}&status__exact=registered",
                10,
            ),
            pages.figure(g, "admin elder list (street officer)", users["street"], "/admin/elders/elder/", 10),
            pages.figure(g, "worker home: my elders (street officer)", users["street"], "/"),
            pages.figure(g, "elder file (street officer)", users["street"], f"/elders/{elder.pk}/"),
            pages.figure(g, "API elder list (superuser)", users["admin"], "/api/v1/elders/"),
            pages.figure(g, "API visit list (street officer)", users["street"], "/api/v1/visits/"),
        ]

    # --- the visit due list against raw SQL ----------------------------------------------------

    def due(self, repeat: int) -> list[Figure]:
        User = get_user_model()
        period = current_period()
        _first, last, start, end = period_bounds(period)
        on = min(last, timezone.localdate())
        out = []
        for label, username in (("one community", "worker"), ("whole city", "city")):
            user = User.objects.get(username=username)
            prefix = user.staff_profile.region.prefix
            qs = due_list(user, period)
            params = {"on": on, "start": start, "end": end, "prefix": prefix + "%"}

            def raw(limit, params=params):
                def run():
                    with connection.cursor() as cursor:
                        sql = (
                            f"SELECT count(*) FROM ({RAW_DUE}) q"
                            if limit is None
                            else f"{RAW_DUE} LIMIT {limit}"
                        )
                        cursor.execute(sql, params)
                        return cursor.fetchall()

                return run

            goal = 2 if label == "one community" else None
            if label == "one community":
                out.append(
                    Figure(
                        "due list",
                        f"{label}: count",
                        median_ms(lambda qs=qs: qs.count(), repeat),
                        "raw SQL, same count",
                        median_ms(raw(None), repeat),
                        goal,
                    )
                )
            out.append(
                Figure(
                    "due list",
                    f"{label}: first page (31 rows)",
                    median_ms(lambda qs=qs: list(qs[:31]), repeat),
                    "raw SQL, same rows",
                    median_ms(raw(31), repeat),
                    goal,
                )
            )
        return out

    # --- the monthly job against the raw-SQL aggregates ----------------------------------------

    def monthly(self, repeat: int) -> list[Figure]:
        period = previous_period(timezone.localdate())
        first, _last, _start, _end = period_bounds(period)
        bench_scheme(first)
        raw_ms = median_ms(lambda: raw_aggregates(period), repeat)

        def first_run():
            empty_month_roster(period)
            t = time.perf_counter()
            compute_month(period, triggered_by="benchmark", rebuild_roster=True)
            return (time.perf_counter() - t) * 1000

        first_ms = statistics.median(first_run() for _ in range(repeat))
        rerun_ms = median_ms(lambda: compute_month(period, triggered_by="benchmark"), repeat)
        for line in cross_check(period)[:10]:
            self.stdout.write(f"the raw SQL differs from the job: {line}")
        base = "raw SQL, same figures"
        return [
            Figure(
                "monthly job",
                f"compute_month {period}, first run (freezes the list)",
                first_ms,
                base,
                raw_ms,
                1.5,
            ),
            Figure("monthly job", f"compute_month {period}, re-run", rerun_ms, base, raw_ms),
        ]

    # --- the month's payment roll against the raw INSERT ... SELECT -----------------------------

    def disbursement(self, repeat: int) -> list[Figure]:
        period = current_period()

        def raw():
            with connection.cursor() as cursor:
                cursor.execute(RAW_BATCHES, {"period": period})
                cursor.execute(RAW_PAYMENTS, {"period": period})

        return [
            Figure(
                "disbursement",
                f"run_disbursement {period} (rolled back)",
                median_rolled_back_ms(lambda: run_disbursement(period=period), repeat),
                "raw INSERT … SELECT",
                median_rolled_back_ms(raw, repeat),
            )
        ]

    # --- the other due lists and reports -------------------------------------------------------

    def assessments(self, repeat: int) -> list[Figure]:
        today = timezone.localdate()
        limit = today + timedelta(days=30)
        due = due_assessments(today)

        def raw(sql):
            def run():
                with connection.cursor() as cursor:
                    cursor.execute(sql, {"limit": limit})
                    return cursor.fetchall()

            return run

        return [
            Figure(
                "assessments",
                "re-assessment due list, whole city: count",
                median_ms(lambda: due.count(), repeat),
                "raw SQL, same count",
                median_ms(raw(f"SELECT count(*) FROM ({RAW_ASSESSMENTS}) q"), repeat),
            ),
            Figure(
                "assessments",
                "re-assessment due list, first page (51 rows)",
                median_ms(lambda: list(due[:51]), repeat),
                "raw SQL, same rows",
                median_ms(raw(RAW_ASSESSMENTS + " LIMIT 51"), repeat),
            ),
        ]

    def facilities(self, repeat: int) -> list[Figure]:
        today = timezone.localdate()
        city = get_user_model().objects.get(username="city")

        def raw():
            with connection.cursor() as cursor:
                cursor.execute(RAW_FACILITIES)
                cursor.fetchall()
                cursor.execute(RAW_GRADES, {"on": today})
                cursor.fetchall()

        return [
            Figure(
                "facilities",
                "standards report, every facility and rule",
                median_ms(lambda: standards_report(city, today, only_failing=False), repeat),
                "raw SQL, same aggregates",
                median_ms(raw, repeat),
            )
        ]
