"""A condition as a form edits it: two groups of simple tests, "every one holds" and "at least one
holds", each test one fact with the values a person ticks or types. Pure functions.

    decompose(cond) -> {"all": {fact: spec}, "any": {fact: spec}}  (None: not of that shape)
    compose(groups) -> cond                                          (None: no test at all)

A spec is {"min": n, "max": n} for a number, {"in": [...]} for a choice, a set or a number with
named values (an ability grade), {"under": "3303"} for a region, {"eq": bool} for yes/no. The
shape covers what the packs write (a list of tests, one of them an "any" of tests); anything
else (a negation, "is none of", nested groups) is edited as data.
"""

from __future__ import annotations

from typing import Any

from .facts import FACTS, Fact

GROUPS = ("all", "any")


def editor_kind(fact: Fact) -> str:
    """How the form edits a fact: a range of numbers, ticked values, a region or yes/no."""
    if fact.kind == "int":
        return "pick" if fact.labels else "range"
    if fact.kind in ("choice", "set"):
        return "pick"
    return fact.kind  # "region", "bool"


def _leaf_spec(cond: dict) -> tuple[str, dict] | None:
    name, op, value = cond.get("fact"), cond.get("op"), cond.get("value")
    fact = FACTS[name] if isinstance(name, str) and name in FACTS else None
    if fact is None:
        return None
    kind = editor_kind(fact)
    if kind == "range":
        bounds = {
            "gte": {"min": value},
            "gt": {"min": value + 1} if isinstance(value, int) else None,
            "lte": {"max": value},
            "lt": {"max": value - 1} if isinstance(value, int) else None,
            "eq": {"min": value, "max": value},
            "between": {"min": value[0], "max": value[1]} if isinstance(value, list) else None,
        }.get(op)
        return (name, bounds) if bounds else None
    if kind == "pick":
        if op in ("in", "has_any"):
            return name, {"in": list(value)}
        if op in ("eq", "has"):
            return name, {"in": [value]}
        return None
    if kind == "region" and op == "under":
        return name, {"under": value}
    if kind == "bool" and op == "eq":
        return name, {"eq": value}
    return None


def _fold(tests: list) -> dict | None:
    specs: dict[str, dict] = {}
    for test in tests:
        if not isinstance(test, dict) or "fact" not in test:
            return None
        found = _leaf_spec(test)
        if found is None:
            return None
        name, spec = found
        current = specs.setdefault(name, {})
        if set(current) & set(spec):
            return None  # the same fact tested twice the same way: not one field
        current.update(spec)
    return specs


def decompose(cond: Any) -> dict | None:
    """The condition as the form's two groups, or None when it has another shape."""
    if not isinstance(cond, dict) or not cond:
        return {"all": {}, "any": {}}
    every, some = [], []
    if "fact" in cond:
        every = [cond]
    elif "all" in cond and isinstance(cond["all"], list):
        for item in cond["all"]:
            if isinstance(item, dict) and "any" in item and not some and isinstance(item["any"], list):
                some = item["any"]
            else:
                every.append(item)
    elif "any" in cond and isinstance(cond["any"], list):
        some = cond["any"]
    else:
        return None
    groups = {"all": _fold(every), "any": _fold(some)}
    if groups["all"] is None or groups["any"] is None:
        return None
    return groups


def _tests(specs: dict, *, grouped: bool) -> list[dict]:
    """The tests of one group in the specs' order (decompose keeps the condition's own, so an
    unchanged condition comes back as it was). In an "any" group a range is one test."""
    tests = []
    for name in specs:
        spec = specs[name]
        if "in" in spec:
            fact = FACTS[name]
            op = "has_any" if fact.kind == "set" else "in"
            tests.append({"fact": name, "op": op, "value": list(spec["in"])})
        elif "under" in spec:
            tests.append({"fact": name, "op": "under", "value": spec["under"]})
        elif "eq" in spec:
            tests.append({"fact": name, "op": "eq", "value": spec["eq"]})
        else:
            low, high = spec.get("min"), spec.get("max")
            if low is not None and high is not None:
                if grouped:
                    tests.append({"fact": name, "op": "between", "value": [low, high]})
                else:
                    tests += [
                        {"fact": name, "op": "gte", "value": low},
                        {"fact": name, "op": "lte", "value": high},
                    ]
            elif low is not None:
                tests.append({"fact": name, "op": "gte", "value": low})
            elif high is not None:
                tests.append({"fact": name, "op": "lte", "value": high})
    return tests


def compose(groups: dict) -> dict | None:
    """The condition of the form's groups (None when no test is set)."""
    every = _tests(groups.get("all") or {}, grouped=False)
    some = _tests(groups.get("any") or {}, grouped=True)
    if len(some) == 1:
        every, some = every + some, []
    if some and not every:
        return {"any": some}
    if some:
        return {"all": [*every, {"any": some}]}
    if len(every) == 1:
        return every[0]
    return {"all": every} if every else None
