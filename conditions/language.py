"""The one small language for "who qualifies": elders, facilities and caregivers.

Catalogue target groups, the visit target group, subsidy eligibility and suspension, and
wait-list tiers all store a condition and call this module. A condition is plain data
(JSON/YAML), never code:

    {"all": [c, ...]}  {"any": [c, ...]}  {"not": c}
    {"fact": "age", "op": "gte", "value": 80}
    {"fact": "categories", "op": "has_any", "value": ["alone", "empty_nest"]}
    {"fact": "residence", "op": "under", "value": "3303"}

It is evaluated two ways with the same result: for one subject in Python (`explain`, which
also says which condition held or failed) and for many as one query (`to_q`, after
`annotate` has added the facts that are not plain columns). The facts themselves are
registered by the apps that own them (see `conditions.facts`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .facts import FACTS, Fact

Condition = dict[str, Any]

# How each operator reads in a reason shown to people (the symbols alone are not Chinese).
_OP_LABELS = {
    "eq": gettext_lazy("is"),
    "ne": gettext_lazy("is not"),
    "gt": gettext_lazy("is more than"),
    "gte": gettext_lazy("is at least"),
    "lt": gettext_lazy("is less than"),
    "lte": gettext_lazy("is at most"),
    "between": gettext_lazy("is between"),
    "in": gettext_lazy("is one of"),
    "not_in": gettext_lazy("is none of"),
    "has": gettext_lazy("includes"),
    "has_any": gettext_lazy("includes any of"),
    "has_all": gettext_lazy("includes all of"),
    "under": gettext_lazy("lies in"),
}


# --- validation ----------------------------------------------------------------------


def validate(cond: Condition, *, path: str = "condition") -> None:
    """Refuse anything that is not a well-formed condition, naming where it is wrong."""
    if not isinstance(cond, dict) or len(cond) == 0:
        raise ValidationError(_("%(path)s: a condition is a mapping.") % {"path": path})
    if "all" in cond or "any" in cond:
        key = "all" if "all" in cond else "any"
        items = cond[key]
        if set(cond) != {key} or not isinstance(items, list) or not items:
            raise ValidationError(
                _("%(path)s: '%(key)s' takes a non-empty list of conditions.") % {"path": path, "key": key}
            )
        for i, item in enumerate(items):
            validate(item, path=f"{path}.{key}[{i}]")
        return
    if "not" in cond:
        if set(cond) != {"not"}:
            raise ValidationError(_("%(path)s: 'not' stands alone.") % {"path": path})
        validate(cond["not"], path=f"{path}.not")
        return
    name, op = cond.get("fact"), cond.get("op")
    if name not in FACTS:
        raise ValidationError(
            _("%(path)s: unknown fact '%(fact)s'; known: %(known)s.")
            % {"path": path, "fact": name, "known": ", ".join(sorted(FACTS))}
        )
    fact = FACTS[name]
    if op not in fact.ops:
        raise ValidationError(
            _("%(path)s: '%(fact)s' does not support '%(op)s' (use %(ops)s).")
            % {"path": path, "fact": name, "op": op, "ops": ", ".join(sorted(fact.ops))}
        )
    if set(cond) - {"fact", "op", "value"}:
        raise ValidationError(_("%(path)s: unexpected keys.") % {"path": path})
    value = cond.get("value")
    if op == "is_null":
        if not isinstance(value, bool):
            raise ValidationError(_("%(path)s: 'is_null' takes true or false.") % {"path": path})
        return
    listy = op in {"in", "not_in", "has_any", "has_all", "between"}
    values = value if listy else [value]
    if not isinstance(values, list) or (listy and not values):
        raise ValidationError(_("%(path)s: '%(op)s' takes a list.") % {"path": path, "op": op})
    if op == "between" and len(values) != 2:
        raise ValidationError(_("%(path)s: 'between' takes [low, high].") % {"path": path})
    for v in values:
        if fact.kind == "int" and (not isinstance(v, int) or isinstance(v, bool)):
            raise ValidationError(
                _("%(path)s: '%(fact)s' compares with whole numbers.") % {"path": path, "fact": name}
            )
        if fact.kind in {"choice", "set"} and v not in fact.choices:
            raise ValidationError(
                _("%(path)s: '%(value)s' is not a value of '%(fact)s' (%(choices)s).")
                % {"path": path, "value": v, "fact": name, "choices": ", ".join(fact.choices)}
            )
        if fact.kind == "region" and not (isinstance(v, str) and v.isdigit() and 0 < len(v) <= 12):
            raise ValidationError(_("%(path)s: a region is a code prefix of digits.") % {"path": path})
        if fact.kind == "bool" and not isinstance(v, bool):
            raise ValidationError(_("%(path)s: '%(fact)s' is true or false.") % {"path": path, "fact": name})


def subject_errors(cond: Condition, subject: str, *, path: str = "condition") -> list[str]:
    """The facts of a (valid) condition that are not about `subject`, each named with its subject."""
    wrong = sorted(n for n in facts_used(cond) if FACTS[n].subject != subject)
    return [
        _("%(path)s: '%(fact)s' is a fact about a %(other)s, not about a %(subject)s.")
        % {"path": path, "fact": n, "other": FACTS[n].subject, "subject": subject}
        for n in wrong
    ]


def facts_used(cond: Condition) -> set[str]:
    if "all" in cond or "any" in cond:
        return set().union(*(facts_used(c) for c in cond.get("all") or cond.get("any")))
    if "not" in cond:
        return facts_used(cond["not"])
    return {cond["fact"]}


# --- evaluation for one elder ----------------------------------------------------------


@dataclass
class Outcome:
    """Whether a condition held, and the leaf tests behind that answer."""

    held: bool
    reasons: list[dict] = field(default_factory=list)

    def failed(self) -> list[dict]:
        return [r for r in self.reasons if not r["held"]]

    def passed(self) -> list[dict]:
        return [r for r in self.reasons if r["held"]]


def _compare(op: str, actual: Any, expected: Any) -> bool:
    if op == "is_null":
        return (actual is None) == expected
    if op in {"has", "has_any", "has_all"}:
        have = set(actual or ())
        if op == "has":
            return expected in have
        if op == "has_any":
            return bool(have & set(expected))
        return set(expected) <= have
    if op == "under":
        return actual is not None and str(actual).startswith(expected)
    if actual is None:
        # As in SQL: an unknown fact satisfies no comparison, so only negations hold.
        return op in {"ne", "not_in"}
    match op:
        case "eq":
            return actual == expected
        case "ne":
            return actual != expected
        case "gt":
            return actual > expected
        case "gte":
            return actual >= expected
        case "lt":
            return actual < expected
        case "lte":
            return actual <= expected
        case "between":
            return expected[0] <= actual <= expected[1]
        case "in":
            return actual in expected
        case "not_in":
            return actual not in expected
    raise ValueError(op)


def explain(cond: Condition, elder: Any, on: date, *, _cache: dict | None = None) -> Outcome:
    """Evaluate for one elder, keeping a reason for every leaf that was looked at."""
    cache = {} if _cache is None else _cache
    if "all" in cond or "any" in cond:
        parts = [explain(c, elder, on, _cache=cache) for c in (cond.get("all") or cond.get("any"))]
        held = all(p.held for p in parts) if "all" in cond else any(p.held for p in parts)
        return Outcome(held, [r for p in parts for r in p.reasons])
    if "not" in cond:
        inner = explain(cond["not"], elder, on, _cache=cache)
        return Outcome(
            not inner.held,
            [
                {
                    **r,
                    "held": not r["held"],
                    "negated": not r.get("negated", False),
                    "text": _("not: %(reason)s") % {"reason": r["text"]},
                }
                for r in inner.reasons
            ],
        )
    fact = FACTS[cond["fact"]]
    if fact.name not in cache:
        cache[fact.name] = fact.value(elder, on)
    actual = cache[fact.name]
    held = _compare(cond["op"], actual, cond.get("value"))
    return Outcome(
        held,
        [
            {
                "fact": fact.name,
                "op": cond["op"],
                "expected": cond.get("value"),
                "actual": sorted(actual) if isinstance(actual, set | frozenset) else actual,
                "held": held,
                "text": describe_leaf(fact, cond["op"], cond.get("value"), actual),
            }
        ],
    )


def matches(cond: Condition, elder: Any, on: date) -> bool:
    return explain(cond, elder, on).held


def _region_names(codes: set[str]) -> dict[str, str]:
    """Names of the regions a reason mentions: a condition holds a code prefix, a file a full code."""
    if not codes:
        return {}
    from regions.models import Region  # the registry of divisions; conditions only reads names

    padded = {c: c.ljust(12, "0") for c in codes if isinstance(c, str) and c.isdigit()}
    names = dict(Region.objects.filter(code__in=set(padded.values())).values_list("code", "name"))
    return {c: names[p] for c, p in padded.items() if p in names}


def _shown(fact: Fact, value: Any, regions: dict[str, str]) -> str:
    """One value as a person reads it: a choice's label, a region's name, yes/no, a list."""
    if value is None:
        return _("None")
    if isinstance(value, set | frozenset | list | tuple):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else list(value)
        return "、".join(_shown(fact, v, regions) for v in items) or _("None")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if value in fact.labels:
        return str(fact.labels[value])
    if fact.kind == "region":
        return regions.get(value, str(value))
    return str(value)


def describe_leaf(fact: Fact, op: str, expected: Any, actual: Any) -> str:
    regions = (
        _region_names({v for v in (expected, actual) if isinstance(v, str)}) if fact.kind == "region" else {}
    )
    shown_actual = _shown(fact, actual, regions)
    if op == "is_null":
        template = (
            _("%(fact)s is empty (actual: %(actual)s)")
            if expected
            else _("%(fact)s is not empty (actual: %(actual)s)")
        )
        return template % {"fact": fact.label, "actual": shown_actual}
    if op == "between" and isinstance(expected, list | tuple) and len(expected) == 2:
        wanted = _("%(low)s to %(high)s") % {
            "low": _shown(fact, expected[0], regions),
            "high": _shown(fact, expected[1], regions),
        }
    else:
        wanted = _shown(fact, expected, regions)
    return _("%(fact)s %(op)s %(expected)s (actual: %(actual)s)") % {
        "fact": fact.label,
        "op": _OP_LABELS.get(op, op),
        "expected": wanted,
        "actual": shown_actual,
    }


# --- evaluation for a whole region: one query -------------------------------------------


def annotate(queryset: QuerySet, cond: Condition, on: date) -> QuerySet:
    """Add the annotations the condition's facts need (ability grade, ...)."""
    for name in sorted(facts_used(cond)):
        fact = FACTS[name]
        if fact.annotate is not None:
            queryset = fact.annotate(queryset, on)
    return queryset


