"""Every workbook the portal writes: a text that starts like a formula stays text; roster money is Decimal."""

from io import BytesIO

import openpyxl
import pytest

from eldercare.spreadsheets import FORMULA_STARTS
from regions.models import Region
from reports.services import compute_month
from reports.tests.test_reports import PERIOD
from reports.tests.test_reports import september as september  # noqa: F401 - the fixture
from tests.factories import WUMA_GULOU, ElderFactory

pytestmark = pytest.mark.django_db
RISKY = ['=HYPERLINK("http://x","y")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


def cells(content: bytes):
    book = openpyxl.load_workbook(BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def assert_text_only(content: bytes, expected: list[str]):
    # An XML reader turns a stored carriage return into a line feed.
    starts = (*FORMULA_STARTS, "\n")
    found = {c.value: c for c in cells(content) if isinstance(c.value, str) and c.value.startswith(starts)}
    for value in (v.replace("\r", "\n") for v in expected):
        assert value in found, (value, list(found))
        assert found[value].data_type == "s" and found[value].quotePrefix, value
    # Nothing in the file is a formula at all.
    assert b"<f>" not in _sheet_xml(content)


def _sheet_xml(content: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(BytesIO(content)) as archive:
        return b"".join(archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))


def test_registry_export_writes_formula_like_text_as_text(client, staff):
    for index, value in enumerate(RISKY):
        ElderFactory(name=value[:50], address=f"{value} 号", notes=value) if index % 2 else ElderFactory(
            address=value
        )
    client.force_login(staff["city_admin"])
    from elders.tests.test_import_export import _all_fields

    resp = client.post("/admin/elders/elder/export/", {"format": "0", "resource": "0", **_all_fields()})
    assert resp.status_code == 200
    assert_text_only(
        resp.content, [v for i, v in enumerate(RISKY) if not i % 2] + [v[:50] for v in RISKY[1::2]]
    )


def test_report_workbook_writes_a_formula_like_region_name_as_text(client, september, staff):  # noqa: F811
    Region.objects.filter(code=WUMA_GULOU).update(name="=1+1")
    compute_month(PERIOD)
    client.force_login(staff["city_admin"])
    content = client.get(f"/dashboard/report.xlsx?period={PERIOD}").content
    assert_text_only(content, ["=1+1"])
