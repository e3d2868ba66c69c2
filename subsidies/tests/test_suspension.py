"""Suspension: a home-care subsidy is not paid while the elder lives in an institution, and is paid
again after the return home; the months in between are never paid, not even as arrears."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments.models import RecognisedResult
from core.periods import parse_period
from elders.services import change_status
from subsidies.disbursement import run_disbursement
from subsidies.models import Entitlement, Payment, Scheme, Suspension
from subsidies.services import enrol_and_stop
from subsidies.tests.helpers import api, months_ago
from tests.factories import ElderFactory

pytestmark = pytest.mark.django_db


def day_in(months_back: int, day: int = 10):
    first, _last = parse_period(months_ago(months_back))
    return first + timedelta(days=day - 1)


@pytest.fixture
def home_care(jl):
    """A poor, severely disabled elder living alone, receiving 吉林's home-care subsidy."""
    elder = ElderFactory(residence_id=jl["village"].code, economic_status="dibao", living_arrangement="alone")
    RecognisedResult.objects.create(
        elder=elder,
        source="health",
        assessed_on=timezone.localdate() - timedelta(days=200),
        grade=4,
        valid_until=timezone.localdate() + timedelta(days=300),
        recorded_by=jl["worker"],
    )
    entitlement = Entitlement.objects.create(
        elder=elder,
        scheme=Scheme.objects.get(code="JL-HOME-CARE"),
        first_period=months_ago(3),
        amount=Decimal("100.00"),
    )
    return elder, entitlement


def paid_months(entitlement):
    return sorted(Payment.objects.filter(entitlement=entitlement).values_list("period", flat=True))


def test_suspended_in_an_institution_unpaid_then_resumed_at_home(home_care, jl):
    elder, entitlement = home_care
    elder.living_arrangement = "institution"
    elder.save()
    assert enrol_and_stop(on=day_in(3)) == {"enrolled": 0, "stopped": 0, "suspended": 1, "resumed": 0}
    entitlement.refresh_from_db()
    assert entitlement.status == "suspended"
    suspension = Suspension.objects.get(entitlement=entitlement)
    assert (suspension.from_period, suspension.started_on, suspension.reason) == (
        months_ago(2),
        day_in(3),
        "condition",
    )
    assert suspension.started_by is None  # the daily job
    assert enrol_and_stop(on=day_in(3, 11))["suspended"] == 0  # already suspended: nothing new

    run_disbursement(period=months_ago(2))
    assert paid_months(entitlement) == [months_ago(3)]  # the month of the move is paid, the next is not

    elder.living_arrangement = "alone"
    elder.save()
    assert enrol_and_stop(on=day_in(2))["resumed"] == 1
    entitlement.refresh_from_db()
    suspension.refresh_from_db()
    assert entitlement.status == "active"
    assert (suspension.to_period, suspension.ended_on, suspension.end_reason) == (
        months_ago(2),
        day_in(2),
        "condition_ended",
    )

    run_disbursement(period=months_ago(1))
    assert paid_months(entitlement) == [months_ago(3), months_ago(1)]  # no arrears for the suspended month
    body = api(jl["worker"]).get(f"/api/v1/entitlements/?elder={elder.pk}").json()["results"][0]
    assert body["status"] == "active"
    assert [(s["from_period"], s["to_period"], s["reason"]) for s in body["suspensions"]] == [
        (months_ago(2), months_ago(2), "condition")
    ]


def test_a_suspended_elder_is_not_reported_or_stopped_as_ineligible(home_care, jl):
    elder, entitlement = home_care
    elder.living_arrangement = "institution"
    elder.save()
    enrol_and_stop(on=timezone.localdate())
    rows = api(jl["street"]).get("/api/v1/subsidy-gaps/?scheme=JL-HOME-CARE&kind=ineligible").json()
    assert rows["count"] == 0
    entitlement.refresh_from_db()
    assert entitlement.status == "suspended"
    # Losing 低保 while suspended: stopped once back home, not before.
    elder.economic_status = "ordinary"
    elder.save()
    assert enrol_and_stop(on=timezone.localdate())["stopped"] == 0
    elder.living_arrangement = "alone"
    elder.save()
    result = enrol_and_stop(on=timezone.localdate())
    assert (result["resumed"], result["stopped"]) == (1, 1)
    entitlement.refresh_from_db()
    assert entitlement.status == "stopped"


def test_death_while_suspended_stops_and_closes_the_suspension(home_care, jl):
    elder, entitlement = home_care
    elder.living_arrangement = "institution"
    elder.save()
    enrol_and_stop(on=day_in(3))
    change_status(elder=elder, status="deceased", on=day_in(2, 5), acting_user=jl["street"])
    run_disbursement(period=months_ago(2))
    run_disbursement(period=months_ago(1))
    entitlement.refresh_from_db()
    suspension = Suspension.objects.get(entitlement=entitlement)
    assert (entitlement.status, entitlement.last_period) == ("stopped", months_ago(2))
    assert (suspension.end_reason, suspension.to_period) == ("stopped", months_ago(2))
    assert paid_months(entitlement) == [months_ago(3)]
