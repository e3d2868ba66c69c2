"""The bureau's construction standards page: per facility kind a box per measure and the staffing
ratio per care group, written as the region's own facilities section with the changed values
sourced as the bureau's setting; the standards checks read the new values at once; bad input
names the field and writes nothing."""

import pytest
from django.test import Client
from django.utils import timezone

from facilities import selectors
from facilities.policy import facility_settings
from facilities.tests.helpers import make_facility
from policies.models import PolicySection
from policies.services import load_policy_pack
from tests.factories import CITY, LUCHENG, WUMA, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(wenzhou):
    load_policy_pack(name="national")
    load_policy_pack(name="wenzhou", region_code="3303")
    user = make_staff("wz-city", "city_admin", CITY)
    client = Client()
    client.force_login(user)
    return client


def _post(client, **extra):
    data = {
        "street_centre__beds": "60",
        "street_centre__nursing_bed_share": "50",
        "street_centre__floor_area_m2": "1500",
        "ratio__disabled": "2",
        "ratio__semi_disabled": "5",
        "ratio__self_care": "10",
        "staffing_applies_to": ["street_centre", "nursing_home"],
    }
    data.update(extra)
    return client.post("/facilities/standards/", {k: v for k, v in data.items() if v is not None})


def test_the_standards_are_saved_as_the_bureaus_and_the_checks_read_them(
    city, django_capture_on_commit_callbacks
):
    centre = make_facility(name="五马街道中心", region=WUMA, beds=50, nursing_beds=30, floor_area_m2=2000)
    assert not selectors.facility_report(centre, timezone.localdate()).has_standard
    page = city.get("/facilities/standards/").content.decode()
    assert 'name="street_centre__beds"' in page and "护理型床位占比" in page
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(city).status_code == 302
    row = PolicySection.objects.get(region_id=CITY, section="facilities")
    rules = row.data["standards"]["value"]["street_centre"]
    assert {r["metric"]: r["min"] for r in rules} == {
        "beds": 60,
        "nursing_bed_share": 50,
        "floor_area_m2": 1500,
    }
    assert all(r["source"]["basis"] == "reading" and "wz-city" in r["source"]["note"] for r in rules)
    assert row.data["staffing"]["value"]["residents_per_caregiver"] == {
        "disabled": 2,
        "semi_disabled": 5,
        "self_care": 10,
    }
    assert row.data["staffing"]["source"]["basis"] == "reading"
    # The space standard is kept with its document's clauses.
    assert row.data["space"]["source"][0]["document"] == "wenzhou-2023"
    settings = facility_settings(LUCHENG)
    assert [(r.metric, str(r.minimum)) for r in settings.standards["street_centre"]] == [
        ("beds", "60"),
        ("nursing_bed_share", "50"),
        ("floor_area_m2", "1500"),
    ]
    # The check and the shortfalls page read the new values: 50 beds are short of 60.
    report = selectors.facility_report(centre, timezone.localdate())
    assert [c.metric for c in report.failed] == ["beds"]
    assert "五马街道中心" in city.get("/facilities/shortfalls/").content.decode()
    # Shown again in the boxes; saving the same again keeps each value's source.
    page = city.get("/facilities/standards/").content.decode()
    assert 'name="street_centre__beds" id="id_street_centre__beds" value="60"' in page
    with django_capture_on_commit_callbacks(execute=True):
        _post(city, **{"street_centre__floor_area_m2": None})
    rules = PolicySection.objects.get(region_id=CITY, section="facilities").data["standards"]["value"]
    assert [r["metric"] for r in rules["street_centre"]] == ["beds", "nursing_bed_share"]


@pytest.mark.parametrize(
    ("extra", "field", "text"),
    [
        ({"street_centre__nursing_bed_share": "120"}, "street_centre__nursing_bed_share", "街道"),
        ({"street_centre__beds": "-1"}, "street_centre__beds", "0"),
        ({"ratio__self_care": None}, "ratio__self_care", "自理"),
        ({"ratio__disabled": "0"}, "ratio__disabled", "失能"),
        ({"staffing_applies_to": None}, "staffing_applies_to", "适用"),
        ({"street_centre__beds": "many"}, "street_centre__beds", "数"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(city, extra, field, text):
    before = PolicySection.objects.filter(region_id=CITY, section="facilities").first()
    before = before.data if before else None
    resp = _post(city, **extra)
    assert resp.status_code == 200
    error = resp.content.decode().split(f'data-error-for="{field}">')[1].split("</div>")[0]
    assert text in error, error
    after = PolicySection.objects.filter(region_id=CITY, section="facilities").first()
    assert (after.data if after else None) == before


def test_a_district_may_not_set_the_standards(city):
    district = Client()
    district.force_login(make_staff("lc", "district_officer", LUCHENG))
    assert district.get("/facilities/standards/").status_code == 403
    assert 'data-testid="settings-standards"' not in district.get("/").content.decode()


def test_the_bureau_finds_its_settings_pages_on_the_inbox(city):
    inbox = city.get("/").content.decode()
    for page in ("/subsidies/schemes/", "/visits/catalogue/", "/visits/rule/", "/facilities/standards/"):
        assert f'href="{page}"' in inbox
    assert 'href="/facilities/standards/"' in city.get("/facilities/").content.decode()
