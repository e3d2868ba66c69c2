"""What the services app puts in the inbox: the month's due visits and overdue follow-ups."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from core.inbox import inbox_item
from core.periods import period_of
from regions.choices import Role

from . import selectors


@inbox_item(
    "visits_due",
    label=_("Visits due this month"),
    roles=(Role.COMMUNITY_WORKER,),
    url="services:due",
    order=10,
)
def visits_due(user, on: date) -> int:
    return selectors.due_list(user, period_of(on)).count()


@inbox_item(
    "follow_ups_overdue",
    label=_("Overdue follow-ups"),
    roles=(Role.COMMUNITY_WORKER, Role.STREET_OFFICER),
    url="services:follow-ups",
    suffix="?overdue=1",
    order=20,
)
def follow_ups_overdue(user, on: date) -> int:
    return selectors.overdue_follow_ups(user, on).count()
