"""The portal's printed forms as PDF (reportlab): fonts, the page frame, tables, signature lines
and the seal box. Each app builds its own documents from these (`<app>/pdf.py`); views only
answer with `pdf_response`.

Chinese text needs a CJK font. By default the built-in CID font STSong-Light is used: it needs
no font file (the README's quick start stays pure Python) and every PDF reader brings a Song
face for it; its text is extractable, which the tests rely on. `PDF_FONT_FILE` (a TrueType
.ttf/.ttc path) embeds that font instead, for readers without Asian font support.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from urllib.parse import quote
from xml.sax.saxutils import escape

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from regions.scope import staff_profile

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
CID_FONT = "STSong-Light"


@cache
def font() -> str:
    """The registered font's name (registered once per process)."""
    path = getattr(settings, "PDF_FONT_FILE", "")
    if path:
        pdfmetrics.registerFont(TTFont("PortalCJK", path, subfontIndex=0))
        return "PortalCJK"
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return CID_FONT


@cache
def styles() -> dict[str, ParagraphStyle]:
    name = font()
    # wordWrap CJK: Chinese lines break between any two characters, not only at spaces.
    body = ParagraphStyle("body", fontName=name, fontSize=10, leading=14, wordWrap="CJK")
    return {
        "title": ParagraphStyle(
            "title", parent=body, fontSize=16, leading=22, alignment=TA_CENTER, spaceAfter=4 * mm
        ),
        "heading": ParagraphStyle(
            "heading",
            parent=body,
            fontSize=12,
            leading=16,
            spaceBefore=4 * mm,
            spaceAfter=2 * mm,
            keepWithNext=1,
        ),
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=12),
        "head": ParagraphStyle("head", parent=body, fontSize=9, leading=12, textColor=colors.black),
    }


def text(value, style: str = "body") -> Paragraph:
    """A paragraph of plain text (escaped: a name with '<' or '&' prints as written)."""
    shown = "—" if value in (None, "") else str(value)
    return Paragraph(escape(shown).replace("\n", "<br/>"), styles()[style])


def title(value) -> Paragraph:
    return text(value, "title")


def heading(value) -> Paragraph:
    return text(value, "heading")


def together(*parts) -> KeepTogether:
    """Flowables kept on one page (a heading with its signature lines)."""
    return KeepTogether(list(parts))


def spacer(height_mm: float = 3) -> Spacer:
    return Spacer(1, height_mm * mm)


_GRID = [
    ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("TOPPADDING", (0, 0), (-1, -1), 3),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
]


def fields(rows: Sequence[tuple], columns: int = 2) -> Table:
    """Label/value pairs in a grid, `columns` pairs a line (the form layout of a 档案 page)."""
    cells = [[text(label, "cell"), text(value, "cell")] for label, value in rows]
    lines = []
    for start in range(0, len(cells), columns):
        line = [c for pair in cells[start : start + columns] for c in pair]
        line += [""] * (2 * columns - len(line))
        lines.append(line)
    label_width = 26 * mm
    value_width = TEXT_WIDTH / columns - label_width
    table = Table(lines or [[""]], colWidths=[label_width, value_width] * columns)
    table.setStyle(
        TableStyle(
            _GRID
            + [("BACKGROUND", (c, 0), (c, -1), colors.HexColor("#f0f0f0")) for c in range(0, 2 * columns, 2)]
        )
    )
    return table


def table(headers: Sequence, rows: Iterable[Sequence], widths: Sequence[float] | None = None) -> Table:
    """A table with a heading row repeated on each page; `widths` are fractions of the line."""
    data = [[text(h, "head") for h in headers]] + [[text(v, "cell") for v in row] for row in rows]
    if len(data) == 1:
        data.append([text(_("None"), "cell")] + [""] * (len(headers) - 1))
    col_widths = [w * TEXT_WIDTH for w in widths] if widths else None
    result = Table(data, colWidths=col_widths, repeatRows=1)
    result.setStyle(TableStyle(_GRID + [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e4e4e4"))]))
    return result


def signature_lines(labels: Sequence, *, seal: bool = False, unit: str = "") -> KeepTogether:
    """One line per signer: who signs, a blank to sign on, and the date; with `seal`, the box
    to stamp the unit's seal in below them (kept on the same page as the signatures)."""
    rows = [
        [text(_("%(signer)s (signature):") % {"signer": label}), "", text(_("Date:")), ""] for label in labels
    ]
    widths = [0.34 * TEXT_WIDTH, 0.36 * TEXT_WIDTH, 0.1 * TEXT_WIDTH, 0.2 * TEXT_WIDTH]
    lines = Table(rows, colWidths=widths, rowHeights=[12 * mm] * len(rows))
    lines.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LINEBELOW", (1, 0), (1, -1), 0.6, colors.black),
                ("LINEBELOW", (3, 0), (3, -1), 0.6, colors.black),
            ]
        )
    )
    parts = [spacer(4), lines]
    if seal:
        parts += [spacer(4), SealBox(_("Seal"), unit)]
    return KeepTogether(parts)


