"""What the assessments app puts in the assessor's inbox: requests, and "待我确认"."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from core.inbox import inbox_item
from regions.choices import Role

from . import selectors


@inbox_item(
    "assessment_requests",
    label=_("Assessment requests"),
    roles=(Role.ASSESSOR,),
    url="assessments:due",
    suffix="#queue",
    order=10,
)
def assessment_requests(user, on: date) -> int:
    return selectors.open_requests(user).count()


@inbox_item(
    "awaiting_my_confirmation",
    label=_("Awaiting my confirmation"),
    roles=(Role.ASSESSOR,),
    url="assessments:due",
    suffix="?mine=1#awaiting",
    order=20,
)
def awaiting_my_confirmation(user, on: date) -> int:
    return selectors.awaiting_my_confirmation(user).count()
