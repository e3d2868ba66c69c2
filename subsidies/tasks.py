from celery import shared_task
from django.utils import timezone

from core.periods import previous_period

from .disbursement import run_disbursement
from .services import close_notices, enrol_and_stop


@shared_task(name="subsidies.run_disbursement")
def run_disbursement_task(period: str | None = None) -> dict:
    """On the 1st: last month's payment roll (the same service as the command)."""
    result = run_disbursement(period=period or previous_period())
    return {"period": result.period, "payments": result.payments, "batches": result.batches}


@shared_task(name="subsidies.close_notices")
def close_notices_task() -> int:
    """Daily: applications whose public notice ended are approved."""
    return close_notices(on=timezone.localdate())


@shared_task(name="subsidies.enrol_and_stop")
def enrol_and_stop_task() -> dict:
    """Daily: automatic enrolment and stops for lost eligibility."""
    return enrol_and_stop(on=timezone.localdate())
