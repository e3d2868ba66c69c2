"""Applications: submission with reasons, one open per scheme, review permissions per level,
return and resubmission with history, public notice, and the entitlement from the next month."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.periods import next_period
from subsidies.models import Entitlement, Scheme
from subsidies.services import close_notices
from subsidies.tests.helpers import api, poor_disabled_in_institution
from tests.factories import ElderFactory

pytestmark = pytest.mark.django_db


def test_submission_is_refused_with_the_failed_conditions(jl):
    elder = ElderFactory(
        residence_id=jl["village"].code, economic_status="ordinary", living_arrangement="institution"
    )
    resp = api(jl["worker"]).post(
        "/api/v1/subsidy-applications/", {"elder": elder.pk, "scheme": "JL-INSTITUTION-STAY"}, format="json"
    )
    assert resp.status_code == 400 and resp.json()["conditions"]


def test_two_levels_then_an_entitlement_from_next_month(jl):
    elder = poor_disabled_in_institution(jl)
    resp = api(jl["worker"]).post(
        "/api/v1/subsidy-applications/", {"elder": elder.pk, "scheme": "JL-INSTITUTION-STAY"}, format="json"
    )
    assert resp.status_code == 201, resp.json()
    app = resp.json()
    assert app["level"] == "street" and app["status"] == "under_review"
    again = api(jl["worker"]).post(
        "/api/v1/subsidy-applications/", {"elder": elder.pk, "scheme": "JL-INSTITUTION-STAY"}, format="json"
    )
    assert again.status_code == 400  # one open application per elder and scheme
    url = f"/api/v1/subsidy-applications/{app['id']}/review/"
    assert api(jl["worker"]).post(url, {"decision": "approve"}, format="json").status_code == 403
    assert api(jl["other_street"]).post(url, {"decision": "approve"}, format="json").status_code == 404
    assert (
        api(jl["district"]).post(url, {"decision": "approve"}, format="json").status_code == 403
    )  # not its turn
    step1 = api(jl["street"]).post(url, {"decision": "approve", "comment": "材料齐全"}, format="json").json()
    assert step1["level"] == "district" and step1["status"] == "under_review"
    step2 = api(jl["district"]).post(url, {"decision": "approve"}, format="json").json()
    assert step2["status"] == "approved" and [s["level"] for s in step2["steps"]] == ["street", "district"]
    entitlement = Entitlement.objects.get(elder=elder)
    assert entitlement.amount == Decimal("300.00")
    assert entitlement.first_period == next_period(timezone.localdate())


def test_rejection_returns_with_the_reason_and_resubmission_keeps_history(jl):
    elder = poor_disabled_in_institution(jl)
    app = (
        api(jl["worker"])
        .post(
            "/api/v1/subsidy-applications/",
            {"elder": elder.pk, "scheme": "JL-INSTITUTION-STAY"},
            format="json",
        )
        .json()
    )
    url = f"/api/v1/subsidy-applications/{app['id']}"
    assert api(jl["street"]).post(f"{url}/review/", {"decision": "reject"}, format="json").status_code == 400
    returned = (
        api(jl["street"])
        .post(f"{url}/review/", {"decision": "reject", "comment": "缺少入住协议"}, format="json")
        .json()
    )
    assert returned["status"] == "returned" and returned["steps"][0]["comment"] == "缺少入住协议"
    again = api(jl["worker"]).post(f"{url}/resubmit/", format="json").json()
    assert again["status"] == "under_review" and again["level"] == "street" and len(again["steps"]) == 1


def test_public_notice_holds_final_approval_until_it_ends(jl):
    Scheme.objects.filter(code="JL-INSTITUTION-STAY").update(notice_days=7, review_levels=["street"])
    elder = poor_disabled_in_institution(jl)
    app = (
        api(jl["worker"])
        .post(
            "/api/v1/subsidy-applications/",
            {"elder": elder.pk, "scheme": "JL-INSTITUTION-STAY"},
            format="json",
        )
        .json()
    )
    body = (
        api(jl["street"])
        .post(f"/api/v1/subsidy-applications/{app['id']}/review/", {"decision": "approve"}, format="json")
        .json()
    )
    assert body["status"] == "in_notice" and not Entitlement.objects.exists()
    assert close_notices(on=timezone.localdate() + timedelta(days=3)) == 0
    assert close_notices(on=timezone.localdate() + timedelta(days=8)) == 1
    assert Entitlement.objects.get(elder=elder).status == "active"
