"""What the plans app puts in the inbox: parts of tasks past their deadline."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from core.inbox import inbox_item
from regions.choices import Role

from . import selectors


@inbox_item(
    "tasks_overdue",
    label=_("Overdue plan tasks"),
    roles=(Role.CITY_ADMIN, Role.DEPARTMENT_STAFF),
    url="plans:units",
    order=60,
)
def tasks_overdue(user, on: date) -> int:
    return selectors.assignments_in_scope(user).filter(selectors.overdue_q(on)).count()
