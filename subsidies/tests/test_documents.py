"""Supporting documents of an application: accepted types and size, clear refusals, scope."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from subsidies.models import ApplicationDocument
from subsidies.tests.helpers import api, poor_disabled_in_institution

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def application(jl, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SUBSIDY_DOCUMENT_MAX_MB = 1
    elder = poor_disabled_in_institution(jl)
    body = (
        api(jl["worker"])
        .post(
            "/api/v1/subsidy-applications/",
            {"elder": elder.pk, "scheme": "JL-INSTITUTION-STAY"},
            format="json",
        )
        .json()
    )
    return body["id"], jl


def upload(user, app_id, kind, name, content, content_type="application/pdf"):
    from django.conf import settings

    client = api(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # messages in English (Chinese is the default)
    return client.post(
        f"/api/v1/subsidy-applications/{app_id}/documents/",
        {"kind": kind, "file": SimpleUploadedFile(name, content, content_type=content_type)},
        format="multipart",
    )


def test_a_pdf_and_a_png_are_attached_listed_and_downloaded(application):
    app_id, jl = application
    first = upload(jl["worker"], app_id, "dibao_certificate", "低保证.pdf", PDF)
    assert first.status_code == 201, first.json()
    assert upload(jl["worker"], app_id, "id_proof", "id.PNG", PNG, "image/png").status_code == 201
    rows = api(jl["street"]).get(f"/api/v1/subsidy-applications/{app_id}/documents/").json()
    assert [(r["kind"], r["original_name"]) for r in rows] == [
        ("dibao_certificate", "低保证.pdf"),
        ("id_proof", "id.PNG"),
    ]
    file = api(jl["street"]).get(rows[0]["download"])
    assert file.status_code == 200 and b"".join(file.streaming_content) == PDF
    # Outside the region: neither the list nor the file.
    assert api(jl["other_street"]).get(f"/api/v1/subsidy-applications/{app_id}/documents/").status_code == 404
    assert api(jl["other_street"]).get(rows[0]["download"]).status_code == 404


def test_a_rejected_file_type_names_the_field_and_stores_nothing(application, english):
    app_id, jl = application
    resp = upload(jl["worker"], app_id, "other", "form.docx", b"PK\x03\x04 word", "application/msword")
    assert resp.status_code == 400
    assert resp.json()["file"] == [
        "File: files of type 'docx' are not accepted; use one of: jpeg, jpg, pdf, png."
    ]
    disguised = upload(jl["worker"], app_id, "other", "setup.pdf", b"MZ\x90\x00 not a pdf")
    assert disguised.status_code == 400 and "is not a PDF file" in disguised.json()["file"][0]
    bad_kind = upload(jl["worker"], app_id, "passport", "p.pdf", PDF)
    assert bad_kind.status_code == 400 and "document type" in bad_kind.json()["kind"][0]
    assert not ApplicationDocument.objects.exists()


def test_a_too_large_file_is_refused_with_the_limit(application, english):
    app_id, jl = application
    resp = upload(jl["worker"], app_id, "assessment_report", "report.pdf", PDF + b"0" * 1_100_000)
    assert resp.status_code == 400
    assert resp.json()["file"] == ["File: the file is 1.05 MB; at most 1 MB is accepted."]
    assert not ApplicationDocument.objects.exists()


def test_a_reviewer_without_the_submit_permission_cannot_upload(application):
    app_id, jl = application
    assert upload(jl["district"], app_id, "other", "x.pdf", PDF).status_code == 403
