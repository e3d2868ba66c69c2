"""The one notification service: every reminder is recorded here and sent through the gateway."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from . import rules
from .backends import get_backend
from .choices import Channel, MessageStatus
from .models import Message


@dataclass(frozen=True)
class Draft:
    recipient_id: int
    kind: str
    text: str
    phone: str = ""
    link: str = ""


def notify(drafts: Iterable[Draft], *, on: date) -> int:
    """Record each draft once for its recipient, kind and day, then send the ones not yet sent.

    Set-based: one insert that skips what the day already holds (the unique constraint decides,
    so two runs at once cannot both add), then the day's waiting messages, locked so that a
    second run does not send them too, go to the gateway; a message without a phone number is
    recorded for the inbox only. Returns how many messages were delivered (sent or recorded).
    """
    rows = [
        Message(
            recipient_id=d.recipient_id,
            kind=d.kind,
            day=on,
            channel=Channel.SMS if d.phone else Channel.INBOX,
            phone=d.phone,
            text=rules.safe_text(d.text)[:500],
            link=d.link,
        )
        for d in drafts
    ]
    if rows:
        Message.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return deliver(on)


def deliver(on: date) -> int:
    """Send the day's waiting messages (also those a failed run left waiting)."""
    with transaction.atomic():
        waiting = list(
            Message.objects.select_for_update(skip_locked=True).filter(day=on, status=MessageStatus.PENDING)
        )
        sms = [m for m in waiting if m.channel == Channel.SMS]
        inbox_only = [m for m in waiting if m.channel != Channel.SMS]
        if sms:
            get_backend().send(sms)
        if inbox_only:
            from .backends import DatabaseBackend

            DatabaseBackend().send(inbox_only)
        Message.objects.bulk_update(waiting, ["status", "sent_at", "error"], batch_size=1000)
    return sum(1 for m in waiting if m.status in (MessageStatus.SENT, MessageStatus.RECORDED))
