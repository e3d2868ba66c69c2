"""Parts of the dashboard that other apps contribute (the plan's targets and tasks), registered
where they are defined so that reports, below those apps, imports none of them.

A part is a function of (user, region, day) giving its context, shown by its template under the
month's figures; it is read for each page (what the user may see), outside the cached figures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from core.registry import registry


@dataclass(frozen=True)
class DashboardPart:
    key: str  # the name its template reads its context under
    template: str
    order: int
    build: Callable[[Any, Any, date], dict]


def dashboard_part(key: str, *, template: str, order: int = 50) -> Callable:
    """Register a function of (user, region, day) as a part of the dashboard."""

    def register(func: Callable[[Any, Any, date], dict]) -> Callable:
        registry["dashboard_parts"].add(key, DashboardPart(key, template, order, func))
        return func

    return register


def dashboard_parts(user, region, on: date) -> list[tuple[DashboardPart, dict]]:
    """Each registered part with its context for this user and region, in their order."""
    parts = sorted(registry["dashboard_parts"].values(), key=lambda p: (p.order, p.key))
    return [(part, part.build(user, region, on)) for part in parts]
