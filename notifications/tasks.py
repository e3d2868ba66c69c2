import logging
from datetime import date

from celery import shared_task
from django.utils import timezone

from .reminders import send_reminders

logger = logging.getLogger(__name__)


@shared_task(name="notifications.send_reminders")
def send_reminders_task(on: str | None = None) -> dict[str, int]:
    """Daily, in the morning: the day's reminders (idempotent per recipient, kind and day)."""
    day = date.fromisoformat(on) if on else timezone.localdate()
    counts = send_reminders(day)
    logger.info("reminders for %s: %s", day, counts)
    return counts
