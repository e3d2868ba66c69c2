"""The registry's section of a policy pack (policy_packs/<city>/registry.yaml)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from policies.sections import policy_section, sourced
from policies.selectors import get_section

from .choices import Category

SECTION = "registry"


@dataclass(frozen=True)
class RegistrySettings:
    min_age: int
    categories: tuple[str, ...]
    high_age: int


def defaults() -> RegistrySettings:
    # National baseline: the registry holds people of 60 and over (老年人权益保障法 第二条).
    return RegistrySettings(min_age=60, categories=tuple(Category.values), high_age=80)


@policy_section(SECTION, defaults=defaults)
def parse(data: dict) -> RegistrySettings:
    min_age = sourced(data, "min_age", section=SECTION, kind=int)
    if not 0 < min_age < 120:
        raise ValidationError(_("'registry.min_age' must be between 1 and 119."))
    categories = tuple(sourced(data, "categories", section=SECTION, kind=list))
    unknown = [c for c in categories if c not in Category.values]
    if unknown:
        raise ValidationError(
            _("'registry.categories' has unknown codes: %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    high_age = sourced(data, "high_age", section=SECTION, kind=int, default=80)
    return RegistrySettings(min_age=min_age, categories=categories, high_age=high_age)


def registry_settings(region_code: str) -> RegistrySettings:
    return get_section(region_code, SECTION)


def registry_ages() -> dict[str, int]:
    """The 高龄 age of every loaded registry section, by region code prefix ("" for national).

    Cached with the policy sections (any write to a section invalidates it), so lists that test
    高龄 cost no query for it.
    """
    from django.core.cache import cache

    from policies.models import PolicySection
    from policies.selectors import cache_version
    from regions.rules import scope_prefix

    key = f"policies:{cache_version()}:registry_ages"
    found = cache.get(key)
    if found is not None:
        return dict(found)
    out = {}
    rows = PolicySection.objects.filter(section=SECTION).values_list("region_id", "region__level", "data")
    for region_id, level, data in rows:
        entry = (data or {}).get("high_age")
        age = entry.get("value") if isinstance(entry, dict) else entry
        if isinstance(age, int):
            out[scope_prefix(region_id, level) if region_id else ""] = age
    cache.set(key, out, 300)
    return dict(out)
