"""The sections a policy pack may carry. Each app declares the parser of its own section.

A parser turns the YAML data into a typed settings object and rejects bad data with a
message naming the key; `defaults()` gives the national baseline the code falls back to
when no pack is loaded anywhere. Each app's `policy` module registers its parser with the
`policy_section` decorator.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.registry import Store, registry


@dataclass(frozen=True)
class SectionSpec:
    name: str
    parse: Callable[[dict], Any]
    defaults: Callable[[], Any]
    # Some sections also become rows of their app (a catalogue, schemes): `apply` writes them
    # when the pack is loaded, in the same transaction.
    apply: Callable[..., Any] | None = None


SPECS: Store[SectionSpec] = registry["policy_sections"]


def policy_section(
    name: str, *, defaults: Callable[[], Any], apply: Callable[..., Any] | None = None
) -> Callable[[Callable[[dict], Any]], Callable[[dict], Any]]:
    """Register the decorated `parse(data)` as the parser of the pack section `name`."""

    def register(parse: Callable[[dict], Any]) -> Callable[[dict], Any]:
        SPECS.add(name, SectionSpec(name, parse, defaults, apply))
        return parse

    return register


def get_spec(name: str) -> SectionSpec:
    if name not in SPECS:
        raise ValidationError(
            _("Unknown policy section '%(name)s'; known sections: %(known)s.")
            % {"name": name, "known": ", ".join(sorted(SPECS))}
        )
    return SPECS[name]


def parse_section(name: str, data: dict) -> Any:
    if not isinstance(data, dict):
        raise ValidationError(_("Section '%(name)s' must be a mapping of keys.") % {"name": name})
    return get_spec(name).parse(data)


def known_sections() -> list[str]:
    return sorted(SPECS)


# --- helpers for parsers: every number is {value, source} -----------------------------


def sourced(data: dict, key: str, *, section: str, default: Any = ..., kind: type | tuple = object) -> Any:
    """Read `key: {value: ..., source: "..."}` (or a bare value) and check its type."""
    if key not in data:
        if default is ...:
            raise ValidationError(
                _("Section '%(section)s' needs '%(key)s'.") % {"section": section, "key": key}
            )
        return default
    entry = data[key]
    value = entry.get("value") if isinstance(entry, dict) else entry
    if isinstance(entry, dict) and "value" not in entry:
        raise ValidationError(_("'%(section)s.%(key)s' needs a 'value'.") % {"section": section, "key": key})
    if value is not None and not isinstance(value, kind):
        raise ValidationError(
            _("'%(section)s.%(key)s' has the wrong type (%(got)s).")
            % {"section": section, "key": key, "got": type(value).__name__}
        )
    return value
