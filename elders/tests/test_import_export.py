"""Excel import (all or nothing, every bad row reported by line) and logged, masked export."""

from datetime import date
from io import BytesIO

import openpyxl
import pytest
import tablib
from django.core.exceptions import PermissionDenied

from audit.models import AccessLog
from elders.models import Elder
from elders.rules import make_id_number
from elders.services import import_elders
from tests.factories import WUMA_GULOU, WUMA_MOCHI, ElderFactory, first_village_of

pytestmark = pytest.mark.django_db
HEADERS = ["id_number", "name", "residence", "living_arrangement", "economic_status", "phone"]


def sheet(*rows):
    return tablib.Dataset(*rows, headers=HEADERS)


def good_row(seq, residence=WUMA_GULOU, **extra):
    row = [make_id_number("330302", date(1942, 1, 1), seq), f"导入{seq}", residence, "独居", "dibao", ""]
    for key, value in extra.items():
        row[HEADERS.index(key)] = value
    return row


def test_good_file_creates_and_updates(staff):
    existing = ElderFactory(name="旧名字")
    data = sheet(
        good_row(11), good_row(13), [existing.id_number.lower(), "新名字", WUMA_GULOU, "alone", "一般", ""]
    )
    report = import_elders(dataset=data, acting_user=staff["district_officer"])
    assert report.ok, report.errors
    assert (report.created, report.updated) == (2, 1)
    existing.refresh_from_db()
    assert existing.name == "新名字" and existing.economic_status == "ordinary"
    created = Elder.objects.get(name="导入11")
    assert created.living_arrangement == "alone" and created.sex == "male"
    assert created.history.first().history_user == staff["district_officer"]


def test_one_bad_row_among_five_writes_nothing_and_names_every_bad_line(staff):
    bad_check = good_row(15)
    bad_check[0] = bad_check[0][:17] + ("0" if bad_check[0][17] != "0" else "1")
    data = sheet(
        good_row(11),
        bad_check,  # line 3
        good_row(17, living_arrangement="城堡"),  # line 4
        good_row(19, residence="330302999999"),  # line 5
        good_row(11),  # line 6: same ID as line 2
    )
    report = import_elders(dataset=data, acting_user=staff["city_admin"])
    assert not report.ok
    lines = {e["line"] for e in report.errors}
    assert lines == {3, 4, 5, 6}, report.errors
    by_line = {e["line"]: e for e in report.errors}
    assert by_line[3]["field"] == "id_number"
    assert "城堡" in by_line[4]["message"]
    assert "330302999999" in by_line[5]["message"]
    assert "line 2" in by_line[6]["message"] or "第" in by_line[6]["message"]
    assert Elder.objects.count() == 0


def test_rows_outside_the_importers_region_are_refused(staff):
    longwan = first_village_of("330303")
    report = import_elders(
        dataset=sheet(good_row(23), good_row(21, residence=longwan)), acting_user=staff["district_officer"]
    )
    assert not report.ok and report.errors[0]["field"] == "residence" and report.errors[0]["line"] == 3
    assert Elder.objects.count() == 0
    data = sheet(good_row(21, residence=WUMA_MOCHI), good_row(23))
    assert import_elders(dataset=data, acting_user=staff["district_officer"]).ok


def test_workers_and_street_officers_cannot_import(staff):
    for role in ("community_worker", "street_officer", "leader"):
        with pytest.raises(PermissionDenied):
            import_elders(dataset=sheet(good_row(31)), acting_user=staff[role])


def test_admin_import_dry_run_shows_line_numbers_and_offers_no_confirm(client, staff):
    bad = good_row(41, residence="330302999999")
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(HEADERS)
    ws.append(good_row(43))
    ws.append(bad)
    buf = BytesIO()
    book.save(buf)
    buf.seek(0)
    buf.name = "elders.xlsx"
    client.force_login(staff["city_admin"])
    resp = client.post("/admin/elders/elder/import/", {"import_file": buf, "format": "0", "resource": "0"})
    page = resp.content.decode()
    assert "330302999999" in page
    assert "confirm" not in page.lower() or "process_import" not in page
    assert Elder.objects.count() == 0


@pytest.mark.parametrize("role, masked", [("city_admin", False), ("street_officer", False)])
def test_export_is_logged(client, staff, role, masked):
    elder = ElderFactory(phone="13812345678")
    client.force_login(staff[role])
    resp = client.post("/admin/elders/elder/export/", {"format": "0", "resource": "0", **_all_fields()})
    assert resp.status_code == 200
    book = openpyxl.load_workbook(BytesIO(resp.content))
    values = [c.value for row in book.active.iter_rows() for c in row]
    assert (elder.id_number in values) != masked
    log = AccessLog.objects.get()
    assert log.user == staff[role] and log.rows == 1 and log.unmasked != masked and log.action == "export"


def test_export_masks_for_roles_without_personal_data(staff):
    from elders.resources import ElderResource

    elder = ElderFactory(phone="13812345678")
    data = ElderResource(user=staff["leader"]).export(queryset=Elder.objects.all())
    row = data.dict[0]
    assert row["身份证号"] == elder.masked_id_number and row["电话"] == "138****5678"


def test_the_export_reads_as_chinese_and_imports_back_unchanged(staff):
    from elders.resources import ElderResource

    elder = ElderFactory(living_arrangement="alone", economic_status="dibao", is_veteran=True)
    data = ElderResource(user=staff["city_admin"]).export(queryset=Elder.objects.all())
    row = data.dict[0]
    assert row["居住情况"] == "独居" and row["经济状况"] == "低保" and row["退役军人及优抚对象"] == "是"
    assert not any(h.isascii() for h in data.headers)
    report = import_elders(dataset=data, acting_user=staff["city_admin"])
    assert report.ok, report.errors
    elder.refresh_from_db()
    assert (elder.living_arrangement, elder.economic_status, elder.is_veteran) == ("alone", "dibao", True)


def _all_fields():
    from elders.resources import ElderResource

    return {f"elderresource_{name}": "on" for name in ElderResource._meta.fields}
