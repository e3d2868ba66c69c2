"""Which policy is in force for a region: the nearest pack up the region tree, else national."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models import Q

from core import versions
from regions.rules import candidate_ancestor_codes

from .models import PolicySection
from .sections import get_spec


def cache_version() -> int:
    """The current version of the policy sections; a cache key with it is stale after any write."""
    return versions.current("policies")


_version = cache_version


def policies_version() -> int:
    """Bumped by every write to a policy section: caches of what packs decide key on it."""
    return cache_version()


def invalidate() -> None:
    """Called by every write to a policy section, so readers never see stale numbers."""
    versions.bump("policies")


def section_row(region_code: str, section: str) -> PolicySection | None:
    """The section row in force at a region (nearest ancestor first, else national), one query."""
    codes = [*candidate_ancestor_codes(region_code), region_code]
    rows = {
        (r.region_id or ""): r
        for r in PolicySection.objects.filter(
            Q(region_id__in=codes) | Q(region__isnull=True), section=section
        ).select_related("pack")
    }
    for code in reversed(codes):
        if code in rows:
            return rows[code]
    return rows.get("")


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
