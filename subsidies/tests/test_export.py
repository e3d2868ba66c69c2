"""The applications list's Excel export (issue 14 item 8): Chinese headings, masked for a role
without personal-data rights, audited; above EXPORT_JOB_ROWS a background job whose file only the
account that asked downloads."""

from io import BytesIO

import openpyxl
import pytest
from django.test import Client

from audit.models import AccessLog
from jobs.models import Job
from subsidies.models import Scheme
from subsidies.services import submit_application
from subsidies.tests.helpers import poor_disabled_in_institution
from tests.factories import make_staff

pytestmark = pytest.mark.django_db
ACCOUNT = "6222000011115555"


def zh(user) -> Client:
    client = Client()
    client.cookies["django_language"] = "zh-hans"
    client.force_login(user)
    return client


def cells(content: bytes) -> list[list]:
    return [list(r) for r in openpyxl.load_workbook(BytesIO(content)).worksheets[0].iter_rows(values_only=True)]


@pytest.fixture
def applied(jl):
    scheme = Scheme.objects.get(code="JL-INSTITUTION-STAY")
    elders = [poor_disabled_in_institution(jl) for _ in range(3)]
    for elder in elders:
        submit_application(
            acting_user=jl["worker"], scheme=scheme, elder=elder, payee_name="家属", payee_account=ACCOUNT
        )
    return elders


def test_a_short_list_downloads_at_once_with_chinese_headings_and_full_numbers_for_the_street(jl, applied):
    street = jl["street"]
    response = zh(street).get("/subsidies/applications/?format=xlsx")
    assert response.status_code == 200
    rows = cells(response.content)
    assert rows[0][:3] == ["申请对象", "类型", "身份证号"]
    assert {r[2] for r in rows[1:]} == {e.id_number for e in applied}
    assert all(r[12] == "****5555" for r in rows[1:])  # the account: the roll approvers' only
    entry = AccessLog.objects.get(user=street, action="export")
    assert (entry.rows, entry.unmasked, entry.what) == (3, True, "补贴申请")


def test_a_long_list_is_a_job_masked_for_a_leader_and_its_file_is_the_leaders_alone(jl, applied, settings):
    settings.EXPORT_JOB_ROWS = 2
    leader = make_staff("jlead", "leader", "220100000000")
    client = zh(leader)
    response = client.get("/subsidies/applications/?format=xlsx")
    job = Job.objects.get(owner=leader, kind="subsidies.applications")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert (job.status, job.rows, job.unmasked) == ("done", 3, False)
    assert not AccessLog.objects.filter(user=leader).exists()  # logged when it is downloaded
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "补贴申请导出" in page and f"/jobs/{job.pk}/file.xlsx" in page
    download = client.get(f"/jobs/{job.pk}/file.xlsx")
    text = "\n".join(str(v) for row in cells(download.content) for v in row if v is not None)
    for elder in applied:
        assert elder.id_number not in text and elder.id_number[:6] in text
        assert elder.birth_date.strftime("%Y%m%d") not in text
    assert ACCOUNT not in text
    entry = AccessLog.objects.get(user=leader, action="export")
    assert (entry.rows, entry.unmasked) == (3, False)
    # Another account, even the district's, neither sees the job nor gets its file.
    other = zh(jl["district"])
    assert other.get(f"/jobs/{job.pk}/").status_code == 404
    assert other.get(f"/jobs/{job.pk}/file.xlsx").status_code == 404
    assert AccessLog.objects.filter(action="export").count() == 1
