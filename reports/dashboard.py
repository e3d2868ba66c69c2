"""Parts of the dashboard that other apps contribute (the plan's targets and tasks), registered
where they are defined so that reports, below those apps, imports none of them.

A part is a function of (user, region, day) giving its context, shown by its template under the
month's figures. A part reads nothing that depends on who asks, only on the region, which the
page has already checked the user may see, so it is rendered once per region, day and language
and then served from the cache: the page costs the same at any size of city. A part that declares
`version` (a function naming the version of everything it reads, see core.versions) is kept until
that changes; one read from live rows declares instead how many `seconds` it may be old, and says
on the page when it was read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.registry import registry

# A cached part outlives no write its version counts; this only bounds how long a renamed unit
# or division keeps its old name on the page.
PART_SECONDS = 15 * 60


@dataclass(frozen=True)
class DashboardPart:
    key: str  # the name its template reads its context under
    template: str
    order: int
    build: Callable[[Any, Any, date], dict]
    version: Callable[[], str] | None = None
    seconds: int = PART_SECONDS


def dashboard_part(
    key: str,
    *,
    template: str,
    order: int = 50,
    version: Callable[[], str] | None = None,
    seconds: int = PART_SECONDS,
) -> Callable:
    """Register a function of (user, region, day) as a part of the dashboard."""

    def register(func: Callable[[Any, Any, date], dict]) -> Callable:
        registry["dashboard_parts"].add(key, DashboardPart(key, template, order, func, version, seconds))
        return func

    return register


def cached_html(key: str, seconds: int, render: Callable[[], str]) -> SafeString:
    """HTML of the dashboard kept in the cache under `key` (which names the region, the language
    and the version of what it was read from), rendered by `render` only when it is not there."""
    key = f"{key}:{get_language()}"
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, seconds)
    return mark_safe(html)  # noqa: S308 - our own templates, rendered by `render`


def dashboard_parts(request, region, on: date) -> list[SafeString]:
    """Each registered part rendered for this region, in their order."""
    parts = sorted(registry["dashboard_parts"].values(), key=lambda p: (p.order, p.key))
    return [
        cached_html(
            f"dashboard-part:{part.key}:{region.code}:{on}:{part.version() if part.version else ''}",
            part.seconds,
            lambda part=part: render_to_string(
                part.template,
                {"part": part.build(request.user, region, on), "region": region},
                request=request,
            ),
        )
        for part in parts
    ]
