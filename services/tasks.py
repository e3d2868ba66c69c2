from celery import shared_task

from .services import refresh_visit_status


@shared_task(name="services.refresh_visit_status")
def refresh_visit_status_task() -> dict:
    """Nightly: who is in the visit target group today (ages, expired assessments, pack changes),
    and each elder's last visits caught up from the visits themselves."""
    return refresh_visit_status()
