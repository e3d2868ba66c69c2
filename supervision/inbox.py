"""What supervision puts in the inbox: rectification orders past their deadline, the inspections
an officer is drawn for and has not recorded, the star applications waiting for their score."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from core.inbox import inbox_item
from regions.choices import Role

from . import selectors


@inbox_item(
    "rectification_overdue",
    label=_("Overdue rectification orders"),
    roles=(Role.DISTRICT_OFFICER, Role.CITY_ADMIN),
    url="supervision:home",
    suffix="?overdue=1#orders",
    order=60,
)
def rectification_overdue(user, on: date) -> int:
    return selectors.overdue_orders(user, on).count()


@inbox_item(
    "inspections_to_record",
    label=_("Inspections to record"),
    roles=(Role.DISTRICT_OFFICER, Role.STREET_OFFICER),
    url="supervision:home",
    suffix="#todo",
    order=70,
)
def inspections_to_record(user, on: date) -> int:
    return selectors.my_open_inspections(user).count()


@inbox_item(
    "star_applications_to_score",
    label=_("Star applications to score"),
    roles=(Role.DISTRICT_OFFICER, Role.STREET_OFFICER),
    url="supervision:stars",
    suffix="#to-score",
    order=80,
)
def star_applications_to_score(user, on: date) -> int:
    return selectors.my_star_evaluations(user).count()
