"""The documents a pack is made from (each pack's `documents.yaml`), and what they warn of.

A document has a key the sources cite, its title, number (文号), issuer, date, status
(draft 征求意见稿, in force, expired, superseded), period and the file name of its full text
(in `policy_packs/documents/`). A scheme or list resting on a draft, or on a document whose
period has ended, shows a warning for the bureau to confirm; nothing pays past a period's end
(`effective_to` of the schemes comes from it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .sources import parse_source

PACKS_DIR = Path(settings.BASE_DIR) / "policy_packs"
TEXTS_DIR = PACKS_DIR / "documents"
STATUSES = {
    "draft": gettext_lazy("draft for comment"),
    "in_force": gettext_lazy("in force"),
    "expired": gettext_lazy("expired"),
    "superseded": gettext_lazy("superseded"),
}


@dataclass(frozen=True)
class Document:
    key: str
    title: str
    short: str
    number: str
    issuer: str
    issued_on: date | None
    status: str
    period_from: date | None
    period_to: date | None
    text: str  # file name of the full text, "" when the repository holds none

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "short": self.short,
            "number": self.number,
            "issuer": self.issuer,
            "issued_on": self.issued_on.isoformat() if self.issued_on else None,
            "status": self.status,
            "period": {
                "from": self.period_from.isoformat() if self.period_from else None,
                "to": self.period_to.isoformat() if self.period_to else None,
            },
            "text": self.text,
        }

    def warnings(self, on: date) -> list[str]:
        """What a reader must know before relying on this document on a date."""
        found = []
        name = self.short or self.title
        if self.status == "draft":
            found.append(
                _("%(doc)s is a draft for comment, not an issued document: confirm it.") % {"doc": name}
            )
        elif self.status in ("expired", "superseded"):
            found.append(_("%(doc)s is %(status)s.") % {"doc": name, "status": STATUSES[self.status]})
        if self.period_to is not None and self.period_to < on:
            found.append(
                _("The period of %(doc)s ended on %(date)s.")
                % {"doc": name, "date": self.period_to.isoformat()}
            )
        return found


def _date(value: Any, where: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(_("%(where)s is a date (YYYY-MM-DD).") % {"where": where}) from None


def parse_documents(data: Any, *, file: str = "documents.yaml") -> dict[str, Document]:
    """The documents of a `documents.yaml`, keyed, or a ValidationError naming the entry."""
    rows = data.get("documents") if isinstance(data, dict) else None
    if not isinstance(rows, list) or not rows:
        raise ValidationError(_("%(file)s: 'documents' is a non-empty list.") % {"file": file})
    found: dict[str, Document] = {}
    for i, row in enumerate(rows):
        where = f"{file}: documents[{row.get('key', i) if isinstance(row, dict) else i}]"
        if not isinstance(row, dict) or not row.get("key") or not row.get("title"):
            raise ValidationError(_("%(where)s needs 'key' and 'title'.") % {"where": where})
        if row["key"] in found:
            raise ValidationError(_("%(where)s: the key is used twice.") % {"where": where})
        if row.get("status") not in STATUSES:
            raise ValidationError(
                _("%(where)s: status is one of %(known)s.") % {"where": where, "known": ", ".join(STATUSES)}
            )
        period = row.get("period") or {}
        if not isinstance(period, dict) or set(period) - {"from", "to"}:
            raise ValidationError(_("%(where)s: period is {from, to}.") % {"where": where})
        if row.get("source") is not None:
            parse_source(row["source"], where=f"{where}.source")
        doc = Document(
            key=str(row["key"]),
            title=str(row["title"]),
            short=str(row.get("short") or ""),
            number=str(row.get("number") or ""),
            issuer=str(row.get("issuer") or ""),
            issued_on=_date(row.get("issued_on"), f"{where}.issued_on"),
            status=row["status"],
            period_from=_date(period.get("from"), f"{where}.period.from"),
            period_to=_date(period.get("to"), f"{where}.period.to"),
            text=str(row.get("text") or ""),
        )
        if doc.period_from and doc.period_to and doc.period_to < doc.period_from:
            raise ValidationError(_("%(where)s: the period ends before it starts.") % {"where": where})
        found[doc.key] = doc
    return found


def from_json(rows: Iterable[dict]) -> dict[str, Document]:
    """Documents as stored on a loaded pack (PolicyPack.documents)."""
    out = {}
    for row in rows or ():
        if not isinstance(row, dict) or "key" not in row:
            continue  # a pack loaded before documents.yaml existed
        period = row.get("period") or {}
        out[row["key"]] = Document(
            key=row["key"],
            title=row.get("title", ""),
            short=row.get("short", ""),
            number=row.get("number", ""),
            issuer=row.get("issuer", ""),
            issued_on=_date(row.get("issued_on"), "issued_on"),
            status=row.get("status", "in_force"),
            period_from=_date(period.get("from"), "period.from"),
            period_to=_date(period.get("to"), "period.to"),
            text=row.get("text", ""),
        )
    return out


def loaded_documents() -> dict[str, Document]:
    """Every document of every loaded pack, by key."""
    from .models import PolicyPack

    found: dict[str, Document] = {}
    for rows in PolicyPack.objects.values_list("documents", flat=True):
        found.update(from_json(rows))
    return found


def warnings_for(keys: Iterable[str], *, on: date, documents: dict[str, Document] | None = None) -> list[str]:
    """The warnings of the documents a value rests on (drafts, ended periods), each once."""
    docs = loaded_documents() if documents is None else documents
    out: list[str] = []
    for key in sorted(set(keys)):
        doc = docs.get(key)
        for text in doc.warnings(on) if doc else ():
            if text not in out:
                out.append(text)
    return out


def titles(documents: dict[str, Document]) -> dict[str, str]:
    return {key: doc.short or doc.title for key, doc in documents.items()}
