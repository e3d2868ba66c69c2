"""The bureau's visit rule page: whom to visit in boxes (自理/半失能/失能 included), which visits
count, the target and the follow-up days, written as the region's own visits section with the
changed values sourced as the bureau's; bad input names the field and writes nothing."""

import pytest
from django.test import Client

from policies.models import PolicySection
from policies.services import load_policy_pack
from services.policy import visit_settings
from tests.factories import CITY, LUCHENG, make_staff

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
        "any__categories": ["alone", "empty_nest"],
        "any__self_care": ["disabled"],
        "counted_methods": ["home", "phone"],
        "counted_outcomes": ["normal", "problem"],
        "target_rate": "95",
        "follow_up_days": "5",
    }
    data.update(extra)
    return client.post("/visits/rule/", {k: v for k, v in data.items() if v is not None})


def test_the_pack_rule_is_shown_in_boxes_and_saved_with_the_bureaus_source(city):
    page = city.get("/visits/rule/").content.decode()
    assert 'value="disabled" id="id_any__self_care_2" checked' in page
    assert 'name="raw_condition"' not in page
    assert _post(city).status_code == 302
    row = PolicySection.objects.get(region_id=CITY, section="visits")
    assert row.data["follow_up_days"]["value"] == 5
    assert row.data["follow_up_days"]["source"]["basis"] == "reading"
    assert "wz-city" in row.data["follow_up_days"]["source"]["note"]
    # An unchanged value keeps its document's clause.
    assert row.data["frequency"]["source"]["document"] == "wenzhou-2023"
    settings = visit_settings(LUCHENG)
    assert (settings.target_rate, settings.follow_up_days, settings.counted_methods) == (
        95,
        5,
        ("home", "phone"),
    )
    assert settings.target_group["any"][0] == {
        "fact": "categories",
        "op": "has_any",
        "value": ["alone", "empty_nest"],
    }


@pytest.mark.parametrize(
    ("extra", "field", "text"),
    [
        ({"counted_methods": None}, "counted_methods", "探访方式"),
        ({"target_rate": "0"}, "target_rate", "1"),
        ({"follow_up_days": "x"}, "follow_up_days", "整数"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(city, extra, field, text):
    before = PolicySection.objects.get(region_id=CITY, section="visits").data
    resp = _post(city, **extra)
    assert resp.status_code == 200
    error = resp.content.decode().split(f'data-error-for="{field}">')[1].split("</div>")[0]
    assert text in error, error
    assert PolicySection.objects.get(region_id=CITY, section="visits").data == before


def test_no_target_group_is_refused(city):
    resp = _post(city, **{"any__categories": None, "any__self_care": None})
    assert "至少设置一项条件" in resp.content.decode()


def test_a_district_may_not_set_the_rule(city, wenzhou):
    district = Client()
    district.force_login(make_staff("lc", "district_officer", LUCHENG))
    assert district.get("/visits/rule/").status_code == 403