def to_q(cond: Condition, on: date) -> Q:
    if "all" in cond:
        q = Q()
        for c in cond["all"]:
            q &= to_q(c, on)
        return q
    if "any" in cond:
        q = Q(pk__in=[])
        for c in cond["any"]:
            q |= to_q(c, on)
        return q
    if "not" in cond:
        return ~to_q(cond["not"], on)
    fact = FACTS[cond["fact"]]
    op, value = cond["op"], cond.get("value")
    if fact.to_q is not None:
        return fact.to_q(op, value, on)
    return _column_q(fact.lookup or fact.name, op, value)


def _column_q(column: str, op: str, value: Any) -> Q:
    match op:
        case "eq":
            return Q(**{column: value})
        case "ne":
            return ~Q(**{column: value}) | Q(**{f"{column}__isnull": True})
        case "in":
            return Q(**{f"{column}__in": value})
        case "not_in":
            return ~Q(**{f"{column}__in": value}) | Q(**{f"{column}__isnull": True})
        case "gt" | "gte" | "lt" | "lte":
            return Q(**{f"{column}__{op}": value})
        case "between":
            return Q(**{f"{column}__gte": value[0], f"{column}__lte": value[1]})
        case "is_null":
            return Q(**{f"{column}__isnull": value})
        case "under":
            return Q(**{f"{column}__startswith": value})
    raise ValueError(op)


def filter_queryset(queryset: QuerySet, cond: Condition, on: date) -> QuerySet:
    """Every elder of `queryset` the condition holds for, as one query."""
    return annotate(queryset, cond, on).filter(to_q(cond, on))


def with_fact(queryset: QuerySet, name: str, on: date, *, as_name: str) -> QuerySet:
    """Each row of `queryset` with the value of the fact `name` on a date selected as `as_name`
    (one expression in the same query). A fact nobody registered is an error, never a None."""
    fact = FACTS[name]
    column = fact.lookup or fact.name
    if fact.annotate is not None:
        queryset = fact.annotate(queryset, on)
    return queryset.annotate(**{as_name: F(column)})


def fact_value(name: str, subject: Any, on: date) -> Any:
    """The value of the fact `name` for one subject on a date (a missing fact is an error)."""
    return FACTS[name].value(subject, on)
