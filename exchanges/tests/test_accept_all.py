"""Accepting a whole death or household list applies its changes together: the same number of
queries whatever the list's length, with the rules, messages and consequences of a change made one
row at a time."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext as _

from core.periods import period_of
from elders.models import Elder
from exchanges.models import Exchange, ExchangeRow
from exchanges.services import accept_all, review_row
from services.models import VisitStatus
from services.services import note_target_group
from subsidies.models import Entitlement, Payment, Scheme
from tests.factories import SONGTAI, ElderFactory, first_village_of

from .helpers import csv_bytes, days_ago, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def street(staff):
    return staff["street_officer"]  # 五马街道


def fresh(user):
    """The account as a new request loads it: no permissions or scope cached from an earlier call."""
    return get_user_model().objects.get(pk=user.pk)


def death_list(user, elders, died: date) -> Exchange:
    rows = [[e.id_number, e.name, died.isoformat(), "公安"] for e in elders]
    resp = send(user, "deaths", csv_bytes("deaths", rows), name="deaths.csv")
    assert resp.status_code == 201, resp.content
    exchange = Exchange.objects.get(pk=resp.json()["id"])
    assert exchange.proposed == len(elders)
    return exchange


def accepted_with_queries(user, n: int, first_born: date) -> int:
    elders = [ElderFactory(born=first_born + timedelta(days=i)) for i in range(n)]
    exchange = death_list(user, elders, days_ago(10))
    with CaptureQueriesContext(connection) as queries:
        result = accept_all(acting_user=fresh(user), exchange=exchange)
    assert result == {"accepted": n, "failed": 0}
    assert Elder.objects.filter(pk__in=[e.pk for e in elders], status="deceased").count() == n
    return len(queries)


def test_accepting_a_death_list_takes_as_many_queries_for_thirty_rows_as_for_three(street):
    accepted_with_queries(street, 1, date(1939, 1, 1))  # the city's policy settings, read once and kept
    three = accepted_with_queries(street, 3, date(1940, 1, 1))
    thirty = accepted_with_queries(street, 30, date(1941, 1, 1))
    assert thirty == three
    assert three <= 25  # about 25 per row before


def test_an_accepted_death_list_records_the_death_with_history_visit_status_and_the_next_roll(street):
    from subsidies.disbursement import run_disbursement

    scheme = Scheme.objects.create(
        code="TEST-DIBAO-CARE",
        name="低保老人护理补贴",
        region_id="330300000000",
        legal_basis="测试",
        effective_from=date(2020, 1, 1),
        beneficiary="elder",
        frequency="monthly",
        payment_form="cash",
        eligibility={"fact": "economic_status", "op": "eq", "value": "dibao"},
        amount_rule={"kind": "fixed", "amount": "100"},
        application_needed=True,
        active=True,
    )
    elder = ElderFactory(economic_status="dibao", name="王大爷", born=date(1938, 2, 3))
    other = ElderFactory(name="李奶奶", female=True)
    Entitlement.objects.create(
        elder=elder, scheme=scheme, first_period=period_of(days_ago(100)), amount=Decimal("100")
    )
    note_target_group(elder)
    died = days_ago(40)
    run_disbursement(period=period_of(died))  # the roll of the month of death, paid before the list came
    exchange = death_list(street, [elder, other], died)

    assert accept_all(acting_user=fresh(street), exchange=exchange, comment="核实无误") == {
        "accepted": 2,
        "failed": 0,
    }
    elder.refresh_from_db()
    assert (elder.status, elder.status_date, elder.death_date) == ("deceased", died, died)
    latest = elder.history.order_by("-history_date", "-history_id").first()
    assert latest.history_change_reason == "据 市公安局 2026-11 名单"
    assert (latest.history_user_id, latest.history_type, latest.death_date) == (street.pk, "~", died)
    assert elder.history.count() == 2  # the registration, then the death
    assert VisitStatus.objects.get(elder=elder).in_target_group is False  # no visits are due any more
    row = ExchangeRow.objects.get(exchange=exchange, elder=elder)
    assert (row.decision, row.decided_by_id, row.comment, row.apply_error) == (
        "accepted",
        street.pk,
        "核实无误",
        "",
    )
    exchange.refresh_from_db()
    assert (exchange.accepted, exchange.status) == (2, "closed")

    run_disbursement(period=period_of(timezone.localdate()))
    paid = set(Payment.objects.filter(entitlement__elder=elder).values_list("period", flat=True))
    assert paid and max(paid) == period_of(died)  # the month of death is paid, nothing after it
    entitlement = Entitlement.objects.get(elder=elder)
    assert (entitlement.status, entitlement.last_period) == ("stopped", period_of(died))


def test_a_file_moved_out_of_the_reviewers_region_stays_pending_with_the_row_paths_reason(street):
    gone, staying = ElderFactory(name="赵大爷"), ElderFactory(name="钱奶奶", female=True)
    exchange = death_list(street, [gone, staying], days_ago(3))
    Elder.objects.filter(pk=gone.pk).update(residence_id=first_village_of(SONGTAI[:9]))  # kept by 松台 now

    assert accept_all(acting_user=fresh(street), exchange=exchange) == {"accepted": 1, "failed": 1}
    row = ExchangeRow.objects.get(exchange=exchange, elder=gone)
    assert (row.decision, row.apply_error) == ("pending", _("You may not change elders' files."))
    gone.refresh_from_db()
    staying.refresh_from_db()
    assert (gone.status, staying.status) == ("registered", "deceased")
    with pytest.raises(ValidationError) as refused:  # the same reason as accepting the row alone
        review_row(acting_user=fresh(street), row=row, decision="accepted")
    assert refused.value.messages == [row.apply_error]
