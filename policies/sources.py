"""Where a pack's values come from: a verbatim quote of a document, or the project's reading.

Every value a policy pack sets carries a `source`, one mapping or a list of them:

    source: {document: nanyang-2021, clause: "三(一)4", quote: "1:1.5、1:4、1:10"}
    source: {basis: reading, note: "The document gives a yearly amount; paying it monthly is ours."}

`document` is a key of a `documents.yaml` (the pack's own or the national pack's), `clause`
the document's own numbering and `quote` words that occur in the document's text, whitespace
aside and full-/half-width punctuation unified. `check_policy_sources` verifies every quote
against the texts; the loader checks the structure and that every key resolves.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

READING = "reading"


@dataclass(frozen=True)
class Quote:
    document: str
    clause: str
    quote: str


@dataclass(frozen=True)
class Reading:
    note: str


Ref = Quote | Reading


def parse_source(raw: Any, *, where: str) -> tuple[Ref, ...]:
    """The references of one `source`, or a ValidationError naming `where` and what is wrong."""
    items = raw if isinstance(raw, list) else [raw]
    if not items:
        raise ValidationError(_("%(where)s: the source list is empty.") % {"where": where})
    refs: list[Ref] = []
    for item in items:
        if not isinstance(item, dict):
            raise ValidationError(
                _("%(where)s: a source is {document, clause, quote} or {basis: reading, note}.")
                % {"where": where}
            )
        if "basis" in item:
            if item.get("basis") != READING or set(item) != {"basis", "note"} or not _text(item["note"]):
                raise ValidationError(
                    _("%(where)s: a reading is {basis: reading, note: ...} with a note.") % {"where": where}
                )
            refs.append(Reading(str(item["note"]).strip()))
            continue
        if set(item) != {"document", "clause", "quote"} or not all(
            _text(item[k]) for k in ("document", "clause", "quote")
        ):
            raise ValidationError(
                _("%(where)s: a quoted source needs exactly 'document', 'clause' and 'quote'.")
                % {"where": where}
            )
        refs.append(Quote(str(item["document"]), str(item["clause"]), str(item["quote"])))
    return tuple(refs)


def _text(value: Any) -> bool:
    return isinstance(value, str | int) and str(value).strip() != ""


# --- matching a quote against a document's text -----------------------------------------

# Beyond NFKC (which folds full-width ASCII such as ，（）：；％ to half width): the
# punctuation that Chinese documents and their web copies write either way.
_UNIFY = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "〝": '"',
        "〞": '"',
        "‘": "'",
        "’": "'",
        "。": ".",
        "—": "-",
        "–": "-",
        "―": "-",
        "〔": "[",
        "〕": "]",
        "【": "[",
        "】": "]",
        "〈": "<",
        "〉": ">",
        "《": "<",
        "》": ">",
    }
)
_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Whitespace removed, full-/half-width forms and punctuation variants unified."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text).translate(_UNIFY))


def quote_found(quote: str, normalized_text: str) -> bool:
    return normalize(quote) in normalized_text


# --- walking a pack's files -------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One value of a pack file and its source, named by where it sits (`schemes[XN-HIGH-AGE]`)."""

    path: str
    raw_source: Any


def _row_name(row: dict, index: int) -> str:
    for key in ("code", "key", "indicator", "metric", "name"):
        if row.get(key) not in (None, ""):
            return str(row[key])
    return str(index)


def iter_entries(data: dict) -> Iterator[Entry]:
    """Every mapping of a pack file that carries a `source`, with its path.

    A top-level key either carries its own source or holds a list whose rows each carry one
    (schemes, catalogue items, wait-list tiers, targets); nested rules may add their own.
    """
    for key, entry in data.items():
        yield from _walk(entry, str(key))


def _walk(node: Any, path: str) -> Iterator[Entry]:
    if isinstance(node, dict):
        if "source" in node:
            yield Entry(path, node["source"])
        for key, child in node.items():
            if key in {"source", "eligibility", "suspend_when", "target_group", "condition"}:
                continue  # conditions are data of the value, not values of their own
            yield from _walk(child, path if key == "value" else f"{path}.{key}")
    elif isinstance(node, list):
        for i, child in enumerate(node):
            if isinstance(child, dict):
                yield from _walk(child, f"{path}[{_row_name(child, i)}]")


def unsourced(data: dict) -> list[str]:
    """Top-level keys, and rows of top-level lists, that carry no source at all."""
    missing = []
    for key, entry in data.items():
        if isinstance(entry, dict) and "source" in entry:
            continue
        rows = entry.get("value") if isinstance(entry, dict) else entry
        if isinstance(rows, list) and rows:
            missing += [
                f"{key}[{_row_name(row, i)}]"
                for i, row in enumerate(rows)
                if not (isinstance(row, dict) and "source" in row)
            ]
        else:
            missing.append(str(key))
    return missing


def document_keys(data: Any) -> set[str]:
    """Every document key the sources of a file (or a part of it) cite."""
    keys: set[str] = set()
    for entry in _walk(data, ""):
        for item in entry.raw_source if isinstance(entry.raw_source, list) else [entry.raw_source]:
            if isinstance(item, dict) and item.get("document"):
                keys.add(str(item["document"]))
    return keys


# --- showing a source to a person -------------------------------------------------------


def source_text(raw: Any, titles: dict[str, str] | None = None) -> str:
    """A source as one readable line: 「quote」 (document clause); reading notes as they are.

    Old packs and admin edits may still hold a plain string: it is shown as written.
    """
    if raw in (None, ""):
        return ""
    if isinstance(raw, str):
        return raw
    try:
        refs = parse_source(raw, where="source")
    except ValidationError:
        return ""
    parts = []
    for ref in refs:
        if isinstance(ref, Reading):
            parts.append(_("Reading: %(note)s") % {"note": ref.note})
        else:
            title = (titles or {}).get(ref.document, ref.document)
            parts.append(
                _("%(title)s %(clause)s: “%(quote)s”")
                % {"title": title, "clause": ref.clause, "quote": ref.quote}
            )
    return "; ".join(parts)
