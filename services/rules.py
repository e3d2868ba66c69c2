"""Pure rules of visits: what a valid visit is, and the calendar of a period. No database."""

from __future__ import annotations

import calendar
import re
from datetime import date

from django.utils.translation import gettext as _

from .choices import Problem, VisitOutcome

PERIOD_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def parse_period(period: str) -> tuple[date, date]:
    """'2026-03' -> (2026-03-01, 2026-03-31); ValueError with a message otherwise."""
    found = PERIOD_RE.match(period or "")
    if not found:
        raise ValueError(_("A period is written YYYY-MM, e.g. 2026-03."))
    year, month = int(found.group(1)), int(found.group(2))
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def period_of(day: date) -> str:
    return f"{day:%Y-%m}"


def visit_errors(
    *,
    visit_day: date,
    today: date,
    registered_on: date | None,
    death_date: date | None,
    outcome: str,
    problems: list[str],
) -> dict[str, str]:
    """Every reason a visit cannot be recorded, keyed by field."""
    errors: dict[str, str] = {}
    if visit_day > today:
        errors["visited_at"] = _("A visit cannot be in the future.")
    elif registered_on and visit_day < registered_on:
        errors["visited_at"] = _("The visit is before the elder was registered (%(d)s).") % {
            "d": registered_on
        }
    elif death_date and visit_day > death_date:
        errors["visited_at"] = _("The visit is after the elder's death (%(d)s).") % {"d": death_date}
    unknown = [p for p in problems if p not in Problem.values]
    if unknown:
        errors["problems"] = _("Unknown problem codes: %(codes)s.") % {"codes": ", ".join(unknown)}
    elif outcome == VisitOutcome.PROBLEM and not problems:
        errors["problems"] = _("Say which problems were found.")
    elif outcome != VisitOutcome.PROBLEM and problems:
        errors["problems"] = _("Problems are recorded only with the outcome 'problem found'.")
    return errors
