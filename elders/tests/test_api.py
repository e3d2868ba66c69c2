"""The REST API: token auth, regions, elders; scoped, validated, with stable codes."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from elders.models import Elder
from elders.rules import make_id_number
from tests.factories import (
    LONGWAN,
    PASSWORD,
    WUMA_GULOU,
    WUMA_MOCHI,
    ElderFactory,
    api_client,
    first_village_of,
)

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    return api_client(user)


def new_elder_payload(**extra):
    return {
        "id_number": make_id_number("330302", date(1941, 6, 1), 33).lower(),
        "name": "王阿婆",
        "residence": WUMA_GULOU,
        "living_arrangement": "alone",
        "economic_status": "dibao",
        **extra,
    }


def test_token_is_issued_for_username_and_password(staff):
    resp = APIClient().post(
        "/api/v1/auth/token/", {"username": "worker", "password": PASSWORD}, format="json"
    )
    assert resp.status_code == 200
    token = resp.json()["token"]
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert c.get("/api/v1/elders/").status_code == 200


def test_anonymous_callers_are_refused(wenzhou):
    assert APIClient().get("/api/v1/elders/").status_code in (401, 403)


def test_create_with_the_minimum_fields(staff):
    resp = client_for(staff["community_worker"]).post("/api/v1/elders/", new_elder_payload(), format="json")
    assert resp.status_code == 201, resp.json()
    body = resp.json()
    assert body["id_number"].endswith(body["id_number"][-1].upper())
    assert body["sex"] == "male"
    assert body["birth_date"] == "1941-06-01"
    assert body["residence"] == WUMA_GULOU
    assert body["status"] == "registered"
    assert body["registered_on"]
    assert body["death_date"] is None
    assert isinstance(body["age"], int) and body["age"] >= 85
    assert "alone" in body["categories"] and "dibao" in body["categories"]


def test_bad_id_number_is_400_under_id_number(staff):
    payload = new_elder_payload(id_number="330302194106010331")
    payload["id_number"] = payload["id_number"][:17] + ("0" if payload["id_number"][17] != "0" else "1")
    resp = client_for(staff["community_worker"]).post("/api/v1/elders/", payload, format="json")
    assert resp.status_code == 400
    assert "id_number" in resp.json()
    assert Elder.objects.count() == 0


def test_duplicate_id_number_names_the_existing_community(staff):
    existing = ElderFactory(residence_id=WUMA_MOCHI)
    resp = client_for(staff["street_officer"]).post(
        "/api/v1/elders/", new_elder_payload(id_number=existing.id_number), format="json"
    )
    assert resp.status_code == 400
    assert "墨池社区" in resp.json()["id_number"][0]


def test_residence_outside_the_callers_region_is_refused(staff):
    resp = client_for(staff["community_worker"]).post(
        "/api/v1/elders/", new_elder_payload(residence=WUMA_MOCHI), format="json"
    )
    assert resp.status_code == 400
    assert "residence" in resp.json()


def test_elder_outside_region_is_404(staff):
    other = ElderFactory(residence_id=WUMA_MOCHI)
    c = client_for(staff["community_worker"])
    assert c.get(f"/api/v1/elders/{other.pk}/").status_code == 404
    assert c.patch(f"/api/v1/elders/{other.pk}/", {"name": "x"}, format="json").status_code == 404


def test_patch_records_death_and_keeps_history(staff):
    elder = ElderFactory()
    c = client_for(staff["community_worker"])
    resp = c.patch(
        f"/api/v1/elders/{elder.pk}/",
        {"status": "deceased", "death_date": "2026-01-05"},
        format="json",
    )
    assert resp.status_code == 200, resp.json()
    assert resp.json()["status"] == "deceased"
    assert resp.json()["death_date"] == "2026-01-05"
    last = elder.history.first()
    assert last.status == "deceased"
    assert last.history_user == staff["community_worker"]


def test_death_in_the_future_is_refused(staff):
    elder = ElderFactory()
    resp = client_for(staff["community_worker"]).patch(
        f"/api/v1/elders/{elder.pk}/", {"status": "deceased", "death_date": "2099-01-01"}, format="json"
    )
    assert resp.status_code == 400


def test_options_lists_choices_with_stable_codes(staff):
    resp = client_for(staff["community_worker"]).options("/api/v1/elders/")
    post = resp.json()["actions"]["POST"]
    codes = {c["value"] for c in post["living_arrangement"]["choices"]}
    assert {"alone", "empty_nest", "with_children", "institution"} <= codes
    assert {c["value"] for c in post["economic_status"]["choices"]} == {
        "extreme_poverty",
        "dibao",
        "near_dibao",
        "expenditure_hardship",
        "ordinary",
    }
    assert {c["value"] for c in post["status"]["choices"]} == {"registered", "moved", "deceased"}
    assert post["id_number"]["required"] is True
    assert post["address"]["required"] is False


def test_leader_reads_masked_and_cannot_write(staff):
    elder = ElderFactory(phone="13812345678")
    c = client_for(staff["leader"])
    row = c.get(f"/api/v1/elders/{elder.pk}/").json()
    assert row["id_number"] == elder.masked_id_number
    assert row["phone"] == "138****5678"
    assert c.post("/api/v1/elders/", new_elder_payload(), format="json").status_code == 403


@pytest.mark.parametrize(
    "role, visible",
    [
        ("city_admin", {"gulou", "mochi", "longwan"}),
        ("district_officer", {"gulou", "mochi"}),
        ("street_officer", {"gulou", "mochi"}),
        ("community_worker", {"gulou"}),
        ("assessor", {"gulou", "mochi"}),
        ("leader", {"gulou", "mochi", "longwan"}),
        ("provider_staff", {"gulou", "mochi"}),
    ],
)
def test_every_role_lists_exactly_its_region(staff, role, visible):
    elders = {
        "gulou": ElderFactory(residence_id=WUMA_GULOU),
        "mochi": ElderFactory(residence_id=WUMA_MOCHI),
        "longwan": ElderFactory(residence_id=first_village_of(LONGWAN[:6])),
    }
    c = client_for(staff[role])
    ids = {row["id"] for row in c.get("/api/v1/elders/?page_size=100").json()["results"]}
    assert ids == {elders[k].pk for k in visible}
    for key, elder in elders.items():
        expected = 200 if key in visible else 404
        assert c.get(f"/api/v1/elders/{elder.pk}/").status_code == expected


def test_elder_list_query_count_does_not_grow_with_rows(staff, django_assert_max_num_queries):
    c = client_for(staff["street_officer"])
    ElderFactory.create_batch(3)
    # Six reads and the audit log's one row for the list read.
    with django_assert_max_num_queries(7) as small:
        c.get("/api/v1/elders/")
    ElderFactory.create_batch(40, residence_id=WUMA_MOCHI)
    with django_assert_max_num_queries(len(small.captured_queries)):
        resp = c.get("/api/v1/elders/")
    assert resp.json()["count"] == 43


def test_filters_search_and_region(staff):
    a = ElderFactory(name="李大爷", residence_id=WUMA_GULOU, living_arrangement="empty_nest")
    ElderFactory(name="张奶奶", residence_id=WUMA_MOCHI)
    c = client_for(staff["street_officer"])
    assert [r["id"] for r in c.get("/api/v1/elders/?q=李").json()["results"]] == [a.pk]
    assert [r["id"] for r in c.get(f"/api/v1/elders/?q={a.id_number}").json()["results"]] == [a.pk]
    assert [r["id"] for r in c.get(f"/api/v1/elders/?region={WUMA_GULOU}").json()["results"]] == [a.pk]
    assert [r["id"] for r in c.get("/api/v1/elders/?category=empty_nest").json()["results"]] == [a.pk]


def test_regions_list_is_flat_paginated_and_scoped(staff):
    c = client_for(staff["street_officer"])
    body = c.get("/api/v1/regions/?page_size=500").json()
    codes = {r["code"] for r in body["results"]}
    assert "330302006000" in codes and WUMA_GULOU in codes
    assert all(code.startswith("330302006") for code in codes)
    row = next(r for r in body["results"] if r["code"] == WUMA_GULOU)
    assert row == {
        "code": WUMA_GULOU,
        "name": "鼓楼社区",
        "level": "village",
        "parent": "330302006000",
        "kind": "urban",
    }
    towns = client_for(staff["city_admin"]).get("/api/v1/regions/?level=town&parent=330302000000").json()
    assert towns["count"] > 5
    assert all(r["level"] == "town" and r["parent"] == "330302000000" for r in towns["results"])


def test_schema_and_offline_docs(staff):
    c = client_for(staff["city_admin"])
    schema = c.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/elders/" in schema.content
    docs = c.get("/api/docs/")
    assert docs.status_code == 200
    assert b"drf_spectacular_sidecar" in docs.content  # served locally, no CDN


def test_list_count_is_capped_instead_of_counting_everything(staff, settings):
    settings.LIST_COUNT_CAP = 3
    ElderFactory.create_batch(5)
    body = client_for(staff["city_admin"]).get("/api/v1/elders/?page_size=2").json()
    assert body["count"] == 4 and body["count_capped"] is True
    assert len(body["results"]) == 2 and body["next"]


def test_old_address_code_is_a_warning_not_an_error(staff):
    # 330321 (瓯海县) no longer exists, but elders still carry numbers issued there.
    payload = new_elder_payload(id_number=make_id_number("330321", date(1941, 6, 1), 35))
    resp = client_for(staff["community_worker"]).post("/api/v1/elders/", payload, format="json")
    assert resp.status_code == 201
    assert any("330321" in w for w in resp.json()["warnings"])
    current = client_for(staff["community_worker"]).post(
        "/api/v1/elders/", new_elder_payload(), format="json"
    )
    assert current.json()["warnings"] == []
