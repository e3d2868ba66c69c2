"""Which policy is in force for a region: the nearest pack up the region tree, else national."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

from regions.rules import candidate_ancestor_codes

from .models import PolicySection
from .sections import get_spec

_CACHE_VERSION_KEY = "policies:version"


def _version() -> int:
    return cache.get_or_set(_CACHE_VERSION_KEY, 1, None)


def invalidate() -> None:
    """Called by every write to a policy section, so readers never see stale numbers."""
    try:
        cache.incr(_CACHE_VERSION_KEY)
    except ValueError:
        cache.set(_CACHE_VERSION_KEY, 2, None)


def section_row(region_code: str, section: str) -> PolicySection | None:
    """The section row in force at a region (nearest ancestor first), or None."""
    codes = [*candidate_ancestor_codes(region_code), region_code]
    rows = {
        (r.region_id or ""): r
        for r in PolicySection.objects.filter(section=section, region_id__in=codes).select_related("pack")
    }
    for code in reversed(codes):
        if code in rows:
            return rows[code]
    return PolicySection.objects.filter(section=section, region__isnull=True).select_related("pack").first()


def get_section(region_code: str, section: str) -> Any:
    """The parsed settings of a section in force at a region (cached, invalidated on write)."""
    key = f"policies:{_version()}:{section}:{region_code}"
    found = cache.get(key)
    if found is None:
        row = section_row(region_code, section)
        spec = get_spec(section)
        found = spec.parse(row.data) if row is not None else spec.defaults()
        cache.set(key, found, 300)
    return found
