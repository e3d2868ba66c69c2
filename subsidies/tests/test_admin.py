"""The admin shows an entitlement with its suspensions and payments, and an application with its
review steps and documents, read-only and within the viewer's region."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from subsidies.disbursement import run_disbursement
from subsidies.models import ApplicationDocument, Entitlement, Suspension
from subsidies.tests.helpers import months_ago

pytestmark = pytest.mark.django_db


def as_user(user) -> Client:
    c = Client()
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    c.force_login(user)
    return c


def test_entitlement_and_application_pages_show_suspensions_payments_steps_documents(approved):
    elder, jl = approved
    entitlement = Entitlement.objects.get(elder=elder)
    run_disbursement(period=months_ago(1))
    Suspension.objects.create(
        entitlement=entitlement,
        from_period=months_ago(0),
        started_on=timezone.localdate(),
        reason="condition",
        started_by=jl["district"],
    )
    ApplicationDocument.objects.create(
        application=entitlement.application,
        kind="id_proof",
        file="subsidies/applications/x/abc.pdf",
        original_name="身份证复印件.pdf",
        size=1234,
        uploaded_by=jl["worker"],
        uploaded_at=timezone.now(),
    )
    district = as_user(jl["district"])

    page = district.get(f"/admin/subsidies/entitlement/{entitlement.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Suspensions" in html and months_ago(0) in html and "jd" in html  # from when, by whom
    assert "Payments" in html and months_ago(3) in html and months_ago(1) in html
    assert 'name="_save"' not in html  # read-only: changes go through the services

    page = district.get(f"/admin/subsidies/application/{entitlement.application_id}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "身份证复印件.pdf" in html
    assert f"/api/v1/subsidy-applications/{entitlement.application_id}/documents/" in html
    assert "Review steps" in html and "district" in html.lower()

    listing = district.get("/admin/subsidies/entitlement/").content.decode()
    assert elder.name in listing
    # Another street's officer does not see it, in the list or on its page.
    other = as_user(jl["other_street"])
    assert elder.name not in other.get("/admin/subsidies/entitlement/").content.decode()
    assert other.get(f"/admin/subsidies/entitlement/{entitlement.pk}/change/").status_code == 302


def test_history_views_of_an_application_are_404_outside_the_region_and_never_save(jl):
    from subsidies.models import Application
    from subsidies.tests.helpers import api, poor_disabled_in_institution

    elder = poor_disabled_in_institution(jl)
    resp = api(jl["worker"]).post(
        "/api/v1/subsidy-applications/", {"elder": elder.pk, "scheme": "JL-INSTITUTION-STAY"}, format="json"
    )
    application = Application.objects.get(pk=resp.json()["id"])
    status = application.status
    version = application.history.first().history_id
    history, form = (
        f"/admin/subsidies/application/{application.pk}/history/",
        f"/admin/subsidies/application/{application.pk}/history/{version}/",
    )
    other = as_user(jl["other_street"])
    assert other.get(history).status_code == 404
    assert other.get(form).status_code == 404
    assert other.post(form, {"status": "approved", "elder": elder.pk}).status_code == 404
    own = as_user(jl["street"])
    assert own.get(history).status_code == 200
    assert own.post(form, {"status": "approved", "elder": elder.pk}).status_code == 403
    application.refresh_from_db()
    assert application.status == status and not Entitlement.objects.filter(elder=elder).exists()
