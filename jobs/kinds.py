"""The kinds of background job, each registered where its work is defined.

An app declares a kind in its `workbooks.py` with `@job_kind(...)` on the function that does the
work; the jobs app runs it for the owner and keeps its outcome. The jobs app sits below the apps
whose work it runs (it imports none of them), so a kind is found by name in the registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from core.registry import registry


@dataclass
class Outcome:
    """What a job's work gives: the counts for its result page and, if any, a workbook."""

    result: dict[str, Any] = field(default_factory=dict)
    content: bytes | None = None
    filename: str = ""
    what: str = ""  # the audit log's description of the workbook
    rows: int = 0
    unmasked: bool = False


@dataclass(frozen=True)
class JobKind:
    name: str
    label: Any  # lazy text: what the job is, in the reader's language
    run: Callable[..., Outcome]  # run(job, progress) where progress(percent) reports how far
    # The result page's lines: (label, value) from the stored result.
    summary: Callable[[dict], list[tuple[Any, Any]]] = lambda result: []
    back: str = ""  # the URL name of the page the job was asked from
    # Whether the result is an error report (the workbook then marks the bad rows).
    errors_workbook: bool = False


def job_kind(name: str, *, label, summary=None, back: str = "", errors_workbook: bool = False):
    def register(run: Callable[..., Outcome]) -> Callable[..., Outcome]:
        registry["job_kinds"].add(
            name,
            JobKind(
                name=name,
                label=label,
                run=run,
                summary=summary or (lambda result: []),
                back=back,
                errors_workbook=errors_workbook,
            ),
        )
        return run

    return register


def kind(name: str) -> JobKind:
    return registry["job_kinds"][name]


def registered_kinds() -> list[str]:
    return registry["job_kinds"].keys()
