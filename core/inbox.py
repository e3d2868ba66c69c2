"""The inbox's counts: the work waiting for a role, declared by the app that lists that work.

Each app names, in its own `inbox.py`, what its pages list for whom (`@inbox_item`): the
community worker's visits due this month are the services app's, the street's applications to
review the subsidies app's. The inbox page (notifications) only asks the registry which items a
role has and calls them, so a new kind of waiting work is one decorated function beside the
selector it counts, and core imports no project app.

A count function takes the account and the local day and returns the number of waiting items
(one query, through the app's scoped selectors), or the number and a more precise link (a
facility account with one facility is sent to that facility's page).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.urls import reverse

from .registry import registry

Count = Callable[[Any, date], "int | tuple[int, str]"]


@dataclass(frozen=True)
class InboxItem:
    key: str
    label: Any  # a lazy translation
    roles: frozenset[str]
    url_name: str
    count: Count
    suffix: str = ""  # added to the list page's address: "?status=returned", "#queue"
    order: int = 100

    def href(self) -> str:
        return reverse(self.url_name) + self.suffix


def inbox_item(
    key: str, *, label: Any, roles: tuple[str, ...], url: str, suffix: str = "", order: int = 100
) -> Callable[[Count], Count]:
    """Register the decorated function as the count of one kind of waiting work."""

    def decorate(count: Count) -> Count:
        registry["inbox_items"].add(
            key,
            InboxItem(
                key=key,
                label=label,
                roles=frozenset(str(r) for r in roles),
                url_name=url,
                count=count,
                suffix=suffix,
                order=order,
            ),
        )
        return count

    return decorate


def items_for(role: str | None) -> list[InboxItem]:
    """The kinds of waiting work a role's inbox shows, in their order."""
    if not role:
        return []
    found = [item for item in registry["inbox_items"].values() if role in item.roles]
    return sorted(found, key=lambda item: (item.order, item.key))
