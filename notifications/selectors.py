"""The inbox: the role's counts of waiting work (declared by each app, core.inbox) and the
account's own messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from core.inbox import InboxItem, items_for
from core.scope import restrict
from regions.scope import user_role

from .models import Message

MESSAGES_SHOWN = 20


@dataclass(frozen=True)
class Entry:
    item: InboxItem
    count: int
    href: str

    @property
    def label(self):
        return self.item.label

    @property
    def key(self) -> str:
        return self.item.key


def inbox(user, on: date | None = None) -> list[Entry]:
    """Each kind of work waiting for the account's role, with how many and where they are listed:
    one query per kind (a role has two or three), whatever the data."""
    on = on or timezone.localdate()
    entries = []
    for item in items_for(user_role(user)):
        found = item.count(user, on)
        count, href = found if isinstance(found, tuple) else (found, item.href())
        entries.append(Entry(item=item, count=count, href=href))
    return entries


def _badge_key(user) -> str:
    return f"inbox-badge:{user.pk}"


def badge_total(user) -> int:
    """The navigation badge: everything waiting for the account, kept briefly per account (the
    due-visit count walks a community's elders; a badge a minute old is good enough)."""
    total = cache.get(_badge_key(user))
    if total is None:
        total = sum(entry.count for entry in inbox(user))
        cache.set(_badge_key(user), total, settings.INBOX_BADGE_SECONDS)
    return total


def remember_total(user, entries: list[Entry]) -> int:
    """The inbox page has just counted: the badge shows the same number."""
    total = sum(entry.count for entry in entries)
    cache.set(_badge_key(user), total, settings.INBOX_BADGE_SECONDS)
    return total


def messages_for(user) -> QuerySet[Message]:
    """The account's own reminders, newest first."""
    return restrict(Message.objects.filter(recipient=user), user).order_by("-created_at", "-id")
