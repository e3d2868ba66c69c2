import logging

from celery import shared_task
from django.utils import timezone

from .services import queue_due_reassessments

logger = logging.getLogger(__name__)


@shared_task(name="assessments.queue_due_reassessments")
def queue_due_reassessments_task(within_days: int = 30) -> dict[str, int]:
    """Daily: results expiring within 30 days (and expired ones) go on the assessors' queue."""
    counts = queue_due_reassessments(on=timezone.localdate(), within_days=within_days)
    logger.info("re-assessments due: %d elders in %d streets", sum(counts.values()), len(counts))
    return counts
