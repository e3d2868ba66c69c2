"""The exchange kinds' and the bulk load's templates: the layouts' Chinese headings, a drop-down
on every coded column offering the texts the check accepts, and the instruction sheet."""

from __future__ import annotations

from io import BytesIO

import openpyxl
import pytest
from django.test import Client
from django.utils import translation

from elders.choices import EconomicStatus
from elders.tests.test_workbooks import column_letter, list_values
from exchanges import bulk, rules
from exchanges.choices import Kind

pytestmark = pytest.mark.django_db


def zh(user) -> Client:
    client = Client()
    client.cookies["django_language"] = "zh-hans"
    client.force_login(user)
    return client


@pytest.mark.parametrize("kind", Kind.values)
def test_each_exchange_template_has_drop_downs_and_instructions(staff, kind):
    response = zh(staff["street_officer"]).get(f"/exchanges/templates/{kind}.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(BytesIO(response.content))
    sheet = book.worksheets[0]
    columns = rules.columns(kind)
    assert [c.value for c in sheet[1]] == [c.header for c in columns]
    for column in columns:
        offered = list_values(book, sheet, column_letter(sheet, column.header))
        assert offered == list(column.values), column.key
    guide = book["填写说明"]
    rows = {r[0]: r for r in guide.iter_rows(values_only=True) if r and r[0]}
    for column in columns:
        assert rows[column.header][1] == ("必填" if column.required else "选填")
    assert any(c.values for c in columns) or kind == Kind.DEATHS


def test_the_bulk_load_template_offers_the_registry_labels(staff):
    client = zh(staff["district_officer"])
    assert "/exchanges/loads/template.xlsx" in client.get("/exchanges/loads/").content.decode()
    response = client.get("/exchanges/loads/template.xlsx")
    book = openpyxl.load_workbook(BytesIO(response.content))
    sheet = book.worksheets[0]
    with translation.override("zh-hans"):
        headings = list(bulk.column_labels().values())
        labels = [str(label) for _code, label in EconomicStatus.choices]
    assert [c.value for c in sheet[1]] == headings
    assert list_values(book, sheet, column_letter(sheet, "经济状况")) == labels
    named = {r[0] for r in book["填写说明"].iter_rows(values_only=True) if r and r[0]}
    assert set(headings) <= named
