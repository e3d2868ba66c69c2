from celery import shared_task
from django.utils import timezone

from core.periods import previous_period

from .disbursement import record_period_checks, run_disbursement, run_roll
from .services import close_notices, enrol_and_stop


@shared_task(name="subsidies.run_disbursement")
def run_disbursement_task(period: str | None = None) -> dict:
    """On the 1st: last month's payment roll (the same service as the command)."""
    result = run_disbursement(period=period or previous_period())
    checks = record_period_checks(result.period)
    return {"period": result.period, "payments": result.payments, "batches": result.batches, "checks": checks}


@shared_task(name="subsidies.close_notices")
def close_notices_task() -> int:
    """Daily: applications whose public notice ended are approved."""
    return close_notices(on=timezone.localdate())


@shared_task(name="subsidies.enrol_and_stop")
def enrol_and_stop_task() -> dict:
    """Daily: automatic enrolment and stops for lost eligibility."""
    return enrol_and_stop(on=timezone.localdate())


@shared_task(name="subsidies.run_roll")
def run_roll_task(run_id: int) -> dict:
    """A roll run asked for from the pages (subsidies.disbursement.request_roll)."""
    run = run_roll(run_id)
    return {"run": run.pk, "status": run.status, "payments": run.payments, "checks": run.checks}