class SealBox(Flowable):
    """A square to stamp the unit's seal in, labelled (盖章), at the right of the line, with
    the unit's name under it."""

    size = 38 * mm

    def __init__(self, label: str, unit: str = ""):
        super().__init__()
        self.label, self.unit = label, unit
        self.width, self.height = TEXT_WIDTH, self.size + 6 * mm

    def wrap(self, available_width, available_height):
        self.width = available_width
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        left = self.width - self.size
        c.setDash(3, 2)
        c.setLineWidth(0.6)
        c.rect(left, 6 * mm, self.size, self.size)
        c.setDash()
        c.setFont(font(), 10)
        c.drawCentredString(left + self.size / 2, 6 * mm + self.size / 2, f"（{self.label}）")
        if self.unit:
            c.setFont(font(), 9)
            c.drawRightString(self.width, 1.5 * mm, self.unit)


def reporting_unit(user, default: str = "") -> str:
    """填报单位: the account's region of responsibility by its full name, with its unit (a
    department account's 市卫健委) when it has one; `default` for an account without a region."""
    profile = staff_profile(user)
    if profile is None:
        return default
    name = profile.region.full_name()
    return f"{name} {profile.department.name}" if profile.department_id else name


@dataclass(frozen=True)
class Frame:
    """What every page repeats: the unit that fills the form in, the date, the page number."""

    title: str
    unit: str
    on: date


def _numbered_canvas(frame: Frame):
    header = _("Reporting unit: %(unit)s") % {"unit": frame.unit}
    dated = _("Date filled: %(date)s") % {"date": f"{frame.on:%Y-%m-%d}"}

    class NumberedCanvas(canvas.Canvas):
        # The total page count is known only at the end: pages are kept and stamped on save.
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._stamp(total)
                super().showPage()
            super().save()

        def _stamp(self, total: int) -> None:
            self.setFont(font(), 8.5)
            self.setFillColor(colors.dimgrey)
            top = PAGE_HEIGHT - MARGIN + 6 * mm
            self.drawString(MARGIN, top, header)
            self.drawRightString(PAGE_WIDTH - MARGIN, top, dated)
            self.setStrokeColor(colors.lightgrey)
            self.line(MARGIN, top - 2 * mm, PAGE_WIDTH - MARGIN, top - 2 * mm)
            page = _("Page %(page)s of %(pages)s") % {"page": self._pageNumber, "pages": total}
            # Not a middle dot: the built-in CID font has no glyph for U+00B7.
            self.drawCentredString(PAGE_WIDTH / 2, MARGIN - 8 * mm, f"{frame.title}　{page}")

    return NumberedCanvas


def render(frame: Frame, story: list) -> bytes:
    """The document's bytes: A4, the frame on every page, the title first."""
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 4 * mm,
        bottomMargin=MARGIN,
        title=frame.title,
        author=frame.unit,
        creator=_("Basic elderly-care service portal"),
    )
    doc.build([title(frame.title), *story], canvasmaker=_numbered_canvas(frame))
    return out.getvalue()


def pdf_response(content: bytes, filename: str, fallback: str) -> HttpResponse:
    """The PDF shown in the browser (its print button prints it), saved under `filename` (a
    Chinese name) or, in a client without RFC 6266 names, `fallback` (ASCII)."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    # Personal data: no shared cache keeps it.
    response["Cache-Control"] = "private, no-store"
    return response
