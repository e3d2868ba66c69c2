"""Pure rules of visits: what a valid visit is, and the calendar of a period. No database."""

from __future__ import annotations

import calendar
import re
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


# --- unified social credit code (GB 32100-2015) ---------------------------------------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_character(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_error(code: str) -> str | None:
    """Why a unified social credit code is impossible, or None when it is well-formed."""
    value = code.strip().upper()
    if len(value) != 18:
        return _("A unified social credit code has 18 characters; this one has %(n)d.") % {"n": len(value)}
    bad = sorted({c for c in value if c not in USCC_ALPHABET})
    if bad:
        return _("A unified social credit code does not use %(chars)s.") % {"chars": "".join(bad)}
    if not value[2:8].isdigit():
        return _("Characters 3 to 8 of a unified social credit code are the region code (digits).")
    expected = uscc_check_character(value[:17])
    if value[17] != expected:
        return _("The check character is wrong (expected %(c)s).") % {"c": expected}
    return None


# --- catalogue coverage: a lower list offers every item of the list above, no less ------------


def no_narrower(child: dict, parent: dict) -> bool | None:
    """Does the child condition accept everyone the parent's accepts?

    True or False where the shapes allow a structural answer; None when it cannot be
    decided without enumerating elders (the coverage check then reports it for a person
    to confirm). Sound where it answers: True is only returned for implied widenings.
    """
    if child == parent:
        return True
    if "any" in child and "any" not in parent:
        answers = [no_narrower(c, parent) for c in child["any"]]
        return True if True in answers else None
    if "any" in parent:
        answers = (
            [no_narrower(child, p) for p in parent["any"]]
            if "any" not in child
            else [
                next((True for c in child["any"] if no_narrower(c, p) is True), None) for p in parent["any"]
            ]
        )
        return (
            True if all(a is True for a in answers) else (False if any(a is False for a in answers) else None)
        )
    if "all" in parent:
        if "all" in child:
            answers = [
                next((True for p in parent["all"] if no_narrower(c, p) is True), None) for c in child["all"]
            ]
            return True if all(a is True for a in answers) else None
        answers = [no_narrower(child, p) for p in parent["all"]]
        return True if True in answers else None
    if "all" in child:
        answers = [no_narrower(c, parent) for c in child["all"]]
        return False if False in answers else None
    if "not" in child or "not" in parent or "fact" not in child or "fact" not in parent:
        return None
    if child["fact"] != parent["fact"]:
        return None
    return _leaf_no_narrower(child["op"], child.get("value"), parent["op"], parent.get("value"))


def _leaf_no_narrower(cop: str, cval, pop: str, pval) -> bool | None:
    if cop == pop:
        if cop in {"gte", "gt"}:
            return cval <= pval
        if cop in {"lte", "lt"}:
            return cval >= pval
        if cop in {"in", "has_any"}:
            return set(cval) >= set(pval)
        if cop in {"not_in", "has_all"}:
            return set(cval) <= set(pval)
        if cop == "between":
            return cval[0] <= pval[0] and cval[1] >= pval[1]
        if cop == "under":
            return str(pval).startswith(str(cval))
        if cop in {"eq", "has"}:
            return cval == pval
    if cop == "in" and pop == "eq":
        return pval in cval
    if cop == "has_any" and pop == "has":
        return pval in cval
    return None


def coverage_gaps(parent_items: list[dict], child_items: list[dict]) -> list[dict]:
    """Every way the child list falls short of its parent: missing items, narrower target
    groups, lower standards, and target groups that cannot be verified automatically."""
    by_code = {item["code"]: item for item in child_items}
    gaps = []
    for item in parent_items:
        child = by_code.get(item["code"])
        if child is None:
            gaps.append({"code": item["code"], "name": item["name"], "kind": "missing"})
            continue
        wider = no_narrower(child["target_group"], item["target_group"])
        if wider is not True:
            gaps.append(
                {
                    "code": item["code"],
                    "name": item["name"],
                    "kind": "narrower" if wider is False else "unverified",
                }
            )
        parent_level, child_level = item.get("standard_level"), child.get("standard_level")
        if parent_level is not None and (child_level is None or child_level < parent_level):
            gaps.append(
                {
                    "code": item["code"],
                    "name": item["name"],
                    "kind": "lower_standard",
                    "parent_level": parent_level,
                    "child_level": child_level,
                }
            )
    return gaps


GAP_LABELS = {
    "missing": gettext_lazy("missing from this list"),
    "narrower": gettext_lazy("target group narrower than the list above"),
    "unverified": gettext_lazy("target group differs and cannot be verified automatically as no narrower"),
    "lower_standard": gettext_lazy("standard lower than the list above"),
}
