"""The API of estates' room checks, operator reviews and star applications: the services answer,
scope and permission hold."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import WUMA_GULOU

from .helpers import supervision_world
from .test_estates_reviews_stars import _ppp_home

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_estates_reviews_and_star_applications_through_the_api(wenzhou, staff):
    world = supervision_world()
    district = _api(world["district"])
    today = timezone.localdate().isoformat()
    resp = district.post(
        "/api/v1/residential-estates/",
        {"name": "鼓楼新苑", "region": WUMA_GULOU, "kind": "new", "households": 1000},
        format="json",
    )
    assert resp.status_code == 201, resp.content
    estate = resp.json()["id"]
    resp = district.post(
        "/api/v1/estate-room-checks/",
        {"estate": estate, "year": int(today[:4]), "status": "in_use", "area_m2": "320", "checked_on": today},
        format="json",
    )
    assert resp.status_code == 201, resp.content
    assert resp.json()["meets_standard"] is True and resp.json()["required_m2"] == "300.00"
    assert _api(staff["community_worker"]).post(
        "/api/v1/residential-estates/",
        {"name": "x", "region": WUMA_GULOU, "kind": "new", "households": 10},
        format="json",
    ).status_code == 403

    home = _ppp_home(world)
    scores = {"NAT-PPP-SERVICE": 25, "NAT-PPP-SAFETYNET": 20, "NAT-PPP-ASSETS": 20, "NAT-PPP-SAFETY": 15,
              "NAT-PPP-FEES": 10, "NAT-PPP-SATISFACTION": 0}
    resp = district.post(
        "/api/v1/operator-reviews/",
        {"facility": home.pk, "year": int(today[:4]), "scores": scores, "reviewed_on": today},
        format="json",
    )
    assert resp.status_code == 201, resp.content
    review = resp.json()
    assert review["percent"] == "90.0" and review["recommendation"] == "renew"
    resp = district.post(f"/api/v1/operator-reviews/{review['id']}/decide/", {"decision": "terminate"}, format="json")
    assert resp.status_code == 400 and "decision_note" in resp.json()
    resp = district.post(f"/api/v1/operator-reviews/{review['id']}/decide/", {"decision": "renew"}, format="json")
    assert resp.status_code == 200 and resp.json()["decision"] == "renew"

    operator = _api(world["operator_account"])
    resp = operator.post(
        "/api/v1/star-applications/",
        {"facility": world["homes"][0].pk, "star_applied": 3, "statement": "申请三星"},
        format="json",
    )
    assert resp.status_code == 201, resp.content
    application = resp.json()["id"]
    assert operator.post(f"/api/v1/star-applications/{application}/decide/", {}, format="json").status_code == 403
    resp = district.post(
        f"/api/v1/star-applications/{application}/assign/", {"evaluators": [world["street"].pk]}, format="json"
    )
    assert resp.status_code == 200 and resp.json()["status"] == "evaluating"
    full = {"GBT37276-ENV": 12, "GBT37276-EQUIP": 13, "GBT37276-MGMT": 15, "GBT37276-SERVICE": 60}
    resp = _api(world["street"]).post(
        f"/api/v1/star-applications/{application}/score/", {"scores": full, "evaluated_on": today}, format="json"
    )
    assert resp.status_code == 200, resp.content
    resp = district.post(f"/api/v1/star-applications/{application}/decide/", {}, format="json")
    assert resp.json()["star_awarded"] == 3 and resp.json()["status"] == "rated"  # 100 %, capped at 3
    assert district.post(f"/api/v1/star-applications/{application}/publish/", {}, format="json").status_code == 200
    published = operator.get("/api/v1/star-applications/?status=published").json()
    assert [row["id"] for row in published["results"]] == [application]
