"""What the subsidies app puts in the inbox: returned applications, reviews, rolls to approve."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from core.inbox import inbox_item
from regions.choices import Role

from . import selectors


@inbox_item(
    "applications_returned",
    label=_("Returned applications"),
    roles=(Role.COMMUNITY_WORKER,),
    url="subsidies:applications",
    suffix="?status=returned",
    order=30,
)
def applications_returned(user, on: date) -> int:
    return selectors.returned_applications(user).count()


@inbox_item(
    "applications_to_review",
    label=_("Applications to review"),
    roles=(Role.STREET_OFFICER, Role.DISTRICT_OFFICER, Role.CITY_ADMIN),
    url="subsidies:review-queue",
    order=40,
)
def applications_to_review(user, on: date) -> int:
    return selectors.review_queue(user).count()


@inbox_item(
    "rolls_to_approve",
    label=_("Payment rolls to approve"),
    roles=(Role.CITY_ADMIN, Role.DISTRICT_OFFICER),
    url="subsidies:batches",
    suffix="?status=draft",
    order=50,
)
def rolls_to_approve(user, on: date) -> int:
    return selectors.rolls_to_approve(user).count()
