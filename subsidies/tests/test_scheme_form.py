"""The bureau's scheme form: the condition's boxes give the same condition data, the preview
counts who would qualify, activation is refused while an amount is empty (on its box), and bad
input is refused with a Chinese message naming the field, writing nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from conditions import structured
from policies.services import load_policy_pack
from subsidies.models import Scheme
from subsidies.services import update_scheme
from tests.factories import CITY, LONGWAN, WUMA_GULOU, ElderFactory, first_village_of, make_staff

pytestmark = pytest.mark.django_db

WZ_FREE = {
    "all": [
        {"fact": "hukou", "op": "under", "value": "3303"},
        {
            "any": [
                {"fact": "economic_status", "op": "in", "value": ["extreme_poverty", "dibao"]},
                {"fact": "categories", "op": "has_any", "value": ["alone", "empty_nest"]},
                {"fact": "ability_grade", "op": "in", "value": [3, 4]},
            ]
        },
    ]
}


@pytest.mark.parametrize(
    "cond",
    [
        WZ_FREE,
        {"fact": "age", "op": "gte", "value": 80},
        {"all": [{"fact": "age", "op": "gte", "value": 60}, {"fact": "age", "op": "lte", "value": 79}]},
        {
            "any": [
                {"fact": "age", "op": "between", "value": [80, 89]},
                {"fact": "living_arrangement", "op": "in", "value": ["alone"]},
            ]
        },
    ],
)
def test_the_boxes_give_back_the_same_condition(cond):
    assert structured.compose(structured.decompose(cond)) == cond


def test_a_shape_the_boxes_cannot_hold_is_left_to_the_data_editor():
    assert structured.decompose({"not": {"fact": "age", "op": "gte", "value": 80}}) is None
    assert structured.decompose({"fact": "economic_status", "op": "not_in", "value": ["dibao"]}) is None
    assert structured.decompose({"fact": "hukou", "op": "is_null", "value": True}) is None


@pytest.fixture
def wz(wenzhou):
    load_policy_pack(name="wenzhou", region_code="3303")
    city = make_staff("wz-city", "city_admin", CITY)
    client = Client()
    client.force_login(city)
    return city, client, Scheme.objects.get(code="WZ-FREE-HOME-CARE")


def _post(client, scheme, **extra):
    data = {
        "all__hukou": "330300000000",
        "any__economic_status": ["extreme_poverty", "dibao"],
        "any__age__min": "80",
        "amount": "",
        "review_levels": ["street", "district"],
        "notice_days": "7",
        "action": "save",
    }
    data.update(extra)
    return client.post(f"/subsidies/schemes/{scheme.pk}/", {k: v for k, v in data.items() if v is not None})


def test_the_page_shows_the_packs_condition_in_boxes(wz):
    _city, client, scheme = wz
    page = client.get(f"/subsidies/schemes/{scheme.pk}/").content.decode()
    assert 'name="any__economic_status" value="dibao" id="id_any__economic_status_1" checked' in page
    assert 'name="raw_condition"' not in page  # the boxes, not the data, are in use
    advanced = client.get(f"/subsidies/schemes/{scheme.pk}/?advanced=1").content.decode()
    assert 'name="raw_condition"' in advanced and "extreme_poverty" in advanced
    assert "['" not in page and "extreme_poverty</" not in page  # labels, never code values


def test_activation_is_refused_while_an_amount_is_empty_on_its_box(wz):
    _city, client, scheme = wz
    before = Scheme.objects.get(pk=scheme.pk)
    resp = _post(client, scheme, active="on")
    body = resp.content.decode()
    assert resp.status_code == 200
    assert "激活前须填写此金额" in body.split('data-error-for="amount">')[1].split("<")[0]
    assert 'data-error-for="active"' in body
    after = Scheme.objects.get(pk=scheme.pk)
    assert (after.active, after.eligibility, after.notice_days) == (
        False,
        before.eligibility,
        before.notice_days,
    )

    resp = _post(client, scheme, active="on", amount="300")
    assert resp.status_code == 302
    scheme.refresh_from_db()
    assert scheme.active and scheme.amount_rule["amount"] == "300"
    assert scheme.notice_days == 7 and scheme.review_levels == ["street", "district"]
    assert scheme.eligibility == {
        "all": [
            {"fact": "hukou", "op": "under", "value": "3303"},
            {
                "any": [  # the pack's own test first, the added one after it
                    {"fact": "economic_status", "op": "in", "value": ["extreme_poverty", "dibao"]},
                    {"fact": "age", "op": "gte", "value": 80},
                ]
            },
        ]
    }
    assert scheme.history.first().history_user.username == "wz-city"


@pytest.mark.parametrize(
    ("extra", "field", "text"),
    [
        ({"amount": "-5"}, "amount", "0"),
        ({"amount": "abc"}, "amount", "数"),
        ({"notice_days": "400"}, "notice_days", "60"),
        ({"review_levels": None}, "review_levels", "审核层级"),
        ({"any__age__min": "90", "any__age__max": "80"}, "any__age__max", "下限"),
        ({"advanced": "on", "raw_condition": "{oops"}, "raw_condition", "JSON"),
        (
            {"advanced": "on", "raw_condition": '{"fact": "facility_beds", "op": "gte", "value": 3}'},
            "raw_condition",
            "床位",
        ),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(wz, extra, field, text):
    _city, client, scheme = wz
    before = Scheme.objects.get(pk=scheme.pk)
    resp = _post(client, scheme, **extra)
    assert resp.status_code == 200
    error = resp.content.decode().split(f'data-error-for="{field}">')[1].split("</div>")[0]
    assert text in error, error
    after = Scheme.objects.get(pk=scheme.pk)
    assert (after.eligibility, after.amount_rule, after.notice_days, after.review_levels) == (
        before.eligibility,
        before.amount_rule,
        before.notice_days,
        before.review_levels,
    )


def _born(age: int) -> date:
    today = timezone.localdate()
    return (
        date(today.year - age, 1, 1) if today >= date(today.year, 1, 2) else date(today.year - age - 1, 1, 1)
    )


def test_the_preview_counts_who_would_qualify_and_saves_nothing(wz):
    _city, client, scheme = wz
    for age in (85, 86, 70):
        ElderFactory(residence_id=WUMA_GULOU, hukou_region_id=WUMA_GULOU, born=_born(age))
    ElderFactory(residence_id=first_village_of(LONGWAN[:6]), hukou_region_id=WUMA_GULOU, born=_born(90))
    before = Scheme.objects.get(pk=scheme.pk).eligibility
    resp = _post(client, scheme, action="preview", **{"any__economic_status": []})
    preview = resp.content.decode().split('data-testid="preview">')[1].split("</div>")[0]
    assert "3 人" in preview, preview  # 80+ with a Wenzhou hukou: the three of 85, 86 and 90
    assert Scheme.objects.get(pk=scheme.pk).eligibility == before


def test_a_district_changes_no_city_scheme(wz):
    _city, _client, scheme = wz
    from tests.factories import LUCHENG

    district = make_staff("lc", "district_officer", LUCHENG)
    client = Client()
    client.force_login(district)
    assert client.get(f"/subsidies/schemes/{scheme.pk}/").status_code in (403, 404)
    with pytest.raises((PermissionDenied, ValidationError)):
        update_scheme(
            scheme=scheme,
            acting_user=district,
            eligibility=scheme.eligibility,
            amount_rule=scheme.amount_rule,
            review_levels=["street"],
            notice_days=None,
            active=False,
        )
