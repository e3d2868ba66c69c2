"""The sections of an elder's file page. Each capability adds its own section here.

A section is a template plus a function that gives its context for one elder; the page
renders the registered sections in order, so assessments, visits, subsidies and facilities
extend the file without touching the registry's view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FileSection:
    key: str
    title: Any
    template: str
    context: Callable[[Any, Any], dict]
    order: int


_SECTIONS: dict[str, FileSection] = {}


def register_section(
    key: str, *, title: Any, template: str, context: Callable[[Any, Any], dict], order: int
) -> None:
    _SECTIONS[key] = FileSection(key, title, template, context, order)


def sections() -> list[FileSection]:
    return sorted(_SECTIONS.values(), key=lambda s: s.order)
