"""The sections of an elder's file page. Each capability adds its own section.

A section is a template plus a function that gives its context for one elder; the page
renders the registered sections in order, so assessments, visits, subsidies and facilities
extend the file without touching the registry's view. Each app declares its sections in
its `views` module with the `file_section` decorator.

A section that belongs on the printed file (一人一档, `elders.pdf`) also names `printed`: a
function of the same context, the elder and whether the reader sees personal data, giving the
section's PDF flowables (`eldercare.pdf`). The PDF reads each section through the same context
function as the page, so it shows what the page shows and nothing the reader may not see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.registry import Store, registry

SectionContext = Callable[[Any, Any], dict]
# printed(context, elder, unmasked) -> a list of reportlab flowables
SectionPrint = Callable[[dict, Any, bool], list]


@dataclass(frozen=True)
class FileSection:
    key: str
    title: Any
    template: str
    context: SectionContext
    order: int
    printed: SectionPrint | None = None


SECTIONS: Store[FileSection] = registry["file_sections"]


def file_section(
    key: str, *, title: Any, template: str, order: int, printed: SectionPrint | None = None
) -> Callable[[SectionContext], SectionContext]:
    """Register the decorated `context(request, elder)` function as a section of the file page
    (and, with `printed`, of the printed file)."""

    def register(context: SectionContext) -> SectionContext:
        SECTIONS.add(key, FileSection(key, title, template, context, order, printed))
        return context

    return register


def sections() -> list[FileSection]:
    return sorted(SECTIONS.values(), key=lambda s: s.order)
