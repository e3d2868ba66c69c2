"""Pure rules of visits and providers: a valid visit, credit codes, catalogue coverage. No database."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .choices import Problem, VisitOutcome


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


def validate_uscc(code: str) -> str:
    """The code in its canonical form (upper case, trimmed); ValidationError when impossible."""
    error = uscc_error(code)
    if error:
        raise ValidationError(error, code="uscc")
    return code.strip().upper()


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
        if False in answers:
            return False
        return True if all(a is True for a in answers) else None
    if "not" in child or "not" in parent or "fact" not in child or "fact" not in parent:
        return None
    if child["fact"] != parent["fact"]:
        return None
    return _leaf_no_narrower(child["op"], child.get("value"), parent["op"], parent.get("value"))


_INF = float("inf")


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _interval(op: str, value) -> tuple[float, float] | None:
    """A whole-number test as the closed interval it accepts (gt 79 and gte 80 are the same)."""
    if op == "between" and all(_is_int(v) for v in value):
        return value[0], value[1]
    if not _is_int(value):
        return None
    return {
        "eq": (value, value),
        "gte": (value, _INF),
        "gt": (value + 1, _INF),
        "lte": (-_INF, value),
        "lt": (-_INF, value - 1),
    }.get(op)


def _as_set_test(op: str, value) -> tuple[str, frozenset] | None:
    """`has x` is `has_any [x]`; `eq v` is `in [v]`: one shape per question."""
    if op == "has":
        return "has_any", frozenset([value])
    if op == "eq":
        return "in", frozenset([value])
    if op in {"has_any", "has_all", "in", "not_in"}:
        return op, frozenset(value)
    return None


def _leaf_no_narrower(cop: str, cval, pop: str, pval) -> bool | None:
    """Both tests are on the same fact. True/False only where the answer follows from the
    shapes alone; an unknown value (None) satisfies no comparison, so shapes that accept it on
    one side only (ne, not_in, is_null) are left undecided."""
    if cop == pop == "under":
        return str(pval).startswith(str(cval))
    if cop == pop == "is_null":
        return cval == pval
    civ, piv = _interval(cop, cval), _interval(pop, pval)
    if civ is not None and piv is not None:
        if piv[0] > piv[1]:
            return True  # the parent accepts nobody
        return civ[0] <= piv[0] and civ[1] >= piv[1]
    if cop == "in" and piv is not None and all(_is_int(v) for v in cval):
        if piv[1] - piv[0] + 1 > len(set(cval)):
            return False  # too few values to cover the range (an open range included)
        return set(range(int(piv[0]), int(piv[1]) + 1)) <= set(cval)
    if pop == "in" and civ is not None and all(_is_int(v) for v in pval):
        return all(civ[0] <= v <= civ[1] for v in pval)
    child, parent = _as_set_test(cop, cval), _as_set_test(pop, pval)
    if child is None or parent is None:
        return None
    (cop, cset), (pop, pset) = child, parent
    if cop == pop and cop in {"has_any", "in"}:
        return cset >= pset
    if cop == pop and cop in {"has_all", "not_in"}:
        return cset <= pset
    if cop == "has_any" and pop == "has_all":
        return True if cset & pset else None
    if cop == "has_all" and pop == "has_any" and len(pset) == 1:
        return cset <= pset
    if cop == "not_in" and pop == "in":
        return not (cset & pset)
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
