"""The machine check of every pack's sources against the documents' texts.

Run by `manage.py check_policy_sources --documents DIR` (CI runs it on the seeds and on the
committed copies). It reads the pack files themselves, not the database, so what is checked is
exactly what a load would write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError

from .documents import Document, parse_documents
from .sources import Quote, Reading, iter_entries, normalize, parse_source, quote_found, unsourced

NATIONAL = "national"


@dataclass
class PackReport:
    name: str
    values: int = 0
    verified: int = 0
    readings: int = 0
    without_text: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _yaml(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    return data if isinstance(data, dict) else {}


def pack_documents(folder: Path) -> dict[str, Document]:
    path = folder / "documents.yaml"
    if not path.exists():
        return {}
    return parse_documents(_yaml(path), file=f"{folder.name}/documents.yaml")


def check_packs(packs_dir: Path, texts_dir: Path) -> list[PackReport]:
    """Check every pack under `packs_dir` against the texts in `texts_dir`."""
    folders = sorted(p for p in packs_dir.iterdir() if (p / "pack.yaml").exists())
    national = packs_dir / NATIONAL
    shared: dict[str, Document] = {}
    if national.is_dir():
        try:
            shared = pack_documents(national)
        except ValidationError:
            shared = {}  # reported with the national pack itself
    texts: dict[str, str | None] = {}

    def text_of(doc: Document) -> str | None:
        if doc.key not in texts:
            path = texts_dir / doc.text if doc.text else None
            texts[doc.key] = (
                normalize(path.read_text(encoding="utf-8")) if path is not None and path.is_file() else None
            )
        return texts[doc.key]

    reports = []
    for folder in folders:
        report = PackReport(folder.name)
        reports.append(report)
        try:
            own = pack_documents(folder)
        except ValidationError as exc:
            report.errors += [f"{folder.name}/documents.yaml: {m}" for m in exc.messages]
            own = {}
        if not own:
            report.errors.append(f"{folder.name}/documents.yaml: missing or empty")
        clash = sorted(set(own) & set(shared)) if folder.name != NATIONAL else []
        report.errors += [f"{folder.name}/documents.yaml: key {k} is also a national key" for k in clash]
        known = {**shared, **own}
        for doc in own.values():
            if text_of(doc) is None:
                report.without_text.append(doc.key)
        for path in sorted(folder.glob("*.yaml")):
            if path.name == "pack.yaml":
                continue
            data = _yaml(path)
            if path.name == "documents.yaml":
                entries = [e for e in iter_entries({"documents": data.get("documents", [])})]
            else:
                report.errors += [f"{path.name}: {where}: no source" for where in unsourced(data)]
                entries = list(iter_entries(data))
            for entry in entries:
                report.values += 1
                if isinstance(entry.raw_source, str):
                    # Words with no document, clause and quote cannot be checked against anything.
                    report.errors.append(
                        f"{path.name}: {entry.path}: a plain-text source; write it as "
                        "{document, clause, quote} or {basis: reading, note}"
                    )
                    continue
                try:
                    refs = parse_source(entry.raw_source, where=f"{path.name}: {entry.path}")
                except ValidationError as exc:
                    report.errors += exc.messages
                    continue
                for ref in refs:
                    if isinstance(ref, Reading):
                        report.readings += 1
                        continue
                    _check_quote(report, path.name, entry.path, ref, known, text_of)
    return reports


def _check_quote(report: PackReport, file: str, where: str, ref: Quote, known, text_of) -> None:
    doc = known.get(ref.document)
    if doc is None:
        report.errors.append(f"{file}: {where}: unknown document '{ref.document}'")
        return
    text = text_of(doc)
    if text is None:
        # A quote nobody can check is no better than a reading: it must say so.
        report.errors.append(
            f"{file}: {where}: {ref.document} has no text in the repository, so «{ref.quote}» cannot be "
            "checked; write it as {basis: reading, note}"
        )
    elif quote_found(ref.quote, text):
        report.verified += 1
    else:
        report.errors.append(f"{file}: {where}: quote not in {ref.document} {ref.clause}: «{ref.quote}»")
