"""Every workbook the portal writes goes through here, so no cell can become a formula.

A value an elder's file, a payee or a region name carries could start with `=`, `+`, `-`, `@`,
a tab or a carriage return; a spreadsheet program may run such a cell as a formula (CSV/DDE
injection) when it is opened or edited. Each such text is written as a text cell with Excel's
quote prefix, keeping the value unchanged; characters XML cannot hold are replaced. Money and
figures stay numbers (Decimal, never float).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse
from import_export.formats.base_formats import XLSX
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = "0.00"


def append_row(sheet: Worksheet, values: Iterable, *, money_columns: Iterable[int] = ()) -> None:
    """Append one row; risky texts become quoted text cells, money columns keep two decimals."""
    cleaned = [ILLEGAL_CHARACTERS_RE.sub("?", v) if isinstance(v, str) else v for v in values]
    sheet.append(cleaned)
    cells = sheet[sheet.max_row]
    for cell in cells:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
            cell.data_type = "s"
            cell.quotePrefix = True
    for index in money_columns:
        cell = cells[index]
        if isinstance(cell.value, Decimal):
            cell.number_format = MONEY_FORMAT


def stream_row(sheet, values: Iterable) -> None:
    """`append_row` for a write-only sheet (rows streamed to the file, not kept in memory, for
    long lists): the same quoting of risky texts."""
    cells = []
    for value in values:
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("?", value)
            if value.startswith(FORMULA_STARTS):
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"
                cell.quotePrefix = True
                value = cell
        cells.append(value)
    sheet.append(cells)


def workbook_bytes(book: Workbook) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class SafeXLSX(XLSX):
    """django-import-export's Excel format, written through `append_row`."""

    def export_data(self, dataset, **kwargs) -> bytes:
        book = Workbook()
        sheet = book.active
        sheet.title = (dataset.title or "Sheet1")[:31]
        if dataset.headers:
            append_row(sheet, dataset.headers)
        for row in dataset:
            append_row(sheet, row)
        return workbook_bytes(book)


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_response(content: bytes, filename: str):
    """A workbook sent as a download named `filename`."""
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def streamed_workbook(title: str, headings: Iterable, rows: Iterable[Iterable]) -> bytes:
    """One sheet written row by row (write-only: a long list never sits in memory as cells)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(title)[:31])
    sheet.append([str(h) for h in headings])
    for row in rows:
        stream_row(sheet, row)
    return workbook_bytes(book)
