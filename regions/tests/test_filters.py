"""`?region=` means one thing on every list: everything under that division code or prefix."""

from __future__ import annotations

import pytest
from django.urls import reverse

from eldercare.urls import router
from facilities.tests.helpers import make_facility
from regions.filters import has_region
from regions.rules import significant_prefix
from services.tests.factories import make_provider
from tests.factories import (
    LONGWAN,
    SONGTAI,
    WUMA_GULOU,
    WUMA_MOCHI,
    ElderFactory,
    api_client,
    first_village_of,
)

pytestmark = pytest.mark.django_db


def test_a_full_code_means_everything_under_its_last_level():
    assert significant_prefix("330302000000") == "330302"
    assert significant_prefix("330300000000") == "3303"
    assert significant_prefix("330302006000") == "330302006"
    assert significant_prefix("330302006044") == "330302006044"
    assert significant_prefix("33030") == "33030"  # a prefix of any length is taken as it is


def _names(client, path: str, region: str) -> set[str]:
    resp = client.get(path, {"region": region, "page_size": 200})
    assert resp.status_code == 200, resp.content
    return {row["name"] for row in resp.json()["results"]}


def test_the_same_region_filters_the_elders_by_code_prefix_or_full_code(staff):
    gulou, mochi = ElderFactory(residence_id=WUMA_GULOU), ElderFactory(residence_id=WUMA_MOCHI)
    songtai = ElderFactory(residence_id=first_village_of(SONGTAI[:9]))
    longwan = ElderFactory(residence_id=first_village_of(LONGWAN[:6]))
    client = api_client(staff["city_admin"])
    assert _names(client, "/api/v1/elders/", "330302006000") == {gulou.name, mochi.name}
    assert _names(client, "/api/v1/elders/", "330302006") == {gulou.name, mochi.name}
    assert _names(client, "/api/v1/elders/", "330302") == {gulou.name, mochi.name, songtai.name}
    assert _names(client, "/api/v1/elders/", "330302000000") == {gulou.name, mochi.name, songtai.name}
    assert _names(client, "/api/v1/elders/", WUMA_GULOU) == {gulou.name}
    assert longwan.name in _names(client, "/api/v1/elders/", "3303")


def test_facilities_and_providers_filter_by_the_same_meaning(staff):
    near = make_facility(region=SONGTAI, name="松台街道照料中心")
    far = make_facility(region=first_village_of(LONGWAN[:6])[:9] + "000", name="龙湾照料中心")
    mine = make_provider(region="330302000000", name="鹿城居家服务社")
    client = api_client(staff["city_admin"])
    assert _names(client, "/api/v1/facilities/", "330302") == {near.name}
    assert _names(client, "/api/v1/facilities/", "3303") >= {near.name, far.name}
    assert mine.name in _names(client, "/api/v1/providers/", "3303")
    assert mine.name not in _names(client, "/api/v1/providers/", LONGWAN)


def test_a_region_outside_the_account_gives_nothing_and_a_bad_one_names_the_field(staff):
    ElderFactory(residence_id=first_village_of(LONGWAN[:6]))
    client = api_client(staff["community_worker"])
    assert _names(client, "/api/v1/elders/", LONGWAN) == set()  # scope first, then the filter
    resp = client.get("/api/v1/elders/", {"region": "鹿城区"})
    assert resp.status_code == 400 and list(resp.json()) == ["region"]
    assert "12" in resp.json()["region"][0]  # the message says what to give


def test_every_api_list_of_a_model_with_a_region_offers_the_one_region_filter(staff):
    schema = api_client(staff["city_admin"])
    spec = schema.get(
        reverse("api-schema"), {"format": "json", "lang": "en"}, HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    missing = []
    for prefix, viewset, _basename in router.registry:
        queryset = getattr(viewset, "queryset", None)
        if queryset is None or not hasattr(viewset, "list") or not has_region(queryset.model):
            continue
        operation = spec["paths"].get(f"/api/v1/{prefix}/", {}).get("get")
        if operation is None:
            continue
        params = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "query"}
        if "region" not in params or "leading digits" not in params["region"].get("description", ""):
            missing.append(prefix)
    assert not missing, f"lists without the one `region` filter: {missing}"
