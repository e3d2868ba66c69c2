"""Automatic enrolment (免申即享), stops for lost eligibility, and the gap reports."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from core.periods import next_period
from subsidies.models import Entitlement, Scheme
from subsidies.services import enrol_and_stop
from tests.factories import ElderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def high_age(jl):
    # The bureau sets the amounts 咸宁's document leaves open, and activates the scheme for 吉林's test city.
    Scheme.objects.create(
        code="TEST-HIGH-AGE",
        name="高龄津贴",
        region=None,
        legal_basis="测试",
        effective_from=date(2020, 1, 1),
        beneficiary="elder",
        frequency="monthly",
        payment_form="cash",
        eligibility={"fact": "age", "op": "gte", "value": 80},
        amount_rule={
            "kind": "by_age_band",
            "bands": [{"min": 80, "max": 89, "amount": "50"}, {"min": 90, "max": None, "amount": "100"}],
        },
        application_needed=False,
        active=True,
    )
    return jl


def born(age: int, days_after_birthday: int = 1) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - age) - timezone.timedelta(days=days_after_birthday)


def test_turning_80_enrols_automatically_with_the_band_amount(high_age):
    village = high_age["village"].code
    eighty = ElderFactory(residence_id=village, born=born(80))
    ninety = ElderFactory(residence_id=village, born=born(93))
    ElderFactory(residence_id=village, born=born(79, days_after_birthday=30))
    result = enrol_and_stop(on=timezone.localdate())
    assert result["enrolled"] == 2
    rows = {e.elder_id: e for e in Entitlement.objects.all()}
    assert rows[eighty.pk].amount == Decimal("50.00") and rows[ninety.pk].amount == Decimal("100.00")
    assert rows[eighty.pk].first_period == next_period(timezone.localdate())
    assert enrol_and_stop(on=timezone.localdate())["enrolled"] == 0


def test_lost_eligibility_stops_and_gap_reports(high_age):
    jl = high_age
    village = jl["village"].code
    elder = ElderFactory(residence_id=village, economic_status="dibao", living_arrangement="institution")
    scheme = Scheme.objects.get(code="JL-INSTITUTION-STAY")
    c = APIClient()
    c.force_authenticate(jl["street"])
    unclaimed = c.get("/api/v1/subsidy-gaps/?scheme=JL-INSTITUTION-STAY&kind=unclaimed").json()["results"]
    assert [r["elder"] for r in unclaimed] == [elder.pk]
    Entitlement.objects.create(elder=elder, scheme=scheme, first_period="2026-01", amount=Decimal("100.00"))
    assert c.get("/api/v1/subsidy-gaps/?scheme=JL-INSTITUTION-STAY&kind=unclaimed").json()["count"] == 0
    elder.economic_status = "ordinary"
    elder.save()
    ineligible = c.get("/api/v1/subsidy-gaps/?scheme=JL-INSTITUTION-STAY&kind=ineligible").json()["results"]
    assert [r["elder"] for r in ineligible] == [elder.pk]
    assert enrol_and_stop(on=timezone.localdate())["stopped"] == 1
    stopped = Entitlement.objects.get(elder=elder, scheme=scheme)
    assert (stopped.status, stopped.stop_reason, stopped.stopped_on) == (
        "stopped",
        "ineligible",
        timezone.localdate(),
    )
