"""The catalogue, provider, caregiver and service-record API: contract, scope, query counts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from policies.services import load_policy_pack
from services import services
from services.models import Catalogue, CatalogueItem, ProviderStaff
from services.tests.factories import make_caregiver, make_provider, make_uscc
from tests.factories import LONGWAN, LUCHENG, SONGTAI, WUMA, ElderFactory, api_client, first_village_of

pytestmark = pytest.mark.django_db


def api(user):
    return api_client(user)


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def packs(wenzhou):
    load_policy_pack(name="national")
    load_policy_pack(name="wenzhou", region_code="3303")


@pytest.fixture
def two_streets(staff):
    """A provider and a service record in 五马街道 and in 松台街道 (both in 鹿城区)."""
    wuma, songtai = make_provider(region=WUMA), make_provider(region=SONGTAI)
    recorder = staff["provider_staff"]
    ProviderStaff.objects.create(user=recorder, provider=wuma)
    here = services.record_service(
        acting_user=recorder,
        elder=ElderFactory(),
        kind="meal",
        provider=wuma,
        started_at=timezone.now() - timedelta(hours=1),
        duration_minutes=30,
        funding="government",
        amount=Decimal("12.00"),
    )
    ProviderStaff.objects.filter(user=recorder).update(provider=songtai)
    there = services.record_service(
        acting_user=recorder,
        elder=ElderFactory(residence_id=first_village_of(SONGTAI[:9])),
        kind="cleaning",
        provider=songtai,
        started_at=timezone.now() - timedelta(hours=1),
        duration_minutes=60,
        funding="self_paid",
        amount=Decimal("40.00"),
    )
    ProviderStaff.objects.filter(user=recorder).update(provider=wuma)
    return {"wuma": wuma, "songtai": songtai, "here": here, "there": there}


# --- catalogues ---------------------------------------------------------------------------------


def test_a_community_worker_reads_the_lists_that_apply_to_their_elders(packs, staff):
    body = api(staff["community_worker"]).get("/api/v1/catalogues/").json()
    by_region = {row["region"]: row for row in body["results"]}
    assert set(by_region) == {None, "330300000000"}  # the national list and the city's
    city = by_region["330300000000"]
    assert city["status"] == "published"
    codes = {item["code"] for item in city["items"]}
    assert {"N01", "N10", "WZ01"} <= codes
    assert all(item["legal_basis"] for item in city["items"])


def test_a_neighbouring_districts_list_is_not_readable(packs, staff):
    city = Catalogue.objects.get(region_id="330300000000")
    longwan = Catalogue.objects.create(
        region_id=LONGWAN, title="龙湾区清单", version="2024", effective_from="2024-01-01", parent=city
    )
    CatalogueItem.objects.create(
        catalogue=longwan,
        code="LW01",
        category="caring",
        name="x",
        target_group={"fact": "age", "op": "gte", "value": 60},
    )
    assert longwan.pk not in ids(api(staff["district_officer"]).get("/api/v1/catalogues/"))
    assert api(staff["district_officer"]).get(f"/api/v1/catalogues/{longwan.pk}/").status_code == 404
    items = api(staff["district_officer"]).get("/api/v1/catalogue-items/", {"code": "LW01"})
    assert ids(items) == set()
    assert longwan.pk in ids(api(staff["city_admin"]).get("/api/v1/catalogues/"))


def test_catalogue_items_filter_by_list_and_category(packs, staff):
    city = Catalogue.objects.get(region_id="330300000000")
    rows = (
        api(staff["street_officer"])
        .get("/api/v1/catalogue-items/", {"catalogue": city.pk, "category": "caring"})
        .json()["results"]
    )
    assert (
        rows and {r["catalogue"] for r in rows} == {city.pk} and {r["category"] for r in rows} == {"caring"}
    )


def test_catalogues_are_read_only_on_the_api(packs, staff):
    city = Catalogue.objects.get(region_id="330300000000")
    response = api(staff["city_admin"]).patch(f"/api/v1/catalogues/{city.pk}/", {"title": "x"}, format="json")
    assert response.status_code == 405


# --- providers and caregivers ---------------------------------------------------------------------


def test_another_streets_provider_is_404(staff, two_streets):
    officer = api(staff["street_officer"])
    assert ids(officer.get("/api/v1/providers/")) == {two_streets["wuma"].pk}
    assert officer.get(f"/api/v1/providers/{two_streets['songtai'].pk}/").status_code == 404
    assert ids(api(staff["district_officer"]).get("/api/v1/providers/")) >= {
        two_streets["wuma"].pk,
        two_streets["songtai"].pk,
    }


def test_filing_a_provider_checks_the_credit_code_and_the_region(staff, wenzhou):
    officer = api(staff["district_officer"])
    body = {"name": "鹿城颐养中心", "credit_code": make_uscc().lower(), "kind": "station", "region": WUMA}
    created = officer.post("/api/v1/providers/", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["credit_code"] == body["credit_code"].upper()
    wrong = make_uscc()
    wrong = wrong[:-1] + ("A" if wrong[-1] != "A" else "B")
    refused = officer.post("/api/v1/providers/", {**body, "credit_code": wrong}, format="json")
    assert refused.status_code == 400 and "credit_code" in refused.json()
    outside = officer.post(
        "/api/v1/providers/", {**body, "credit_code": make_uscc(), "region": LONGWAN}, format="json"
    )
    assert outside.status_code == 400 and "region" in outside.json()


def test_a_provider_can_be_patched_without_resending_its_code(staff, two_streets):
    response = api(staff["district_officer"]).patch(
        f"/api/v1/providers/{two_streets['wuma'].pk}/", {"phone": "0577-88888888"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["phone"] == "0577-88888888"


def test_caregivers_are_filed_only_with_providers_in_reach(staff, two_streets):
    far = make_provider(region=LONGWAN)
    mine = make_caregiver(two_streets["wuma"])
    body = {"provider": far.pk, "id_number": "", "name": "护理员", "skill_level": 3}
    officer = api(staff["district_officer"])
    body["id_number"] = make_caregiver(two_streets["songtai"]).id_number[:-1] + "0"
    response = officer.post("/api/v1/caregivers/", body, format="json")
    assert response.status_code == 400 and "provider" in response.json()
    response = officer.post(
        "/api/v1/caregivers/", {**body, "provider": two_streets["wuma"].pk}, format="json"
    )
    assert response.status_code == 400 and "id_number" in response.json()
    moved = officer.patch(f"/api/v1/caregivers/{mine.pk}/", {"provider": far.pk}, format="json")
    assert moved.status_code == 400
    renamed = officer.patch(
        f"/api/v1/caregivers/{mine.pk}/", {"certificate_number": "GZ-2026-1"}, format="json"
    )
    assert renamed.status_code == 200, renamed.content
    assert api(staff["street_officer"]).get(f"/api/v1/caregivers/{far.pk}/").status_code == 404


# --- service records ------------------------------------------------------------------------------


def test_another_streets_service_record_is_404(staff, two_streets):
    officer = api(staff["street_officer"])
    assert ids(officer.get("/api/v1/service-records/")) == {two_streets["here"].pk}
    assert officer.get(f"/api/v1/service-records/{two_streets['there'].pk}/").status_code == 404


def test_provider_staff_see_only_their_providers_records(staff, two_streets):
    assert ids(api(staff["provider_staff"]).get("/api/v1/service-records/")) == {two_streets["here"].pk}


def test_posting_a_record_and_its_duplicate(staff, two_streets):
    elder = ElderFactory()
    body = {
        "elder": elder.pk,
        "kind": "home_care",
        "provider": two_streets["wuma"].pk,
        "started_at": (timezone.now() - timedelta(hours=3)).isoformat(),
        "duration_minutes": 90,
        "funding": "government",
        "amount": "60.00",
    }
    client = api(staff["provider_staff"])
    created = client.post("/api/v1/service-records/", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["amount"] == "60.00" and created.json()["recorded_by"] == staff["provider_staff"].pk
    duplicate = client.post("/api/v1/service-records/", body, format="json")
    assert duplicate.status_code == 400
    assert (
        api(staff["community_worker"]).post("/api/v1/service-records/", body, format="json").status_code
        == 403
    )


def test_an_item_of_an_unreadable_list_cannot_be_referenced(packs, staff, two_streets):
    city = Catalogue.objects.get(region_id="330300000000")
    longwan = Catalogue.objects.create(
        region_id=LONGWAN, title="龙湾", version="1", effective_from="2024-01-01", parent=city
    )
    foreign = CatalogueItem.objects.create(
        catalogue=longwan,
        code="LW01",
        category="care",
        name="x",
        target_group={"fact": "age", "op": "gte", "value": 60},
    )
    body = {
        "elder": ElderFactory().pk,
        "kind": "meal",
        "provider": two_streets["wuma"].pk,
        "started_at": (timezone.now() - timedelta(hours=3)).isoformat(),
        "duration_minutes": 30,
        "funding": "government",
        "amount": "10.00",
    }
    client = api(staff["provider_staff"])
    assert (
        client.post("/api/v1/service-records/", {**body, "item": foreign.pk}, format="json").status_code
        == 400
    )
    meal = city.items.first()
    assert (
        client.post("/api/v1/service-records/", {**body, "item": meal.pk}, format="json").status_code == 201
    )


# --- query counts ---------------------------------------------------------------------------------


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/catalogues/",
        "/api/v1/catalogue-items/",
        "/api/v1/providers/",
        "/api/v1/caregivers/",
        "/api/v1/service-records/",
    ],
)
def test_list_endpoints_use_a_constant_number_of_queries(
    packs, staff, two_streets, url, django_assert_max_num_queries
):
    make_caregiver(two_streets["wuma"])  # every list has rows before the baseline is taken
    client = api(staff["city_admin"])
    _count(client, url)  # warm the per-user scope cache
    before = _count(client, url)
    provider = make_provider(region=WUMA)
    ProviderStaff.objects.filter(user=staff["provider_staff"]).update(provider=provider)
    for hours in range(2, 8):
        carer = make_caregiver(provider)
        services.record_service(
            acting_user=staff["provider_staff"],
            elder=ElderFactory(),
            kind="bath",
            provider=provider,
            caregiver=carer,
            started_at=timezone.now() - timedelta(hours=hours),
            duration_minutes=45,
            funding="government",
            amount=Decimal("30.00"),
        )
        make_provider(region=LUCHENG)
    Catalogue.objects.create(region_id=LUCHENG, title="鹿城", version="1", effective_from="2024-01-01")
    assert _count(client, url) == before
    with django_assert_max_num_queries(6):
        client.get(url)
