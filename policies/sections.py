"""The sections a policy pack may carry. Each app registers the parser of its own section.

A parser turns the YAML data into a typed settings object and rejects bad data with a
message naming the key; `defaults()` gives the national baseline the code falls back to
when no pack is loaded anywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class SectionSpec:
    name: str
    parse: Callable[[dict], Any]
    defaults: Callable[[], Any]
    # Some sections also become rows of their app (a catalogue, schemes): `apply` writes them
    # when the pack is loaded, in the same transaction.
    apply: Callable[..., Any] | None = None


_SECTIONS: dict[str, SectionSpec] = {}
_discovered = False


def register_section(
    name: str,
    *,
    parse: Callable[[dict], Any],
    defaults: Callable[[], Any],
    apply: Callable[..., Any] | None = None,
) -> None:
    _SECTIONS[name] = SectionSpec(name, parse, defaults, apply)


def get_spec(name: str) -> SectionSpec:
    _ensure_loaded()
    try:
        return _SECTIONS[name]
    except KeyError:
        raise ValidationError(
            _("Unknown policy section '%(name)s'; known sections: %(known)s.")
            % {"name": name, "known": ", ".join(sorted(_SECTIONS))}
        ) from None


def parse_section(name: str, data: dict) -> Any:
    if not isinstance(data, dict):
        raise ValidationError(_("Section '%(name)s' must be a mapping of keys.") % {"name": name})
    return get_spec(name).parse(data)


def known_sections() -> list[str]:
    _ensure_loaded()
    return sorted(_SECTIONS)


def _ensure_loaded() -> None:
    # Apps declare their sections in a `policy` module; import them all once.
    global _discovered
    from django.apps import apps
    from django.utils.module_loading import autodiscover_modules

    if not _discovered and apps.ready:
        _discovered = True
        autodiscover_modules("policy")


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
