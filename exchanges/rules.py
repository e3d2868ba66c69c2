"""Pure rules of the exchanges: each kind's column layout and the check of one row. No database.

A list from another department is read into rows of text (files.py); each row is checked here,
column by column, into clean values or a list of errors naming the column. What needs the
database (is there a file with this ID number, does the community exist) is services.py's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.choices import Grade, RecognisedSource
from elders.choices import EconomicStatus
from elders.rules import IdNumberError, parse_id_number

from .choices import Kind


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the Chinese heading of the template: part of the file contract
    required: bool
    help: str  # what goes in it (translated on display)
    values: tuple[str, ...] = ()  # the accepted texts of a coded column


# Texts accepted in coded columns, as the departments' systems write them.
ASSISTANCE_CATEGORIES = {
    "特困": EconomicStatus.EXTREME_POVERTY,
    "特困人员": EconomicStatus.EXTREME_POVERTY,
    "特困供养": EconomicStatus.EXTREME_POVERTY,
    "低保": EconomicStatus.DIBAO,
    "低保对象": EconomicStatus.DIBAO,
    "低保边缘": EconomicStatus.NEAR_DIBAO,
    "低保边缘家庭": EconomicStatus.NEAR_DIBAO,
}
DISABILITY_KINDS = ("视力", "听力", "言语", "肢体", "智力", "精神", "多重")
DISABILITY_GRADES = {"一级": 1, "二级": 2, "三级": 3, "四级": 4, "1": 1, "2": 2, "3": 3, "4": 4}
MOVES = {"迁入": "in", "迁出": "out"}
RESULT_SOURCES = {
    "卫健": RecognisedSource.HEALTH,
    "卫健委": RecognisedSource.HEALTH,
    "医保": RecognisedSource.LTC_INSURANCE,
    "长护险": RecognisedSource.LTC_INSURANCE,
    "残联": RecognisedSource.DISABILITY,
}
RESULT_GRADES = {
    "能力完好": Grade.INTACT,
    "轻度失能": Grade.MILD,
    "中度失能": Grade.MODERATE,
    "重度失能": Grade.SEVERE,
    "完全失能": Grade.COMPLETE,
    "0": Grade.INTACT,
    "1": Grade.MILD,
    "2": Grade.MODERATE,
    "3": Grade.SEVERE,
    "4": Grade.COMPLETE,
}

_ID = Column("id_number", "身份证号", True, gettext_lazy("18-character resident ID number"))
_NAME = Column("name", "姓名", True, gettext_lazy("Name as on the ID card; compared with the file"))
_COMMUNITY = Column(
    "community",
    "社区代码",
    False,
    gettext_lazy(
        "12-digit code of the community or village; needed to register someone not yet in the registry"
    ),
)
_ADDRESS = Column("address", "地址", False, gettext_lazy("Address, for a new file"))

LAYOUTS: dict[str, tuple[Column, ...]] = {
    Kind.DEATHS: (
        _ID,
        _NAME,
        Column("death_date", "死亡日期", True, gettext_lazy("Date of death (2026-11-03)")),
        Column("informant", "信息来源", False, gettext_lazy("Who reported it (公安, 卫健, 殡葬)")),
    ),
    Kind.SOCIAL_ASSISTANCE: (
        _ID,
        _NAME,
        Column(
            "category", "救助类别", True, gettext_lazy("特困, 低保 or 低保边缘"), tuple(ASSISTANCE_CATEGORIES)
        ),
        Column("start_date", "开始日期", True, gettext_lazy("Date the assistance starts")),
        Column("end_date", "终止日期", False, gettext_lazy("Date it ends, if it has ended or will end")),
        _COMMUNITY,
        _ADDRESS,
    ),
    Kind.DISABILITY: (
        _ID,
        _NAME,
        Column("certificate", "残疾证号", True, gettext_lazy("Disability certificate number")),
        Column(
            "disability_kind",
            "残疾类别",
            True,
            gettext_lazy("视力, 听力, 言语, 肢体, 智力, 精神 or 多重"),
            DISABILITY_KINDS,
        ),
        Column("grade", "残疾等级", True, gettext_lazy("一级 to 四级 (or 1 to 4)"), tuple(DISABILITY_GRADES)),
        _COMMUNITY,
        _ADDRESS,
    ),
    Kind.HOUSEHOLD: (
        _ID,
        _NAME,
        Column("move", "变动类型", True, gettext_lazy("迁入 (moved in) or 迁出 (moved out)"), tuple(MOVES)),
        Column("moved_on", "变动日期", True, gettext_lazy("Date of the move")),
        Column(
            "community",
            "迁入社区代码",
            False,
            gettext_lazy("12-digit code of the community moved into (迁入 only)"),
        ),
        _ADDRESS,
    ),
    Kind.ASSESSMENTS: (
        _ID,
        _NAME,
        Column(
            "source", "评估部门", True, gettext_lazy("卫健, 医保 (长护险) or 残联"), tuple(RESULT_SOURCES)
        ),
        Column("assessed_on", "评估日期", True, gettext_lazy("Date of the assessment")),
        Column(
            "grade",
            "能力等级",
            True,
            gettext_lazy("能力完好, 轻度失能, 中度失能, 重度失能 or 完全失能 (or 0 to 4)"),
            tuple(RESULT_GRADES),
        ),
        Column("valid_until", "有效期至", True, gettext_lazy("Last day the result is valid")),
        Column("document", "文书编号", False, gettext_lazy("Reference of the department's report")),
    ),
}


def columns(kind: str) -> tuple[Column, ...]:
    return LAYOUTS[kind]


def header_keys(kind: str, headers: list[str]) -> tuple[dict[int, str], list[str]]:
    """Map a file's heading cells to column keys (Chinese heading or the English key), and the
    required headings that are missing."""
    by_text = {}
    for col in LAYOUTS[kind]:
        by_text[col.header] = col.key
        by_text[col.key] = col.key
    found = {i: by_text[h.strip()] for i, h in enumerate(headers) if h and h.strip() in by_text}
    missing = [c.header for c in LAYOUTS[kind] if c.required and c.key not in found.values()]
    return found, missing


_DATE_FORMS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)


def parse_date(text: str) -> date | None:
    """A date as departments write it (2026-11-03, 2026/11/3, 20261103, 2026年11月3日), or None."""
    value = text.strip()
    for form in _DATE_FORMS:
        m = form.match(value)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return None
    return None


@dataclass
class CheckedRow:
    values: dict = field(default_factory=dict)  # clean values; dates as ISO text
    errors: list[dict] = field(default_factory=list)  # {"field": heading, "message": text}

    def error(self, column: Column, message: str) -> None:
        self.errors.append({"field": column.header, "message": str(message)})


def _date_value(row: CheckedRow, col: Column, text: str, today: date) -> date | None:
    day = parse_date(text)
    if day is None:
        row.error(col, _("%(value)s is not a date (write it as 2026-11-03).") % {"value": text})
        return None
    if day > today:
        row.error(col, _("The date %(value)s is in the future.") % {"value": day.isoformat()})
        return None
    return day


def check_row(kind: str, cells: dict[str, str], *, today: date) -> CheckedRow:
    """Check one row of a list: every column of the layout, every error named by its heading."""
    row = CheckedRow()
    cols = {c.key: c for c in LAYOUTS[kind]}
    for col in LAYOUTS[kind]:
        if col.required and not cells.get(col.key, "").strip():
            row.error(col, _("%(column)s is empty.") % {"column": col.header})
    text = {k: (cells.get(k) or "").strip() for k in cols}

    if text["id_number"]:
        try:
            row.values["id_number"] = parse_id_number(text["id_number"], today=today).number
        except IdNumberError as exc:
            row.error(cols["id_number"], str(exc))
    if text["name"]:
        if len(text["name"]) > 50:
            row.error(cols["name"], _("The name is longer than 50 characters."))
        else:
            row.values["name"] = re.sub(r"\s+", "", text["name"])
    for key in ("address", "informant", "document", "certificate"):
        if key in cols and text[key]:
            limit = 200 if key == "address" else 100
            if len(text[key]) > limit:
                row.error(
                    cols[key],
                    _("%(column)s is longer than %(n)d characters.")
                    % {"column": cols[key].header, "n": limit},
                )
            else:
                row.values[key] = text[key]
    if "community" in cols and text["community"]:
        code = text["community"]
        if not re.fullmatch(r"\d{12}", code):
            row.error(cols["community"], _("%(value)s is not a 12-digit region code.") % {"value": code})
        else:
            row.values["community"] = code

    def coded(key: str, table: dict) -> None:
        if text[key]:
            if text[key] in table:
                row.values[key] = table[text[key]]
            else:
                row.error(
                    cols[key],
                    _("%(value)s is not one of: %(codes)s.")
                    % {"value": text[key], "codes": "、".join(cols[key].values)},
                )

    # An end date or a validity may lie ahead: they are checked with their kind below.
    dates = [k for k in ("death_date", "start_date", "moved_on", "assessed_on") if k in cols]
    for key in dates:
        if text[key]:
            day = _date_value(row, cols[key], text[key], today)
            if day is not None:
                row.values[key] = day.isoformat()

    if kind == Kind.SOCIAL_ASSISTANCE:
        coded("category", ASSISTANCE_CATEGORIES)
        if text["end_date"]:
            # An end date may lie ahead (assistance granted until a date): only its form is checked.
            end = parse_date(text["end_date"])
            if end is None:
                row.error(
                    cols["end_date"],
                    _("%(value)s is not a date (write it as 2026-11-03).") % {"value": text["end_date"]},
                )
            elif "start_date" in row.values and end.isoformat() < row.values["start_date"]:
                row.error(cols["end_date"], _("The end date is before the start date."))
            else:
                row.values["end_date"] = end.isoformat()
    elif kind == Kind.DISABILITY:
        coded("disability_kind", {k: k for k in DISABILITY_KINDS})
        coded("grade", DISABILITY_GRADES)
    elif kind == Kind.HOUSEHOLD:
        coded("move", MOVES)
        if row.values.get("move") == "in" and not text["community"]:
            row.error(cols["community"], _("A move in names the community moved into."))
    elif kind == Kind.ASSESSMENTS:
        coded("source", RESULT_SOURCES)
        coded("grade", RESULT_GRADES)
        if text["valid_until"]:
            until = parse_date(text["valid_until"])
            if until is None:
                row.error(
                    cols["valid_until"],
                    _("%(value)s is not a date (write it as 2026-11-03).") % {"value": text["valid_until"]},
                )
            elif "assessed_on" in row.values and until.isoformat() < row.values["assessed_on"]:
                row.error(cols["valid_until"], _("The validity ends before the assessment date."))
            elif until < today:
                row.error(
                    cols["valid_until"],
                    _("The result is no longer valid (valid until %(d)s).") % {"d": until.isoformat()},
                )
            else:
                row.values["valid_until"] = until.isoformat()
    if kind == Kind.DEATHS and "death_date" in row.values and "id_number" in row.values:
        born = parse_id_number(row.values["id_number"], today=today).birth_date
        if row.values["death_date"] < born.isoformat():
            row.error(cols["death_date"], _("The date of death is before the birth date."))
    return row


def reason_text(source: str, period: str) -> str:
    """The change reason written into each file's history: 据 市社会救助系统 2026-11 名单."""
    return f"据 {source} {period} 名单"
