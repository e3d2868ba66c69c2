"""The registry's workbooks: the import template (Chinese headings, drop-downs, 填写说明), the
import as a background job (all or nothing, the error workbook marking the bad cells), and the
registry export from the list page (at once, or as a job above EXPORT_JOB_ROWS)."""

from datetime import date
from io import BytesIO

import openpyxl
import pytest
from django.test import Client
from django.utils import translation

from audit.models import AccessLog
from eldercare.spreadsheets import BAD_CELL_FILL, BAD_ROW_FILL
from elders.choices import LivingArrangement
from elders.models import Elder
from elders.rules import make_id_number
from jobs.models import Job
from tests.factories import SONGTAI, WUMA, WUMA_GULOU, ElderFactory, first_village_of, make_staff

pytestmark = pytest.mark.django_db
HEADINGS = ["身份证号", "姓名", "居住地（社区/村）", "居住情况", "经济状况", "电话"]


def zh_client(user) -> Client:
    client = Client()
    client.cookies["django_language"] = "zh-hans"
    client.force_login(user)
    return client


def book_of(content: bytes):
    return openpyxl.load_workbook(BytesIO(content))


def list_values(book, sheet, column_letter: str) -> list[str]:
    """The values a list validation on `column_letter` offers (inline or a range of a sheet)."""
    for validation in sheet.data_validations.dataValidation:
        if validation.type == "list" and any(
            r.min_col == r.max_col == openpyxl.utils.column_index_from_string(column_letter)
            for r in validation.sqref.ranges
        ):
            formula = validation.formula1
            if formula.startswith('"'):
                return formula.strip('"').split(",")
            where, cells = formula.split("!")
            source = book[where.strip("'")]
            return [c.value for (c,) in source[cells.replace("$", "")]]
    return []


def column_letter(sheet, heading: str) -> str:
    for cell in sheet[1]:
        if cell.value == heading:
            return cell.column_letter
    raise AssertionError(f"no column {heading}: {[c.value for c in sheet[1]]}")


def upload(rows, headings=HEADINGS) -> BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "台账.xlsx"
    return out


def good_row(seq, residence=WUMA_GULOU):
    return [make_id_number("330302", date(1942, 1, 1), seq), f"导入{seq}", residence, "独居", "低保", ""]


def test_the_import_template_has_chinese_headings_drop_downs_and_an_instruction_sheet(staff):
    client = zh_client(staff["district_officer"])
    response = client.get("/elders/import/template.xlsx")
    assert response.status_code == 200
    book = book_of(response.content)
    sheet = book.worksheets[0]
    headings = [c.value for c in sheet[1]]
    assert headings[:3] == ["身份证号", "姓名", "居住地（社区/村）"], headings
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in h) for h in headings), headings
    with translation.override("zh-hans"):
        labels = [str(label) for _code, label in LivingArrangement.choices]
    assert list_values(book, sheet, column_letter(sheet, "居住情况")) == labels
    assert list_values(book, sheet, column_letter(sheet, "退役军人及优抚对象")) == ["是", "否"]
    # The long list of communities sits in a hidden sheet; the district's own only.
    communities = list_values(book, sheet, column_letter(sheet, "居住地（社区/村）"))
    assert any(c.startswith(f"{WUMA_GULOU} ") for c in communities)
    assert all(c.startswith("330302") for c in communities)
    assert book["选项"].sheet_state == "hidden"
    guide = book["填写说明"]
    named = {row[0] for row in guide.iter_rows(values_only=True) if row and row[0]}
    assert set(headings) <= named
    required = {row[0]: row[1] for row in guide.iter_rows(values_only=True) if row and row[0] in headings}
    assert required["身份证号"] == "必填" and required["电话"] != "必填"


def test_the_admin_import_page_and_the_list_link_the_template_and_the_import(staff):
    client = zh_client(staff["district_officer"])
    admin_page = client.get("/admin/elders/elder/import/").content.decode()
    assert "/elders/import/template.xlsx" in admin_page and "/elders/import/" in admin_page
    assert "/elders/import/" in client.get("/elders/").content.decode()
    # An account without the import permission has neither.
    worker = zh_client(staff["community_worker"])
    assert worker.get("/elders/import/").status_code == 403
    assert worker.get("/elders/import/template.xlsx").status_code == 403


