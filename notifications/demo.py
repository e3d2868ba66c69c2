"""The demo city's reminders: the morning's run, so every demo account opens an inbox with them."""

from __future__ import annotations

from django.utils import timezone

from elders.demo import STAFF, demo_seeder

from .models import Message
from .reminders import send_reminders


def _reset(elder_filter: dict) -> None:
    Message.objects.filter(recipient__username__in=[row[0] for row in STAFF]).delete()


# After the others have committed: the due lists and the returned applications are the demo's.
@demo_seeder("reminders", order=95, reset=_reset, after_commit=True)
def seed_reminders(*, seed: int, elder_filter: dict) -> int:
    return sum(send_reminders(timezone.localdate()).values())
