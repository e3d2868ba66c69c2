"""Catalogues: the coverage check, publishing, entitlements; providers and service records."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from policies.services import load_policy_pack
from services import rules
from services.catalogue import publish_catalogue
from services.models import Caregiver, Catalogue, CatalogueItem, Provider, ProviderStaff
from services.services import record_blacklisting, record_service
from tests.factories import CITY, LONGWAN, LUCHENG, WUMA, WUMA_GULOU, ElderFactory, api_client, id_number_for

LONGWAN_VILLAGE_PREFIX = LONGWAN[:6] + "001"

pytestmark = pytest.mark.django_db
AGE80 = {"fact": "age", "op": "gte", "value": 80}


def api(user):
    return api_client(user)


def uscc(body: str = "91330302MA2C0001") -> str:
    body = (body + "0" * 17)[:17]
    return body + rules.uscc_check_character(body)


class TestCoverageRules:
    parent = [
        {"code": "N03", "name": "高龄津贴", "target_group": AGE80, "standard_level": Decimal("100")},
        {
            "code": "N10",
            "name": "探访",
            "target_group": {"fact": "categories", "op": "has_any", "value": ["alone"]},
            "standard_level": None,
        },
    ]

    def test_complete_and_wider_list_has_no_gaps(self):
        child = [
            {
                "code": "N03",
                "name": "",
                "target_group": {"fact": "age", "op": "gte", "value": 70},
                "standard_level": Decimal("120"),
            },
            {
                "code": "N10",
                "name": "",
                "target_group": {"fact": "categories", "op": "has_any", "value": ["alone", "empty_nest"]},
                "standard_level": None,
            },
            {"code": "C01", "name": "", "target_group": AGE80, "standard_level": None},
        ]
        assert rules.coverage_gaps(self.parent, child) == []

    def test_missing_item_narrower_group_and_lower_standard_are_gaps(self):
        child = [
            {
                "code": "N03",
                "name": "",
                "target_group": {"fact": "age", "op": "gte", "value": 85},
                "standard_level": Decimal("80"),
            }
        ]
        kinds = {(g["code"], g["kind"]) for g in rules.coverage_gaps(self.parent, child)}
        assert kinds == {("N03", "narrower"), ("N03", "lower_standard"), ("N10", "missing")}

    def test_an_extra_condition_is_narrower_or_unverified_never_passed(self):
        child = [
            {
                "code": "N03",
                "name": "",
                "target_group": {"all": [AGE80, {"fact": "hukou", "op": "under", "value": "3303"}]},
                "standard_level": Decimal("100"),
            },
            self.parent[1],
        ]
        gaps = rules.coverage_gaps(self.parent, child)
        assert [g["code"] for g in gaps] == ["N03"] and gaps[0]["kind"] in {"narrower", "unverified"}

    def test_widening_with_any_passes(self):
        assert rules.no_narrower(
            {"any": [AGE80, {"fact": "living_arrangement", "op": "eq", "value": "alone"}]}, AGE80
        )


@pytest.fixture
def packs(wenzhou):
    load_policy_pack(name="national")
    load_policy_pack(name="wenzhou", region_code="3303")


def test_packs_publish_national_and_city_lists(packs):
    national = Catalogue.objects.get(region__isnull=True)
    city = Catalogue.objects.get(region_id="330300000000")
    assert national.status == city.status == "published"
    assert city.parent == national
    assert city.items.filter(code="WZ01").exists()
    assert set(national.items.values_list("code", flat=True)) <= set(
        city.items.values_list("code", flat=True)
    )


def test_a_county_list_missing_or_narrowing_an_item_is_refused_and_a_complete_one_publishes(packs, staff):
    city = Catalogue.objects.get(region_id="330300000000")
    county = Catalogue.objects.create(
        region_id=LUCHENG, title="鹿城区清单", version="2024", effective_from="2024-01-01", parent=city
    )
    for item in city.items.exclude(code="N03"):
        CatalogueItem.objects.create(
            catalogue=county,
            code=item.code,
            category=item.category,
            name=item.name,
            target_group=item.target_group,
            standard_level=item.standard_level,
        )
    with pytest.raises(ValidationError, match="N03"):
        publish_catalogue(catalogue=county, acting_user=staff["district_officer"])
    CatalogueItem.objects.create(
        catalogue=county,
        code="N03",
        category="material",
        name="高龄津贴",
        target_group={"fact": "age", "op": "gte", "value": 90},
    )
    with pytest.raises(ValidationError, match="N03"):
        publish_catalogue(catalogue=county, acting_user=staff["district_officer"])
    CatalogueItem.objects.filter(catalogue=county, code="N03").update(
        target_group={"fact": "age", "op": "gte", "value": 75}
    )
    publish_catalogue(catalogue=county, acting_user=staff["district_officer"])
    county.refresh_from_db()
    assert county.status == "published"


def test_entitlements_with_reasons_and_near_misses(packs, staff):
    from assessments.models import RecognisedResult

    elder = ElderFactory(
        born=timezone.localdate().replace(year=timezone.localdate().year - 81),
        economic_status="dibao",
        living_arrangement="alone",
    )
    body = api(staff["community_worker"]).get(f"/api/v1/elders/{elder.pk}/entitlements/").json()
    qualifies = {row["code"] for row in body["qualifies"]}
    assert {"N03", "N04", "N08", "N10"} <= qualifies
    assert "N09" not in qualifies
    nearly = {row["code"]: row for row in body["nearly"]}
    assert (
        "N06" in nearly
        and "ability grade" in nearly["N06"]["missing"][0]
        or "能力等级" in nearly["N06"]["missing"][0]
    )
    RecognisedResult.objects.create(
        elder=elder,
        source="disability",
        assessed_on=timezone.localdate() - timedelta(days=1),
        grade=4,
        valid_until=timezone.localdate() + timedelta(days=30),
        recorded_by=staff["street_officer"],
    )
    body = api(staff["community_worker"]).get(f"/api/v1/elders/{elder.pk}/entitlements/").json()
    assert "N06" in {row["code"] for row in body["qualifies"]}


def test_entitlements_outside_region_is_404(packs, staff):
    from tests.factories import WUMA_MOCHI

    other = ElderFactory(residence_id=WUMA_MOCHI)
    assert api(staff["community_worker"]).get(f"/api/v1/elders/{other.pk}/entitlements/").status_code == 404


@pytest.fixture
def provider(staff):
    p = Provider(
        name="鹿城安康居家养老服务中心",
        credit_code=uscc(),
        kind="home_care",
        region_id=LUCHENG,
        filing_status="filed",
    )
    p.full_clean()
    p.save()
    return p


def test_credit_code_is_checked(wenzhou):
    bad = uscc()[:-1] + ("0" if uscc()[-1] != "0" else "1")
    with pytest.raises(ValidationError, match="check|校验"):
        Provider(name="x", credit_code=bad, kind="canteen", region_id=WUMA).full_clean()
    assert rules.uscc_error("91350100M000100Y43") is None


def test_service_records_refuse_duplicates_blacklisted_and_foreign_caregivers(staff, provider):
    elder = ElderFactory()
    carer = Caregiver(
        provider=provider,
        id_number=id_number_for(timezone.localdate().replace(year=1975), female=True),
        name="护理员甲",
        skill_level=4,
    )
    carer.full_clean()
    carer.save()
    ProviderStaff.objects.create(user=staff["provider_staff"], provider=provider)
    started = timezone.now() - timedelta(hours=3)
    c = api(staff["provider_staff"])
    body = {
        "elder": elder.pk,
        "kind": "bath",
        "provider": provider.pk,
        "caregiver": carer.pk,
        "started_at": started.isoformat(),
        "duration_minutes": 60,
        "funding": "government",
        "amount": "45.00",
    }
    assert c.post("/api/v1/service-records/", body, format="json").status_code == 201
    dup = c.post("/api/v1/service-records/", body, format="json")
    assert dup.status_code == 400
    other = Provider(name="别家", credit_code=uscc("91330302MA2C0002"), kind="home_care", region_id=LUCHENG)
    other.full_clean()
    other.save()
    assert (
        c.post(
            "/api/v1/service-records/",
            {
                **body,
                "provider": other.pk,
                "caregiver": None,
                "started_at": (started - timedelta(hours=1)).isoformat(),
            },
            format="json",
        ).status_code
        == 400
    )
    record_blacklisting(
        acting_user=staff["district_officer"],
        provider=provider,
        reason="虚报服务时长",
        starts_on=timezone.localdate() - timedelta(days=1),
    )
    resp = c.post(
        "/api/v1/service-records/",
        {**body, "started_at": (started - timedelta(hours=2)).isoformat()},
        format="json",
    )
    assert resp.status_code == 400 and "provider" in resp.json()
    listed = api(staff["district_officer"]).get("/api/v1/providers/").json()["results"]
    assert [p["blacklisted"] for p in listed if p["id"] == provider.pk] == [True]


def test_service_record_amount_is_decimal(staff, provider):
    ProviderStaff.objects.create(user=staff["provider_staff"], provider=provider)
    record = record_service(
        acting_user=staff["provider_staff"],
        elder=ElderFactory(),
        kind="meal",
        provider=provider,
        started_at=timezone.now() - timedelta(hours=1),
        duration_minutes=30,
        funding="self_paid",
        amount=Decimal("12.50"),
    )
    record.refresh_from_db()
    assert record.amount == Decimal("12.50")


def test_providers_list_is_scoped(staff, provider):
    from tests.factories import LONGWAN

    far = Provider(name="龙湾某中心", credit_code=uscc("91330303MA2C0003"), kind="station", region_id=LONGWAN)
    far.full_clean()
    far.save()
    ids = {p["id"] for p in api(staff["street_officer"]).get("/api/v1/providers/").json()["results"]}
    assert ids == set()  # both serve wider areas than the street
    ids = {p["id"] for p in api(staff["district_officer"]).get("/api/v1/providers/").json()["results"]}
    assert ids == {provider.pk}
    assert api(staff["district_officer"]).get(f"/api/v1/providers/{far.pk}/").status_code == 404


def test_file_page_and_admin_compare_show_entitlements_and_gaps(client, packs, staff):
    elder = ElderFactory(economic_status="extreme_poverty")
    client.force_login(staff["community_worker"])
    page = client.get(f"/elders/{elder.pk}/").content.decode()
    assert 'data-section="entitlements"' in page and "特困人员供养" in page
    city = Catalogue.objects.get(region_id="330300000000")
    county = Catalogue.objects.create(
        region_id=LUCHENG, title="鹿城区清单", version="2024", effective_from="2024-01-01", parent=city
    )
    client.force_login(staff["district_officer"])
    page = client.get(f"/admin/services/catalogue/{county.pk}/compare/").content.decode()
    assert "N03" in page and "高龄津贴" in page
    page = client.get(f"/admin/services/catalogue/{county.pk}/change/").content.decode()
    assert "N01" in page


def _copy_items(source: Catalogue, target: Catalogue, **overrides_by_code) -> None:
    CatalogueItem.objects.bulk_create(
        [
            CatalogueItem(
                **{
                    "catalogue": target,
                    "code": item.code,
                    "category": item.category,
                    "name": item.name,
                    "target_group": item.target_group,
                    "standard_level": item.standard_level,
                    **overrides_by_code.get(item.code, {}),
                }
            )
            for item in source.items.all()
        ]
    )


def test_a_county_list_with_a_lower_standard_is_refused(packs, staff):
    city = Catalogue.objects.get(region_id="330300000000")
    level = city.items.get(code="N10").standard_level
    assert level is not None
    county = Catalogue.objects.create(
        region_id=LUCHENG, title="鹿城区清单", version="2024", effective_from="2024-01-01", parent=city
    )
    _copy_items(city, county, N10={"standard_level": level - 1})
    with pytest.raises(ValidationError, match="N10"):
        publish_catalogue(catalogue=county, acting_user=staff["district_officer"])
    CatalogueItem.objects.filter(catalogue=county, code="N10").update(standard_level=level + 1)
    publish_catalogue(catalogue=county, acting_user=staff["district_officer"])
    assert Catalogue.objects.get(pk=county.pk).status == "published"


def test_leaving_the_parent_empty_does_not_skip_the_check(packs, staff):
    city = Catalogue.objects.get(region_id="330300000000")
    county = Catalogue.objects.create(
        region_id=LUCHENG, title="鹿城区清单", version="2024", effective_from="2024-01-01"
    )
    _copy_items(city, county)
    CatalogueItem.objects.filter(catalogue=county, code="WZ01").delete()
    with pytest.raises(ValidationError, match="WZ01"):
        publish_catalogue(catalogue=county, acting_user=staff["district_officer"])
    county.refresh_from_db()
    assert county.status == "draft"


def test_a_list_is_checked_against_the_version_in_force_above_it(packs, staff):
    old_city = Catalogue.objects.get(region_id="330300000000")
    county = Catalogue.objects.create(
        region_id=LUCHENG, title="鹿城区清单", version="2024", effective_from="2024-01-01", parent=old_city
    )
    _copy_items(old_city, county)
    new_city = Catalogue.objects.create(
        region_id=CITY, title="温州市清单", version="2025", effective_from="2025-01-01"
    )
    _copy_items(old_city, new_city)
    CatalogueItem.objects.create(
        catalogue=new_city, code="WZ02", category="care", name="助餐服务", target_group=AGE80
    )
    publish_catalogue(catalogue=new_city, acting_user=staff["city_admin"])
    assert Catalogue.objects.get(pk=old_city.pk).status == "superseded"
    with pytest.raises(ValidationError, match="WZ02"):
        publish_catalogue(catalogue=county, acting_user=staff["district_officer"])
    CatalogueItem.objects.create(
        catalogue=county, code="WZ02", category="care", name="助餐服务", target_group=AGE80
    )
    publish_catalogue(catalogue=county, acting_user=staff["district_officer"])
    assert Catalogue.objects.get(pk=county.pk).parent == new_city


def test_publishing_needs_the_permission(packs, staff):
    city = Catalogue.objects.get(region_id="330300000000")
    county = Catalogue.objects.create(
        region_id=LUCHENG, title="鹿城区清单", version="2024", effective_from="2024-01-01"
    )
    _copy_items(city, county)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        publish_catalogue(catalogue=county, acting_user=staff["community_worker"])


def test_entitlements_come_from_the_nearest_list_in_force_on_the_day(packs, staff):
    from services.selectors import catalogue_in_force, entitlements_for

    city = Catalogue.objects.get(region_id="330300000000")
    county = Catalogue.objects.create(
        region_id=LUCHENG, title="鹿城区清单", version="2024", effective_from="2024-01-01", parent=city
    )
    _copy_items(city, county)
    CatalogueItem.objects.create(
        catalogue=county, code="LC01", category="caring", name="鹿城探访", target_group=AGE80
    )
    publish_catalogue(catalogue=county, acting_user=staff["district_officer"])
    assert catalogue_in_force(WUMA_GULOU) == county
    assert catalogue_in_force(LONGWAN_VILLAGE_PREFIX + "001") == city
    assert catalogue_in_force(WUMA_GULOU, date(2023, 12, 31)) == city  # before the county list took effect
    elder = ElderFactory(born=timezone.localdate().replace(year=timezone.localdate().year - 85))
    found = entitlements_for(elder, timezone.localdate())
    assert found["catalogue"] == county
    row = next(r for r in found["qualifies"] if r["code"] == "LC01")
    assert row["reasons"] and "85" in row["reasons"][0]
    Catalogue.objects.filter(pk=county.pk).update(effective_to=timezone.localdate() - timedelta(days=1))
    assert entitlements_for(elder, timezone.localdate())["catalogue"] == city


def test_a_published_lists_items_are_not_edited_in_place(client, packs, staff):
    city = Catalogue.objects.get(region_id="330300000000")
    client.force_login(staff["city_admin"])
    page = client.get(f"/admin/services/catalogue/{city.pk}/change/").content.decode()
    assert "N01" in page and 'name="items-0-name"' not in page
    draft = Catalogue.objects.create(
        region_id=LUCHENG, title="鹿城区清单", version="2024", effective_from="2024-01-01"
    )
    _copy_items(city, draft)
    page = client.get(f"/admin/services/catalogue/{draft.pk}/change/").content.decode()
    assert 'name="items-0-name"' in page
    # the gaps of a draft without a recorded parent are shown against the list in force
    CatalogueItem.objects.filter(catalogue=draft, code="N03").delete()
    page = client.get(f"/admin/services/catalogue/{draft.pk}/change/").content.decode()
    assert "N03" in page


def test_admin_compares_any_two_readable_lists(client, packs, staff):
    national = Catalogue.objects.get(region__isnull=True)
    city = Catalogue.objects.get(region_id="330300000000")
    client.force_login(staff["district_officer"])
    # a district officer compares their own lists (against the list in force above by default)
    assert client.get(f"/admin/services/catalogue/{city.pk}/compare/").status_code == 404
    client.force_login(staff["city_admin"])
    page = client.get(f"/admin/services/catalogue/{city.pk}/compare/?with={national.pk}").content.decode()
    assert "WZ01" in page and str(national) in page


@pytest.mark.parametrize(
    ("name", "prefix", "own_codes"),
    [
        ("dongguan", "4419", {"DG01"}),
        ("xianning", "4212", {"XN01"}),
        ("jilin", "22", {"JL01", "JL02", "JL03"}),
        ("nanyang", "4113", {"NY01"}),
        ("wenzhou", "3303", {"WZ01"}),
    ],
)
def test_every_seed_list_covers_the_national_list_and_names_its_basis(db, name, prefix, own_codes):
    from regions.services import load_regions

    load_regions(prefix=prefix)
    load_policy_pack(name="national")
    load_policy_pack(name=name, region_code=prefix)
    listed = Catalogue.objects.get(region_id=prefix.ljust(12, "0"))
    assert listed.status == "published", publish_gaps(listed)
    codes = set(listed.items.values_list("code", flat=True))
    national = set(Catalogue.objects.get(region__isnull=True).items.values_list("code", flat=True))
    assert national | own_codes <= codes
    assert not listed.items.filter(legal_basis="").exists()


def publish_gaps(catalogue):
    from services.catalogue import gaps

    return gaps(catalogue)
