"""The one small language for "who qualifies".

Catalogue target groups, the visit target group, subsidy eligibility and wait-list tiers all
store a condition and call this module. A condition is plain data (JSON/YAML), never code:

    {"all": [c, ...]}  {"any": [c, ...]}  {"not": c}
    {"fact": "age", "op": "gte", "value": 80}
    {"fact": "categories", "op": "has_any", "value": ["alone", "empty_nest"]}
    {"fact": "residence", "op": "under", "value": "3303"}

It is evaluated two ways with the same result: for one elder in Python (`explain`, which
also says which condition held or failed) and for many elders as one query (`to_q`, after
`annotate` has added the facts that are not plain columns).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import rules
from .choices import Category, DisabilityGrade, EconomicStatus, LivingArrangement, Sex, Status

Condition = dict[str, Any]

_COMPARE = {"eq", "ne", "gt", "gte", "lt", "lte", "between", "in", "not_in", "is_null"}
_OP_LABELS = {
    "eq": "=",
    "ne": "≠",
    "gt": ">",
    "gte": "≥",
    "lt": "<",
    "lte": "≤",
    "between": "∈",
    "in": "∈",
    "not_in": "∉",
    "is_null": "=∅",
    "has": "∋",
    "has_any": "∩",
    "has_all": "⊇",
    "under": "⊂",
}


@dataclass(frozen=True)
class Fact:
    """A fact about an elder that conditions can test.

    `value(elder, on)` gives it for one elder; `lookup` is the column (or annotation) the
    query form filters on; `annotate(qs, on)` adds that annotation when it is not a column.
    """

    name: str
    label: Any
    kind: str  # "int", "choice", "set", "region", "bool"
    ops: frozenset[str]
    value: Callable[[Any, date], Any]
    lookup: str | None = None
    annotate: Callable[[QuerySet, date], QuerySet] | None = None
    choices: tuple[str, ...] = ()
    to_q: Callable[[str, Any, date], Q] | None = None
    # What the fact is about: "elder" (the registry), or another subject a scheme can pay
    # ("facility", "caregiver"); a condition tests facts of one subject only.
    subject: str = "elder"


_FACTS: dict[str, Fact] = {}


def register_fact(fact: Fact) -> None:
    """Other apps add facts they own (the assessments app adds `ability_grade`)."""
    _FACTS[fact.name] = fact


def facts() -> dict[str, Fact]:
    return dict(_FACTS)


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
    if name not in _FACTS:
        raise ValidationError(
            _("%(path)s: unknown fact '%(fact)s'; known: %(known)s.")
            % {"path": path, "fact": name, "known": ", ".join(sorted(_FACTS))}
        )
    fact = _FACTS[name]
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
    wrong = sorted(n for n in facts_used(cond) if _FACTS[n].subject != subject)
    return [
        _("%(path)s: '%(fact)s' is a fact about a %(other)s, not about a %(subject)s.")
        % {"path": path, "fact": n, "other": _FACTS[n].subject, "subject": subject}
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
            [{**r, "held": not r["held"], "negated": not r.get("negated", False)} for r in inner.reasons],
        )
    fact = _FACTS[cond["fact"]]
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


def describe_leaf(fact: Fact, op: str, expected: Any, actual: Any) -> str:
    shown = sorted(actual) if isinstance(actual, set | frozenset) else actual
    if isinstance(shown, list):
        shown = ", ".join(str(s) for s in shown) or "-"
    return _("%(fact)s %(op)s %(expected)s (actual: %(actual)s)") % {
        "fact": fact.label,
        "op": _OP_LABELS.get(op, op),
        "expected": expected,
        "actual": "-" if shown is None else shown,
    }


# --- evaluation for a whole region: one query -------------------------------------------


def annotate(queryset: QuerySet, cond: Condition, on: date) -> QuerySet:
    """Add the annotations the condition's facts need (ability grade, ...)."""
    for name in sorted(facts_used(cond)):
        fact = _FACTS[name]
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
    fact = _FACTS[cond["fact"]]
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


# --- the registry's own facts ------------------------------------------------------------


def _age_q(op: str, value: Any, on: date) -> Q:
    from .selectors import age_band_q

    match op:
        case "gte":
            return age_band_q(value, None, on)
        case "gt":
            return age_band_q(value + 1, None, on)
        case "lte":
            return age_band_q(None, value, on)
        case "lt":
            return age_band_q(None, value - 1, on)
        case "eq":
            return age_band_q(value, value, on)
        case "ne":
            return ~age_band_q(value, value, on)
        case "between":
            return age_band_q(value[0], value[1], on)
        case "in":
            q = Q(pk__in=[])
            for v in value:
                q |= age_band_q(v, v, on)
            return q
        case "not_in":
            q = Q()
            for v in value:
                q &= ~age_band_q(v, v, on)
            return q
    raise ValueError(op)


def _categories_q(op: str, value: Any, on: date) -> Q:
    from .selectors import category_q

    if op == "has":
        return category_q(value, on)
    if op == "has_any":
        q = Q(pk__in=[])
        for v in value:
            q |= category_q(v, on)
        return q
    q = Q()
    for v in value:
        q &= category_q(v, on)
    return q


_NUM_OPS = frozenset({"eq", "ne", "gt", "gte", "lt", "lte", "between", "in", "not_in"})
_CHOICE_OPS = frozenset({"eq", "ne", "in", "not_in"})

for _fact in (
    Fact(
        "age",
        gettext_lazy("age"),
        "int",
        _NUM_OPS,
        value=lambda e, on: rules.age_on(e.birth_date, on),
        to_q=_age_q,
    ),
    Fact(
        "categories",
        gettext_lazy("categories"),
        "set",
        frozenset({"has", "has_any", "has_all"}),
        value=lambda e, on: set(e.categories(on)),
        choices=tuple(Category.values),
        to_q=_categories_q,
    ),
    Fact(
        "living_arrangement",
        gettext_lazy("living arrangement"),
        "choice",
        _CHOICE_OPS,
        value=lambda e, on: e.living_arrangement,
        choices=tuple(LivingArrangement.values),
    ),
    Fact(
        "economic_status",
        gettext_lazy("economic status"),
        "choice",
        _CHOICE_OPS,
        value=lambda e, on: e.economic_status,
        choices=tuple(EconomicStatus.values),
    ),
    Fact(
        "disability_grade",
        gettext_lazy("disability grade"),
        "int",
        _NUM_OPS,
        value=lambda e, on: e.disability_grade,
    ),
    Fact(
        "sex",
        gettext_lazy("sex"),
        "choice",
        _CHOICE_OPS,
        value=lambda e, on: e.sex,
        choices=tuple(Sex.values),
    ),
    Fact(
        "status",
        gettext_lazy("status"),
        "choice",
        _CHOICE_OPS,
        value=lambda e, on: e.status,
        choices=tuple(Status.values),
    ),
    Fact(
        "residence",
        gettext_lazy("residence"),
        "region",
        frozenset({"under"}),
        value=lambda e, on: e.residence_id,
        lookup="residence__code",
    ),
    Fact(
        "hukou",
        gettext_lazy("household registration (hukou)"),
        "region",
        frozenset({"under", "is_null"}),
        value=lambda e, on: e.hukou_region_id,
        lookup="hukou_region__code",
    ),
):
    register_fact(_fact)

# Disability grades are 1 (most severe) to 4 with 0 for none; keep the label list at hand.
DISABILITY_GRADES = tuple(DisabilityGrade.values)
