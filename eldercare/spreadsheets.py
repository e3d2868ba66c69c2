"""Every workbook the portal writes goes through here, so no cell can become a formula.

A value an elder's file, a payee or a region name carries could start with `=`, `+`, `-`, `@`,
a tab or a carriage return; a spreadsheet program may run such a cell as a formula (CSV/DDE
injection) when it is opened or edited. Each such text is written as a text cell with Excel's
quote prefix, keeping the value unchanged; characters XML cannot hold are replaced. Money and
figures stay numbers (Decimal, never float).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse
from django.utils.translation import gettext as _
from import_export.formats.base_formats import XLSX
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
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


# --- import templates and error reports ------------------------------------------------------

# Rows of a template the drop-downs cover (a street's registry; a longer file is pasted, and a
# pasted value is checked by the import anyway).
TEMPLATE_ROWS = 10_000
# Excel keeps a list written into the validation itself to 255 characters; a longer one is put
# in a hidden sheet and referenced by its range.
INLINE_LIST_CHARS = 255
HEADING_FILL = PatternFill("solid", fgColor="FFDDEBF7")
# The bad rows of an error report in light red, the bad cells in a stronger red.
BAD_ROW_FILL = PatternFill("solid", fgColor="FFFFC7CE")
BAD_CELL_FILL = PatternFill("solid", fgColor="FFFF7C80")


@dataclass(frozen=True)
class TemplateColumn:
    """One column of an import template: its heading, whether it must be filled, what goes in
    it, and (for a coded column) the texts the import accepts, offered as a drop-down."""

    heading: str
    required: bool = False
    format: str = ""
    values: tuple[str, ...] = ()
    # Long digit strings (ID numbers, region codes) are text, or Excel shows 3.30302E+17.
    text: bool = False


def _list_formula(book: Workbook, values: Sequence[str], lists: list) -> str:
    inline = ",".join(values)
    if len(inline) + 2 <= INLINE_LIST_CHARS and not any("," in v or '"' in v for v in values):
        return f'"{inline}"'
    if not lists:
        sheet = book.create_sheet(_("Lists")[:31])
        sheet.sheet_state = "hidden"
        lists.append(sheet)
    sheet = lists[0]
    column = get_column_letter(len(lists))  # one column of the hidden sheet per list
    lists.append(column)
    for row, value in enumerate(values, start=1):
        cell = sheet[f"{column}{row}"]
        cell.value = ILLEGAL_CHARACTERS_RE.sub("?", value)
        cell.data_type = "s"
    return f"'{sheet.title}'!${column}$1:${column}${len(values)}"


def template_workbook(title: str, columns: Sequence[TemplateColumn], *, notes: Iterable[str] = ()) -> bytes:
    """An import template: the headings on the first sheet (the one every import reads), a
    drop-down on each coded column, and the instruction sheet (填写说明) saying for every column
    whether it must be filled, its format and the values it accepts."""
    book = Workbook()
    sheet = book.active
    sheet.title = str(title)[:31]
    append_row(sheet, [c.heading for c in columns])
    sheet.freeze_panes = "A2"
    lists: list = []
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        heading = sheet.cell(row=1, column=index)
        heading.fill = HEADING_FILL
        heading.font = Font(bold=True, color="FFC00000" if column.required else None)
        sheet.column_dimensions[letter].width = max(12, min(40, len(column.heading) * 2 + 4))
        if column.text:
            sheet.column_dimensions[letter].number_format = "@"
        if not column.values:
            continue
        validation = DataValidation(
            type="list",
            formula1=_list_formula(book, column.values, lists),
            allow_blank=not column.required,
            showErrorMessage=True,
            errorTitle=_("Not in the list"),
            error=_("Choose a value from the list (see the instruction sheet)."),
        )
        validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
        sheet.add_data_validation(validation)
    guide = book.create_sheet(_("Instructions")[:31], 1)
    for note in notes:
        append_row(guide, [str(note)])
    if notes:
        append_row(guide, [])
    append_row(guide, [_("Column"), _("Required"), _("Format"), _("Allowed values")])
    for cell in guide[guide.max_row]:
        cell.font = Font(bold=True)
        cell.fill = HEADING_FILL
    for column in columns:
        append_row(
            guide,
            [
                column.heading,
                _("must be filled") if column.required else _("may be left empty"),
                str(column.format),
                "、".join(column.values),
            ],
        )
    for letter, width in zip("ABCD", (24, 14, 60, 60), strict=True):
        guide.column_dimensions[letter].width = width
    return workbook_bytes(book)


def marked_workbook(
    title: str,
    headings: Sequence,
    rows: Iterable[Sequence],
    marks: dict[int, dict[int | None, list[str]]],
) -> bytes:
    """The rows of an uploaded file as they were sent, each bad row in light red, each bad cell
    in red, and a last column saying what is wrong. `marks` maps a row's index (0 for the first
    row under the headings) to the messages per column index (None: the row as a whole)."""
    book = Workbook()
    sheet = book.active
    sheet.title = str(title)[:31]
    width = len(headings)
    append_row(sheet, [*(str(h) if h is not None else "" for h in headings), _("Errors")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADING_FILL
    sheet.freeze_panes = "A2"
    for index, row in enumerate(rows):
        values = list(row)[:width] + [None] * max(0, width - len(row))
        found = marks.get(index)
        append_row(sheet, [*values, "；".join(m for messages in (found or {}).values() for m in messages)])
        if not found:
            continue
        cells = sheet[sheet.max_row]
        for cell in cells[:width]:
            cell.fill = BAD_ROW_FILL
        for column in found:
            if column is not None and column < width:
                cells[column].fill = BAD_CELL_FILL
        cells[width].font = Font(color="FFC00000")
    sheet.column_dimensions[get_column_letter(width + 1)].width = 80
    return workbook_bytes(book)
