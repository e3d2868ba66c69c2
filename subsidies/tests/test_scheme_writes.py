"""A scheme's amounts and activation are set through subsidies.services.save_scheme (the admin
writes through it): a scheme whose document leaves an amount open cannot be activated."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from policies.services import load_policy_pack
from subsidies import rules
from subsidies.models import Scheme
from subsidies.services import save_scheme
from tests.factories import CITY, make_staff

pytestmark = pytest.mark.django_db


def test_the_open_amounts_of_each_rule_kind_are_named():
    assert rules.missing_amounts({"kind": "fixed", "amount": None}) == ["amount"]
    assert rules.missing_amounts({"kind": "fixed", "amount": "100"}) == []
    bands = {
        "kind": "by_age_band",
        "bands": [{"min": 80, "max": 89, "amount": 50}, {"min": 90, "amount": None}],
    }
    assert rules.missing_amounts(bands) == ["bands[1].amount"]
    assert rules.missing_amounts({"kind": "by_grade", "amounts": {"3": 200, "4": None}}) == ["amounts.4"]
    assert rules.missing_amounts({"kind": "parameter_multiple", "parameter": "dibao", "multiple": None}) == [
        "multiple"
    ]
    # Only a rule with no amount at all cannot be activated; one with some set pays those.
    assert rules.gives_no_amount({"kind": "fixed", "amount": None})
    assert rules.gives_no_amount(bands) is False


def test_activating_a_scheme_with_an_open_amount_is_refused_until_the_bureau_sets_it(wenzhou):
    load_policy_pack(name="wenzhou", region_code="3303")
    city = make_staff("wz-city", "city_admin", CITY)
    scheme = Scheme.objects.get(code="WZ-FREE-HOME-CARE")
    assert not scheme.active and scheme.amount_rule["amount"] is None

    scheme.active = True
    with pytest.raises(ValidationError) as refused:
        save_scheme(scheme=scheme, acting_user=city)
    assert "active" in refused.value.message_dict and "amount" in refused.value.message_dict["active"][0]
    assert not Scheme.objects.get(pk=scheme.pk).active

    scheme.amount_rule = {**scheme.amount_rule, "amount": "300.00"}
    save_scheme(scheme=scheme, acting_user=city)
    assert Scheme.objects.get(pk=scheme.pk).active


def test_a_district_cannot_change_the_citys_scheme(wenzhou):
    load_policy_pack(name="wenzhou", region_code="3303")
    district = make_staff("wz-district", "district_officer", "330302000000")
    scheme = Scheme.objects.get(code="WZ-FREE-HOME-CARE")
    scheme.name = "改名"
    with pytest.raises(PermissionDenied):
        save_scheme(scheme=scheme, acting_user=district)
