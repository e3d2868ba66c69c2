from celery import shared_task
from django.conf import settings

from .idempotency import purge_keys


@shared_task(name="eldercare.purge_idempotency_keys")
def purge_idempotency_keys_task() -> int:
    return purge_keys(older_than_days=settings.IDEMPOTENCY_KEY_DAYS)
