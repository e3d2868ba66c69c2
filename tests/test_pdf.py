"""The printed documents (issue 14 item 7): the elder's file, the assessment report and the
month's report as PDF. Each downloads for a role that may open its page, answers 404 outside the
account's scope, and carries the headings, names, signature lines and seal box in extractable
text; a masked role's copy has the masked ID number and never the full one. (The subsidy form:
subsidies/tests/test_pdf.py.)"""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from assessments.instrument import ITEMS
from assessments.services import confirm_assessment, create_assessment
from audit.models import AccessLog
from eldercare import pdf
from elders.models import ElderContact
from reports.services import compute_month
from reports.tests.test_reports import PERIOD
from reports.tests.test_reports import september as september  # noqa: F401 - the fixture
from services.services import record_visit
from tests.browser import ARTIFACTS
from tests.factories import LONGWAN, WUMA, ElderFactory, make_staff

pytestmark = pytest.mark.django_db


def pdf_text(response, keep: str = "") -> str:
    """The PDF's text; `keep` names a copy left in test-artifacts/ to look at."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    if keep:
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / keep).write_bytes(response.content)
    reader = PdfReader(BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def world(staff):
    elder = ElderFactory(name="王秀英", phone="13812345678", address="五马街 12 号")
    ElderContact.objects.create(elder=elder, name="李建国", relation="child", phone="13998765432")
    second = make_staff("assessor2", "assessor", WUMA)
    for user, name in ((staff["assessor"], "张华"), (second, "陈明")):
        user.first_name = name
        user.save(update_fields=["first_name"])
    assessment = create_assessment(
        acting_user=staff["assessor"],
        elder=elder,
        assessed_on=timezone.localdate() - timedelta(days=3),
        reason="first",
        items={item.code: item.max_score for item in ITEMS},
        assessors=[staff["assessor"], second],
        agency="鹿城评估中心",
        submit=True,
    )
    confirm_assessment(acting_user=second, assessment=assessment)
    record_visit(
        acting_user=staff["community_worker"],
        elder=elder,
        visited_at=timezone.now() - timedelta(hours=2),
        method="home",
        outcome="normal",
    )
    return {"elder": elder, "assessment": assessment, "second": second}


def test_the_elder_file_prints_every_section_with_full_numbers_and_is_audited(client, staff, world):
    elder = world["elder"]
    client.force_login(staff["community_worker"])
    page = client.get(f"/elders/{elder.pk}/").content.decode()
    assert f'href="/elders/{elder.pk}/file.pdf"' in page and "data-print" in page  # 下载PDF, 打印
    text = pdf_text(client.get(f"/elders/{elder.pk}/file.pdf"), "elder-file.pdf")
    for heading in (
        "老年人档案（一人一档）",
        "基本信息",
        "联系人与监护人",
        "能力评估",
        "探访关爱",
        "填报单位",
        "填报日期",
    ):
        assert heading in text, heading
    assert "王秀英" in text and "李建国" in text
    assert elder.id_number in text and "13812345678" in text
    assert "能力完好" in text  # the current grade, in words
    assert "第 1 页" in text and "盖章" in text
    assert AccessLog.objects.filter(
        user=staff["community_worker"], object_id=str(elder.pk), unmasked=True
    ).exists()


def test_a_masked_role_prints_the_masked_number_and_no_birth_date(client, staff, world):
    elder = world["elder"]
    client.force_login(staff["leader"])
    text = pdf_text(client.get(f"/elders/{elder.pk}/file.pdf"))
    assert "王秀英" in text
    assert elder.masked_id_number in text
    assert elder.id_number not in text and elder.birth_date.strftime("%Y-%m-%d") not in text
    assert "13812345678" not in text and "13998765432" not in text
    assert not AccessLog.objects.filter(user=staff["leader"]).exists()


def test_outside_the_scope_the_pdfs_are_404(client, staff, world):
    outsider = make_staff("longwan", "district_officer", LONGWAN)
    client.force_login(outsider)
    assert client.get(f"/elders/{world['elder'].pk}/").status_code == 404
    assert client.get(f"/elders/{world['elder'].pk}/file.pdf").status_code == 404
    assert client.get(f"/assessments/{world['assessment'].pk}/report.pdf").status_code == 404
    assert client.get("/dashboard/report.pdf?region=330302000000").status_code == 404
    # A role without the page's permission is refused too.
    client.force_login(staff["provider_staff"])
    assert client.get(f"/assessments/{world['assessment'].pk}/report.pdf").status_code in (403, 404)


def test_the_assessment_report_has_the_26_items_by_domain_the_assessors_and_signature_lines(
    client, staff, world
):
    assessment = world["assessment"]
    client.force_login(staff["assessor"])
    page = client.get(f"/assessments/{assessment.pk}/").content.decode()
    assert f'href="/assessments/{assessment.pk}/report.pdf"' in page
    text = pdf_text(client.get(f"/assessments/{assessment.pk}/report.pdf"), "assessment-report.pdf")
    assert "老年人能力评估报告" in text and "王秀英" in text
    for domain in ("自理能力", "基础运动能力", "精神状态", "感知觉与社会参与"):
        assert domain in text, domain
    for item in ITEMS:
        assert f"{item.code} {item.name}" in text, item.code
    assert "90" in text and "能力完好" in text
    assert "张华" in text and "陈明" in text
    assert "CERT-assessor" in text and "CERT-assessor2" in text
    for line in ("老年人或家属（签字）", "评估员1（签字）", "评估员2（签字）"):
        assert line in text, line
    assert "鹿城评估中心" in text
    assert AccessLog.objects.filter(
        user=staff["assessor"], action="export", object_id=str(assessment.pk), unmasked=True
    ).exists()


def test_the_masked_assessment_report_has_the_masked_number(client, staff, world):
    client.force_login(staff["leader"])
    text = pdf_text(client.get(f"/assessments/{world['assessment'].pk}/report.pdf"))
    assert world["elder"].masked_id_number in text and world["elder"].id_number not in text


def test_the_months_report_has_the_figures_the_unit_the_date_and_the_seal(client, staff, september):  # noqa: F811
    compute_month(PERIOD)
    client.force_login(staff["district_officer"])
    query = f"?region=330302000000&period={PERIOD}"
    page = client.get(f"/dashboard/print/{query}").content.decode()
    assert f'href="/dashboard/report.pdf{query}"'.replace("&", "&amp;") in page
    assert "data-print" in page and "js/portal" in page  # 打印 (portal.js prints)
    text = pdf_text(client.get(f"/dashboard/report.pdf{query}"), "month-report.pdf")
    assert "鹿城区" in text and PERIOD in text
    assert "探访率" in text  # a figure of the table, by its Chinese label
    assert "填报单位：温州市鹿城区" in text
    assert f"填报日期：{timezone.localdate():%Y-%m-%d}" in text
    assert "（盖章）" in text and "填表人（签字）" in text


DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@pytest.fixture
def embedded_font(settings):
    if not DEJAVU.exists():
        pytest.skip("no TrueType font on this machine (fonts-dejavu-core)")
    settings.PDF_FONT_FILE = str(DEJAVU)
    pdf.font.cache_clear()
    pdf.styles.cache_clear()
    yield
    settings.PDF_FONT_FILE = ""
    pdf.font.cache_clear()
    pdf.styles.cache_clear()


def test_a_configured_truetype_font_is_embedded(embedded_font):
    # PDF_FONT_FILE for readers without Asian fonts: the file is embedded (FontFile2) and the
    # text stays extractable. (DejaVu has no Chinese: the check uses Latin text.)
    content = pdf.render(
        pdf.Frame(title="Elder file", unit="Lucheng", on=timezone.localdate()), [pdf.text("Wang Xiuying")]
    )
    assert b"/FontFile2" in content
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)
    assert "Wang Xiuying" in text and "Lucheng" in text


def test_a_name_with_markup_characters_prints_as_written(client, staff):
    # The PDF's paragraphs take markup: the builders escape every value.
    elder = ElderFactory(name="王<b>&amp;", address="五马街 <br/> 1 号")
    client.force_login(staff["community_worker"])
    response = client.get(f"/elders/{elder.pk}/file.pdf")
    text = pdf_text(response)
    assert "王<b>&amp;" in text and "五马街 <br/> 1 号" in text
    # Saved under its Chinese name (RFC 6266), an ASCII name for older clients.
    disposition = response["Content-Disposition"]
    assert f'filename="elder-{elder.pk}.pdf"' in disposition and "filename*=UTF-8''" in disposition
