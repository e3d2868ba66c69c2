"""The facts conditions test, registered by the apps that own them.

A fact is a function giving its value for one subject on a date, plus what the query form
needs (a column, an annotation, or its own Q builder). The registry (elders' facts, the
assessments' `ability_grade`, facilities' and caregivers' facts) is filled by the `fact`
decorator where each fact is defined.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter
from typing import Any

from django.db.models import Q, QuerySet

from core.registry import Store, registry

NUM_OPS = frozenset({"eq", "ne", "gt", "gte", "lt", "lte", "between", "in", "not_in"})
CHOICE_OPS = frozenset({"eq", "ne", "in", "not_in"})
SET_OPS = frozenset({"has", "has_any", "has_all"})
KINDS = ("int", "choice", "set", "region", "bool")


@dataclass(frozen=True)
class Fact:
    """A fact about a subject that conditions can test.

    `value(subject, on)` gives it for one subject; `lookup` is the column (or annotation) the
    query form filters on; `annotate(qs, on)` adds that annotation when it is not a column.
    """

    name: str
    label: Any
    kind: str  # one of KINDS
    ops: frozenset[str]
    value: Callable[[Any, date], Any]
    lookup: str | None = None
    annotate: Callable[[QuerySet, date], QuerySet] | None = None
    choices: tuple[str, ...] = ()
    # The label of each code value, for reasons shown to people (never the code itself).
    labels: dict = field(default_factory=dict, compare=False)
    to_q: Callable[[str, Any, date], Q] | None = None
    # What the fact is about: "elder" (the registry), or another subject a scheme can pay
    # ("facility", "caregiver"); a condition tests facts of one subject only.
    subject: str = "elder"


FACTS: Store[Fact] = registry["condition_facts"]


def fact(
    name: str,
    *,
    label: Any,
    kind: str,
    ops: Iterable[str],
    subject: str = "elder",
    lookup: str | None = None,
    annotate: Callable[[QuerySet, date], QuerySet] | None = None,
    choices: Iterable[str] | Iterable[tuple[Any, Any]] = (),
    to_q: Callable[[str, Any, date], Q] | None = None,
) -> Callable[[Callable[[Any, date], Any]], Callable[[Any, date], Any]]:
    """Register the decorated `value(subject, on)` function as the fact `name`.

    `choices` are code values, or (code, label) pairs (a model's `Choices.choices`) so that a
    reason names the label."""
    if kind not in KINDS:
        raise ValueError(f"fact {name}: kind {kind!r} is not one of {KINDS}")
    pairs = [c if isinstance(c, tuple) else (c, None) for c in choices]
    labels = {code: label for code, label in pairs if label is not None}
    codes = tuple(code for code, _label in pairs) if kind in {"choice", "set"} else ()

    def register(value: Callable[[Any, date], Any]) -> Callable[[Any, date], Any]:
        FACTS.add(
            name,
            Fact(
                name=name,
                label=label,
                kind=kind,
                ops=frozenset(ops),
                value=value,
                lookup=lookup,
                annotate=annotate,
                choices=codes,
                labels=labels,
                to_q=to_q,
                subject=subject,
            ),
        )
        return value

    return register


def column_fact(name: str, column: str, *, attribute: str | None = None, **declared: Any) -> Fact:
    """Register a fact that is a column of its subject: the query filters on `column`, one
    subject's value is its `attribute` (the column itself unless named, e.g. `region_id` for the
    lookup `region__code`)."""
    value = attrgetter(attribute or column)
    fact(name, lookup=column, **declared)(lambda subject, on: value(subject))
    return FACTS[name]
