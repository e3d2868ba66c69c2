import time

from django.core.management.base import BaseCommand, CommandError

from core.periods import parse_period
from reports.services import compute_month


class Command(BaseCommand):
    help = "Compute a month's figures (visit rate, coverage, ...) for every region level. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("period", help="YYYY-MM")
        parser.add_argument("--rebuild-roster", action="store_true", help="re-freeze the month's target list")

    def handle(self, *args, period, rebuild_roster, **options):
        try:
            parse_period(period)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        started = time.perf_counter()
        result = compute_month(period, triggered_by="compute_monthly_stats", rebuild_roster=rebuild_roster)
        self.stdout.write(
            self.style.SUCCESS(
                f"{period}: {result.run.roster_size:,} elders on the visit list, {result.run.visits_counted:,} visited; "
                f"{result.written:,} figures written ({result.revised:,} revisions) in {time.perf_counter() - started:.1f} s."
            )
        )
