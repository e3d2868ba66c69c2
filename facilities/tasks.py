"""Daily wait-list upkeep: entries of elders who died or moved leave the list; tiers follow the registry."""

from celery import shared_task


@shared_task(name="facilities.update_waitlists")
def update_waitlists() -> dict:
    from .services import close_departed_entries, recompute_tiers

    return {"left": close_departed_entries(), "moved": recompute_tiers()}
