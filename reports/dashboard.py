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


def _render(part: DashboardPart, request, region, on: date) -> str:
    context = part.build(request.user, region, on)
    return render_to_string(part.template, {"part": context, "region": region}, request=request)


def dashboard_parts(request, region, on: date) -> list[SafeString]:
    """Each registered part rendered for this region, in their order."""
    parts = sorted(registry["dashboard_parts"].values(), key=lambda p: (p.order, p.key))
    out = []
    for part in parts:
        version = part.version() if part.version else ""
        key = f"dashboard-part:{part.key}:{region.code}:{on}:{get_language()}:{version}"
        html = cache.get(key)
        if html is None:
            html = _render(part, request, region, on)
            cache.set(key, html, part.seconds)
        out.append(mark_safe(html))  # noqa: S308 - our own templates, rendered above
    return out
