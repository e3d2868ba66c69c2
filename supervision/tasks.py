from celery import shared_task

from .services import flag_overdue, flag_overdue_complaints


@shared_task(name="supervision.flag_overdue")
def flag_overdue_task() -> int:
    """Nightly: complaints and rectification orders past their deadline are flagged; overdue orders
    warn the operator's credit."""
    flag_overdue_complaints()
    return flag_overdue()
