"""Checklists are pack data: the national GB 38600-2019 baseline plus each city's own items."""

import pytest
from django.core.exceptions import ValidationError

from facilities.models import Facility
from policies.services import load_policy_pack
from supervision.models import ChecklistItem
from supervision.policy import parse, supervision_rules
from supervision.selectors import checklists_for_facility, checklists_for_service, items_of
from tests.factories import WUMA_GULOU

pytestmark = pytest.mark.django_db

NINE_RISKS = {
    "choking",
    "food_drug",
    "pressure_sore",
    "scald",
    "bed_fall",
    "fall",
    "wandering",
    "harm",
    "activity",
}


@pytest.fixture
def packs(wenzhou):
    load_policy_pack(name="national")
    load_policy_pack(name="wenzhou")


def test_the_national_baseline_covers_the_nine_risks_and_each_item_names_its_clause(packs):
    items = ChecklistItem.objects.filter(checklist__code="GB38600-INST")
    assert {i.risk for i in items if i.risk} == NINE_RISKS
    assert {i.area for i in items} == {"risk_assessment", "prevention", "management"}
    for item in items:
        assert item.standard == "GB 38600-2019" and item.clause
        assert item.source["basis"] == "reading" and "GB 38600-2019" in item.source["note"]


def test_a_wenzhou_station_gets_the_national_and_the_city_items(packs):
    station = Facility.objects.create(
        name="鼓楼居家养老服务站", kind="station", ownership="public", region_id=WUMA_GULOU
    )
    codes = {c.code for c in checklists_for_facility(station)}
    assert codes == {"GB38600-HOME", "WZ-SUP"}
    wz = ChecklistItem.objects.get(code="WZ-17-TALK")
    assert wz.clause == "三(五)17" and wz.source["document"] == "wenzhou-2023"
    assert wz.text in wz.source["quote"]  # the item is the document's words
    home = Facility.objects.create(
        name="鹿城养老院", kind="nursing_home", ownership="private", region_id=WUMA_GULOU
    )
    assert {c.code for c in checklists_for_facility(home)} == {"GB38600-INST"}
    assert items_of(checklists_for_facility(home)).count() == 18


def test_a_city_checklist_stays_in_its_city(packs):
    assert {c.code for c in checklists_for_service("bath", "330302006044")} == {"GB38600-HOME", "WZ-SUP"}
    assert {c.code for c in checklists_for_service("bath", "410100000000")} == {"GB38600-HOME"}


def test_the_rules_come_from_the_national_pack_when_the_city_sets_none(packs):
    rules = supervision_rules(WUMA_GULOU)
    assert rules.rectification_days == 15 and rules.order_severities == ("serious",)
    assert rules.blacklist_after_warnings == 2


def test_reloading_keeps_items_and_a_bad_checklist_is_refused_with_its_place(packs):
    before = ChecklistItem.objects.get(code="GB38600-P-FALL").pk
    load_policy_pack(name="national")
    assert ChecklistItem.objects.get(code="GB38600-P-FALL").pk == before
    bad = {
        "checklists": {
            "value": [{"code": "X", "title": "x", "facility_kinds": ["castle"], "items": []}],
            "source": {},
        }
    }
    with pytest.raises(ValidationError, match=r"checklists\[X\]\.facility_kinds"):
        parse(bad)


@pytest.mark.parametrize("pack", ["national", "wenzhou", "nanyang", "dongguan", "jilin", "xianning"])
def test_every_pack_supervision_section_parses_and_city_items_quote_their_document(pack):
    import yaml

    from policies.documents import PACKS_DIR

    parsed = parse(yaml.safe_load((PACKS_DIR / pack / "supervision.yaml").read_text(encoding="utf-8")))
    assert parsed.checklists
    for checklist in parsed.checklists:
        for item in checklist["items"]:
            assert ("basis" in item["source"]) == (pack == "national")