def test_a_bad_file_writes_nothing_and_its_error_workbook_marks_the_line_and_names_the_field(staff):
    user = staff["district_officer"]
    bad_id = good_row(15)
    bad_id[0] = bad_id[0][:17] + ("0" if bad_id[0][17] != "0" else "1")
    castle = good_row(17)
    castle[3] = "城堡"
    client = zh_client(user)
    response = client.post("/elders/import/", {"file": upload([good_row(11), bad_id, castle])})
    assert response.status_code == 302
    job = Job.objects.get(owner=user, kind="elders.import")
    assert response["Location"] == f"/jobs/{job.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert job.status == "done" or Job.objects.get(pk=job.pk).status == "done"
    assert "什么也没有写入" in page or "没有写入" in page, page
    assert not Elder.objects.filter(name__startswith="导入").exists()  # the good row is not written either
    report = client.get(f"/jobs/{job.pk}/file.xlsx")
    assert report.status_code == 200
    sheet = book_of(report.content).worksheets[0]
    assert [c.value for c in sheet[1]] == [*HEADINGS, "错误"]
    # Line 2 is good: unmarked. Line 3's ID number and line 4's living arrangement are marked.
    assert sheet["A2"].fill.fgColor.rgb != BAD_CELL_FILL.fgColor.rgb and not sheet["G2"].value
    assert sheet["A3"].fill.fgColor.rgb == BAD_CELL_FILL.fgColor.rgb
    assert sheet["B3"].fill.fgColor.rgb == BAD_ROW_FILL.fgColor.rgb
    assert sheet["G3"].value.startswith("身份证号：")
    assert sheet["D4"].fill.fgColor.rgb == BAD_CELL_FILL.fgColor.rgb
    assert "居住情况" in sheet["G4"].value and "城堡" in sheet["G4"].value
    assert sheet["A3"].value == bad_id[0]  # the rows as they were sent
    assert AccessLog.objects.filter(user=user, action="export", what__contains="导入").exists()


def test_a_good_file_from_the_page_creates_the_files(staff):
    user = staff["district_officer"]
    existing = ElderFactory(name="旧名字")
    client = zh_client(user)
    rows = [good_row(11), good_row(13), [existing.id_number, "新名字", WUMA_GULOU, "独居", "一般", ""]]
    response = client.post("/elders/import/", {"file": upload(rows)})
    job = Job.objects.get(owner=user)
    assert (job.status, job.result["created"], job.result["updated"]) == ("done", 2, 1)
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="job-summary"' in page and "<strong>2</strong>" in page
    assert Elder.objects.filter(name__startswith="导入").count() == 2
    existing.refresh_from_db()
    assert existing.name == "新名字"
    assert Elder.objects.get(name="导入11").history.first().history_user == user


def test_a_street_officer_with_the_permission_imports_into_its_street_only(staff):
    from django.contrib.auth.models import Permission

    officer = staff["street_officer"]  # 五马街道
    officer.user_permissions.add(Permission.objects.get(codename="import_elder"))
    outside = first_village_of(SONGTAI[:9])
    client = zh_client(officer)
    client.post("/elders/import/", {"file": upload([good_row(11), good_row(13, residence=outside)])})
    job = Job.objects.get(owner=officer)
    assert job.result["error_count"] == 1 and job.result["errors"][0]["line"] == 3
    assert "不在您的管辖范围" in job.result["errors"][0]["message"] or outside in job.result["errors"][0]["message"]
    assert not Elder.objects.filter(name__startswith="导入").exists()
    client.post("/elders/import/", {"file": upload([good_row(11, residence=first_village_of(WUMA[:9]))])})
    assert Elder.objects.filter(name="导入11").exists()


def test_another_account_cannot_see_or_fetch_a_job(staff):
    user = staff["district_officer"]
    zh_client(user).post("/elders/import/", {"file": upload([good_row(11), ["坏", "", "", "", "", ""]])})
    job = Job.objects.get(owner=user)
    assert job.file
    other = zh_client(staff["city_admin"])  # above it: still not its file
    assert other.get(f"/jobs/{job.pk}/").status_code == 404
    assert other.get(f"/jobs/{job.pk}/file.xlsx").status_code == 404
    assert other.get(f"/jobs/{job.pk}/status/").status_code == 404


