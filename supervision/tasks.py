from celery import shared_task

from .services import flag_overdue


@shared_task(name="supervision.flag_overdue")
def flag_overdue_task() -> int:
    """Nightly: rectification orders past their deadline are flagged and warn the operator's credit."""
    return flag_overdue()
