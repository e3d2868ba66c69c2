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
