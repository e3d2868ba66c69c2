from celery import shared_task
from django.conf import settings

from .idempotency import purge_keys
from .partitions import ensure_partitions


@shared_task(name="eldercare.purge_idempotency_keys")
def purge_idempotency_keys_task() -> int:
    return purge_keys(older_than_days=settings.IDEMPOTENCY_KEY_DAYS)


@shared_task(name="eldercare.make_partitions")
def make_partitions_task() -> list[str]:
    """Monthly: the next months' partitions of visits, payments and the monthly figures, made
    ahead so no month's rows wait in a default partition (PostgreSQL; nothing on SQLite)."""
    return ensure_partitions()