def test_a_long_registry_export_runs_as_a_job_and_a_short_one_downloads_at_once(staff, settings):
    for seq in range(3):
        ElderFactory(residence_id=WUMA_GULOU, phone=f"1380000{seq:04d}")
    user = staff["street_officer"]
    client = zh_client(user)
    settings.EXPORT_JOB_ROWS = 10
    direct = client.get("/elders/?format=xlsx")
    assert direct.status_code == 200 and direct["Content-Type"].startswith("application/vnd.openxml")
    assert AccessLog.objects.filter(user=user, action="export", rows=3).count() == 1
    settings.EXPORT_JOB_ROWS = 2
    response = client.get("/elders/?format=xlsx")
    job = Job.objects.get(owner=user, kind="elders.export")
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert AccessLog.objects.filter(user=user, action="export").count() == 1  # audited on download
    page = client.get(response["Location"]).content.decode()
    assert f"/jobs/{job.pk}/file.xlsx" in page
    sheet = book_of(client.get(f"/jobs/{job.pk}/file.xlsx").content).worksheets[0]
    assert [c.value for c in sheet[1]][:2] == ["身份证号", "姓名"]
    assert sheet.max_row == 4
    entry = AccessLog.objects.filter(user=user, action="export").latest("id")
    assert (entry.rows, entry.unmasked) == (3, True)


def test_a_masked_role_with_the_export_right_gets_a_masked_job_file(staff, settings):
    from django.contrib.auth.models import Permission

    elder = ElderFactory(residence_id=WUMA_GULOU, phone="13812345678")
    leader = make_staff("leader-x", "leader", "330300000000")
    leader.user_permissions.add(Permission.objects.get(codename="export_elder"))
    settings.EXPORT_JOB_ROWS = 0
    client = zh_client(leader)
    response = client.get("/elders/?format=xlsx")
    job = Job.objects.get(owner=leader)
    content = client.get(f"/jobs/{job.pk}/file.xlsx").content
    text = "\n".join(
        str(v) for row in book_of(content).worksheets[0].iter_rows(values_only=True) for v in row if v is not None
    )
    assert response.status_code == 302
    assert elder.id_number not in text and "13812345678" not in text
    assert elder.birth_date.isoformat() not in text
    assert AccessLog.objects.filter(user=leader, unmasked=False, rows=1).exists()


def test_a_long_admin_export_is_a_job_with_the_admins_filters(staff, settings):
    from elders.tests.test_import_export import _all_fields

    for _ in range(3):
        ElderFactory(residence_id=WUMA_GULOU, living_arrangement="alone")
    ElderFactory(residence_id=WUMA_GULOU, living_arrangement="with_children", name="同住老人")
    settings.EXPORT_JOB_ROWS = 2
    user = staff["city_admin"]
    client = zh_client(user)
    response = client.post(
        "/admin/elders/elder/export/?living_arrangement__exact=alone",
        {"format": "0", "resource": "0", **_all_fields()},
    )
    job = Job.objects.get(owner=user, kind="elders.admin_export")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert (job.status, job.rows) == ("done", 3), job.message
    rows = list(book_of(client.get(f"/jobs/{job.pk}/file.xlsx").content).worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 4 and "同住老人" not in {r[1] for r in rows}
    assert AccessLog.objects.filter(user=user, action="export", rows=3, what__contains="xlsx").count() == 1
    assert f"/jobs/{job.pk}/" in client.get("/jobs/").content.decode()
    assert f"/jobs/{job.pk}/" not in zh_client(staff["district_officer"]).get("/jobs/").content.decode()


def test_a_long_file_sent_to_the_admins_import_runs_as_the_background_import(staff, settings):
    settings.IMPORT_JOB_ROWS = 1
    user = staff["district_officer"]
    client = zh_client(user)
    response = client.post("/admin/elders/elder/import/", {"format": "0", "import_file": upload([good_row(11), good_row(13)])})
    job = Job.objects.get(owner=user, kind="elders.import")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert (job.status, job.result["created"]) == ("done", 2)
    settings.IMPORT_JOB_ROWS = 10  # a short one keeps the admin's preview
    preview = client.post("/admin/elders/elder/import/", {"format": "0", "import_file": upload([good_row(15)])})
    assert preview.status_code == 200 and Job.objects.count() == 1
