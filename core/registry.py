"""One registry with named stores, filled by decorators where each entry is defined.

As in NetBox (`netbox/registry.py`), cross-cutting lists live in one registry of named
stores instead of a dict per module: condition facts, file-page sections, policy-pack
sections, monthly metrics. A store refuses a key it already holds, the registry refuses a
store it does not have, and looking up a missing key fails loudly, naming what is there,
instead of quietly giving None.

Entries are added at import time by decorators in the defining module (`conditions.fact`,
`elders.file_sections.file_section`, `policies.sections.policy_section`,
`reports.metrics.metric`); `core.apps` imports every app's defining modules once, when the
apps are ready, so every store is complete before the first request.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")

# Modules each app may have that fill the stores (imported once by core.apps).
DEFINING_MODULES = ("facts", "policy", "metrics", "views", "demo", "inbox", "workbooks")


class RegistryError(LookupError):
    """A store or an entry that is not registered: a programming error, never user input."""


class Store(Generic[T]):
    """Entries of one kind, keyed by name, in the order they were registered."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._items: dict[str, T] = {}

    def add(self, key: str, item: T) -> T:
        if key in self._items:
            raise ImproperlyConfigured(f"registry['{self.name}']: '{key}' is registered twice.")
        self._items[key] = item
        return item

    def __getitem__(self, key: str) -> T:
        try:
            return self._items[key]
        except KeyError:
            known = ", ".join(self._items) or "nothing"
            raise RegistryError(f"registry['{self.name}'] has no '{key}'; registered: {known}.") from None

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def keys(self) -> list[str]:
        return list(self._items)

    def values(self) -> list[T]:
        return list(self._items.values())

    def items(self) -> list[tuple[str, T]]:
        return list(self._items.items())


class Registry:
    """The named stores; a name that is not one of them is refused."""

    def __init__(self, *names: str) -> None:
        self._stores: dict[str, Store[Any]] = {name: Store(name) for name in names}

    def __getitem__(self, name: str) -> Store[Any]:
        try:
            return self._stores[name]
        except KeyError:
            raise RegistryError(
                f"The registry has no store '{name}'; stores: {', '.join(self._stores)}."
            ) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._stores)


registry = Registry(
    "condition_facts",
    "file_sections",
    "policy_sections",
    "metrics",
    # elders.demo: each app's part of the demo city.
    "demo_seeders",
    # reports.dashboard: what other apps show on the dashboard (the plan's targets and tasks).
    "dashboard_parts",
    # core.inbox: the counts of waiting work each app puts in a role's inbox.
    "inbox_items",
    # core.scope: each model's scope declaration (by model label) and the organisation bindings.
    "scopes",
    "scope_bindings",
    # jobs.kinds: the background imports and exports, each app's in its workbooks.py.
    "job_kinds",
)
