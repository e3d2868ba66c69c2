"""Reading a list as rows of text: Excel (.xlsx) or CSV (UTF-8, or GB 18030 as Chinese systems
write it). Lines are numbered as the spreadsheet shows them: the heading is line 1."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel keeps long digit strings (codes) as numbers
    return str(value).strip()


def read_table(content: bytes, filename: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The heading cells and the (line, cells) of every non-empty row below it."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        rows = _xlsx_rows(content)
    elif name.endswith(".csv") or name.endswith(".txt"):
        rows = _csv_rows(content)
    else:
        raise ValidationError({"file": _("Send an Excel workbook (.xlsx) or a CSV file.")})
    if not rows:
        raise ValidationError({"file": _("The file is empty.")})
    headers = [cell_text(c) for c in rows[0]]
    body = []
    for index, cells in enumerate(rows[1:], start=2):
        texts = [cell_text(c) for c in cells]
        if any(texts):
            body.append((index, texts))
    return headers, body


def _xlsx_rows(content: bytes) -> list[tuple]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable workbook is the same answer to the sender
        raise ValidationError(
            {"file": _("The workbook cannot be read; save it as .xlsx and send it again.")}
        ) from None
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    book.close()
    return rows


def _csv_rows(content: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationError({"file": _("The CSV file is neither UTF-8 nor GB 18030 text.")})
    if "\x00" in text:
        raise ValidationError({"file": _("The CSV file is neither UTF-8 nor GB 18030 text.")})
    return list(csv.reader(io.StringIO(text)))
