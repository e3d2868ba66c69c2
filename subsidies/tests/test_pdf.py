"""The subsidy application and approval form as PDF (issue 14 item 7): the applicant, the scheme,
the amount, each review step with who, when and the opinion, and a signed and sealed opinion per
review level; 404 outside the account's scope; the ID number masked for a masked role, the payee
account for everyone (as on the file page)."""

from __future__ import annotations

import pytest
from django.test import Client

from audit.models import AccessLog
from subsidies.models import Application
from subsidies.tests.helpers import api, poor_disabled_in_institution
from tests.factories import make_staff
from tests.test_pdf import pdf_text

pytestmark = pytest.mark.django_db
ACCOUNT = "6222020200112233445"


@pytest.fixture
def reviewed(jl):
    elder = poor_disabled_in_institution(jl)
    elder.name = "赵桂兰"
    elder.save(update_fields=["name"])
    app = (
        api(jl["worker"])
        .post(
            "/api/v1/subsidy-applications/",
            {
                "elder": elder.pk,
                "scheme": "JL-INSTITUTION-STAY",
                "payee_name": "赵桂兰",
                "payee_account": ACCOUNT,
            },
            format="json",
        )
        .json()
    )
    api(jl["street"]).post(
        f"/api/v1/subsidy-applications/{app['id']}/review/",
        {"decision": "approve", "comment": "材料齐全，同意上报"},
        format="json",
    )
    return Application.objects.get(pk=app["id"]), jl


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_form_has_the_applicant_scheme_amount_steps_and_signature_and_seal_lines(reviewed):
    application, jl = reviewed
    district = as_user(jl["district"])
    assert (
        f'href="/subsidies/applications/{application.pk}/form.pdf"'
        in district.get("/subsidies/review/").content.decode()
    )
    text = pdf_text(district.get(f"/subsidies/applications/{application.pk}/form.pdf"), "subsidy-form.pdf")
    assert "补贴申请审批表" in text and "赵桂兰" in text
    assert application.scheme.name in text
    assert "元" in text  # the amount, in yuan
    assert application.elder.id_number in text  # a role with the right
    # The account's last four digits only, for every role: the full one is the bank roster's.
    assert ACCOUNT not in text and "****3445" in text
    # The street's step: level, decision, reviewer and opinion.
    assert "材料齐全，同意上报" in text and "js" in text and "通过" in text
    assert AccessLog.objects.filter(
        user=jl["district"], object_id=str(application.pk), unmasked=True
    ).exists()
    for line in (
        "申请人或代理人（签字）",
        "经办人（签字）",
        "负责人（签字）",
        "审核意见",
        "（盖章）",
        "填报单位",
    ):
        assert line in text, line


def test_outside_the_scope_the_form_is_404_and_a_masked_role_sees_masks(reviewed):
    application, jl = reviewed
    url = f"/subsidies/applications/{application.pk}/form.pdf"
    assert as_user(jl["other_street"]).get(url).status_code == 404
    leader = make_staff("jleader", "leader", "220100000000")
    text = pdf_text(as_user(leader).get(url))
    assert "赵桂兰" in text and application.elder.masked_id_number in text
    assert application.elder.id_number not in text and ACCOUNT not in text and "****3445" in text
