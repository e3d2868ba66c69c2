from celery import shared_task

from .services import purge_expired


@shared_task(name="audit.purge_expired")
def purge_expired_task() -> int:
    return purge_expired()
