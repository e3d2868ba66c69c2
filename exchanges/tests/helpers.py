"""Builders of the exchange tests: lists as workbooks or CSV, and sending them."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook
from rest_framework.test import APIClient

from exchanges import rules


def headers(kind: str) -> list[str]:
    return [c.header for c in rules.columns(kind)]


def workbook(kind: str, rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers(kind))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(kind: str, rows: list[list], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers(kind))
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def api(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def send(
    user,
    kind: str,
    content: bytes,
    *,
    name: str = "list.xlsx",
    source: str = "市公安局",
    period: str = "2026-11",
):
    resp = api(user).post(
        "/api/v1/exchanges/",
        {"kind": kind, "file": SimpleUploadedFile(name, content), "source": source, "period": period},
        format="multipart",
    )
    return resp


def rows_of(user, exchange_id: int, **params) -> list[dict]:
    resp = api(user).get(f"/api/v1/exchanges/{exchange_id}/rows/", {"page_size": 500, **params})
    assert resp.status_code == 200, resp.content
    return resp.json()["results"]


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)
