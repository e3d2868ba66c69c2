from celery import shared_task

from .services import fill_name_initials


@shared_task(name="elders.fill_name_initials")
def fill_name_initials_task() -> int:
    """Nightly: the pinyin initials of files written in bulk (loads, exchanges) since."""
    return fill_name_initials()
