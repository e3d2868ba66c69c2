from celery import shared_task

from core.periods import previous_period


@shared_task(name="homecare.settle_month")
def settle_month(period: str | None = None) -> dict:
    """Last month's statements (beat, on the 2nd): re-running settles nothing twice."""
    from .settlement import settle_month as run

    result = run(period=period or previous_period())
    return result.__dict__


@shared_task(name="homecare.escalate_calls")
def escalate_calls() -> int:
    from .calls import escalate_overdue

    return escalate_overdue()
