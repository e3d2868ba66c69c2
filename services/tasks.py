from celery import shared_task

from .services import refresh_visit_status


@shared_task(name="services.refresh_visit_status")
def refresh_visit_status_task(visits: bool = True, under: str = "") -> dict:
    """Nightly: who is in the visit target group today (ages, expired assessments, pack changes),
    and each elder's last visits caught up from the visits themselves. Also queued when a pack or a
    visit rule changes, for the cities of its region (`under`, a code prefix)."""
    return refresh_visit_status(visits=visits, under=under)
