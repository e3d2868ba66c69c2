from django.core.management.base import BaseCommand, CommandError

from core.periods import parse_period
from subsidies.disbursement import record_period_checks, run_disbursement


class Command(BaseCommand):
    help = "Create a month's subsidy payments (pending approval), with arrears. Running it twice changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="YYYY-MM")
        parser.add_argument("--region", help="code prefix of a region (default: all)")

    def handle(self, *args, period, region, **options):
        try:
            parse_period(period)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        result = run_disbursement(period=period, region_code=region)
        checks = record_period_checks(period)
        self.stdout.write(
            self.style.SUCCESS(
                f"{period}: {result.payments:,} payments in {result.batches} batches; "
                f"{result.stopped} entitlements stopped by registry changes; "
                f"{checks:,} cross-checks to decide before approval."
            )
        )
