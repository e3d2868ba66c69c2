"""The bureau's basic-service list page: the items of the list in force at the region, added,
edited (who it is for in the condition's boxes) and retired, written as the region's own
catalogue section with the item sourced as the bureau's setting and the list published again;
an item of the list above cannot be retired or narrowed; bad input names the field and writes
nothing; the elder's entitlements read the new list."""

import pytest
from django.test import Client
from django.utils import timezone

from policies.models import PolicySection
from policies.services import load_policy_pack
from services import selectors
from services.models import Catalogue, CatalogueItem
from tests.factories import CITY, LUCHENG, WUMA_GULOU, ElderFactory, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(wenzhou):
    load_policy_pack(name="national")
    load_policy_pack(name="wenzhou", region_code="3303")
    user = make_staff("wz-city", "city_admin", CITY)
    client = Client()
    client.force_login(user)
    return client


def _item(**extra):
    data = {
        "code": "WZ20",
        "category": "care",
        "name": "高龄老人助浴服务",
        "content": "为90周岁及以上老年人每月提供一次上门助浴",
        "standard": "每月一次",
        "standard_level": "1",
        "standard_unit": "次/月",
        "department": "市民政局",
        "application_path": "向社区申请",
        "all__age__min": "90",
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def _city_list():
    return Catalogue.objects.get(region_id=CITY, status="published")


def test_a_new_item_is_added_in_boxes_published_and_read_by_the_entitlements(
    city, django_capture_on_commit_callbacks
):
    page = city.get("/visits/catalogue/").content.decode()
    assert "WZ01" in page and "特殊困难老年人免费居家养老服务" in page and "户籍" in page
    assert '"fact"' not in page  # never the condition as data
    form = city.get("/visits/catalogue/new/").content.decode()
    assert 'name="all__age__min"' in form
    with django_capture_on_commit_callbacks(execute=True):
        assert city.post("/visits/catalogue/new/", _item()).status_code == 302
    row = PolicySection.objects.get(region_id=CITY, section="catalogue")
    added = next(i for i in row.data["items"]["value"] if i["code"] == "WZ20")
    assert added["target_group"] == {"fact": "age", "op": "gte", "value": 90}
    assert added["source"]["basis"] == "reading" and "wz-city" in added["source"]["note"]
    item = CatalogueItem.objects.get(catalogue=_city_list(), code="WZ20")
    assert (item.name, item.standard_unit, str(item.standard_level)) == ("高龄老人助浴服务", "次/月", "1.00")
    # A 92-year-old of the city is entitled to it; a 70-year-old is not.
    old = ElderFactory(
        residence_id=WUMA_GULOU, born=timezone.localdate().replace(year=timezone.localdate().year - 92)
    )
    young = ElderFactory(
        residence_id=WUMA_GULOU, born=timezone.localdate().replace(year=timezone.localdate().year - 70)
    )
    assert "WZ20" in {r["code"] for r in selectors.entitlements_for(old, timezone.localdate())["qualifies"]}
    assert "WZ20" not in {
        r["code"] for r in selectors.entitlements_for(young, timezone.localdate())["qualifies"]
    }
    listed = city.get("/visits/catalogue/").content.decode()
    assert "高龄老人助浴服务" in listed and "局设" in listed


def test_an_item_is_edited_and_retired_and_leaves_the_entitlements(city, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        city.post("/visits/catalogue/new/", _item())
    edit = city.get("/visits/catalogue/WZ20/").content.decode()
    assert 'value="90"' in edit and "高龄老人助浴服务" in edit
    with django_capture_on_commit_callbacks(execute=True):
        resp = city.post(
            "/visits/catalogue/WZ20/", _item(code=None, name="高龄老人上门助浴", **{"all__age__min": "85"})
        )
    assert resp.status_code == 302
    item = CatalogueItem.objects.get(catalogue=_city_list(), code="WZ20")
    assert item.name == "高龄老人上门助浴" and item.target_group == {"fact": "age", "op": "gte", "value": 85}
    with django_capture_on_commit_callbacks(execute=True):
        assert city.post("/visits/catalogue/WZ20/retire/").status_code == 302
    assert not CatalogueItem.objects.filter(catalogue=_city_list(), code="WZ20").exists()
    assert 'data-testid="item-WZ20"' not in city.get("/visits/catalogue/").content.decode()


def test_an_item_of_the_list_above_cannot_be_retired_or_narrowed(city):
    before = PolicySection.objects.get(region_id=CITY, section="catalogue").data
    resp = city.post("/visits/catalogue/N03/retire/", follow=True)
    assert "N03" in resp.content.decode() and "必须保留" in resp.content.decode()
    # 高龄津贴 is for 80 and over nationally: the city cannot make it 90 and over.
    resp = city.post(
        "/visits/catalogue/N03/",
        _item(
            code=None, name="高龄津贴", category="material", standard_level=None, **{"all__age__min": "90"}
        ),
    )
    assert resp.status_code == 200
    assert "N03" in resp.content.decode() and "窄" in resp.content.decode()
    assert PolicySection.objects.get(region_id=CITY, section="catalogue").data == before
    assert CatalogueItem.objects.get(catalogue=_city_list(), code="N03").target_group["value"] == 80


@pytest.mark.parametrize(
    ("extra", "field", "text"),
    [
        ({"name": ""}, "name", "名称"),
        ({"code": "WZ 20!"}, "code", "编码"),
        ({"code": "WZ01"}, "code", "WZ01"),
        ({"standard_level": "-5"}, "standard_level", "标准"),
        ({"category": "other"}, "category", ""),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(city, extra, field, text):
    before = PolicySection.objects.get(region_id=CITY, section="catalogue").data
    resp = city.post("/visits/catalogue/new/", _item(**extra))
    assert resp.status_code == 200
    error = resp.content.decode().split(f'data-error-for="{field}">')[1].split("</div>")[0]
    assert text in error, error
    assert PolicySection.objects.get(region_id=CITY, section="catalogue").data == before


def test_no_target_group_is_refused(city):
    resp = city.post("/visits/catalogue/new/", _item(**{"all__age__min": None}))
    assert resp.status_code == 200 and "至少设置一项条件" in resp.content.decode()


def test_a_district_keeps_its_own_list_covering_the_citys(city, django_capture_on_commit_callbacks):
    district = Client()
    district.force_login(make_staff("lc", "district_officer", LUCHENG))
    page = district.get("/visits/catalogue/").content.decode()
    assert "上一级" in page and "WZ01" in page
    with django_capture_on_commit_callbacks(execute=True):
        resp = district.post("/visits/catalogue/new/", _item(code="LC01", name="鹿城区老年助餐"))
    assert resp.status_code == 302
    own = Catalogue.objects.get(region_id=LUCHENG, status="published")
    assert own.title == "鹿城区基本养老服务清单"
    assert {"WZ01", "N03", "LC01"} <= set(own.items.values_list("code", flat=True))
    # The city's list is untouched; the district cannot retire the city's item.
    assert not _city_list().items.filter(code="LC01").exists()
    resp = district.post("/visits/catalogue/WZ01/retire/", follow=True)
    assert "必须保留" in resp.content.decode()
    # Another role has no list page.
    worker = Client()
    worker.force_login(make_staff("wk", "community_worker", WUMA_GULOU))
    assert worker.get("/visits/catalogue/").status_code == 403
