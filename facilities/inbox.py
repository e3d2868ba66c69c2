"""What the facilities app puts in a facility account's inbox: offers to admit, applicants waiting."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Max, Min
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.inbox import inbox_item
from regions.choices import Role

from . import selectors
from .choices import WaitlistStatus


def _count_and_link(user, status: str) -> tuple[int, str]:
    # One query: how many, and whether they are all at one facility (then its page is the list).
    found = selectors.managed_waitlist(user, status).aggregate(
        n=Count("id"), first=Min("facility_id"), last=Max("facility_id")
    )
    if found["n"] and found["first"] == found["last"]:
        return found["n"], reverse("facilities:detail", args=[found["first"]]) + "#waitlist"
    return found["n"], reverse("facilities:list")


@inbox_item(
    "waitlist_offers",
    label=_("Bed offers to admit"),
    roles=(Role.PROVIDER_STAFF,),
    url="facilities:list",
    order=10,
)
def waitlist_offers(user, on: date) -> tuple[int, str]:
    return _count_and_link(user, WaitlistStatus.OFFERED)


@inbox_item(
    "waitlist_waiting",
    label=_("Applicants waiting for a bed"),
    roles=(Role.PROVIDER_STAFF,),
    url="facilities:list",
    order=20,
)
def waitlist_waiting(user, on: date) -> tuple[int, str]:
    return _count_and_link(user, WaitlistStatus.WAITING)
