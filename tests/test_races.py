"""Races with real concurrent requests to the live server (PostgreSQL: row locks, unique indexes).

Each test fires its requests at the same moment from several threads; the live server answers
each on its own thread and database connection.
"""

import uuid
from datetime import date

import pytest
from django.db import connection
from django.utils import timezone

from elders.models import Elder
from elders.rules import make_id_number
from facilities.models import Residency
from facilities.tests.helpers import make_facility
from services.models import ProviderStaff, Visit
from services.tests.factories import make_provider
from tests.concurrency import api_token, at_once, call
from tests.factories import WUMA_GULOU, ElderFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="races need PostgreSQL's concurrent writers"
    ),
    pytest.mark.django_db(transaction=True),
]
TRIES = 8


def test_the_same_visit_sent_eight_times_at_once_is_one_visit(live_server, staff):
    elder = ElderFactory()
    token = api_token(staff["community_worker"])
    key = str(uuid.uuid4())
    body = {
        "elder": elder.pk,
        "visited_at": timezone.now().isoformat(),
        "method": "home",
        "outcome": "normal",
    }
    answers = at_once(
        [
            lambda: call(live_server.url, token, "POST", "/api/v1/visits/", body, {"Idempotency-Key": key})
            for _ in range(TRIES)
        ]
    )
    assert {a.status for a in answers} == {201}, [a.body for a in answers]
    assert len({a.body["id"] for a in answers}) == 1
    assert Visit.objects.filter(elder=elder).count() == 1


def test_two_registrations_of_one_id_number_give_one_file_and_a_400(live_server, staff):
    tokens = [api_token(staff["community_worker"]), api_token(staff["street_officer"])]
    body = {
        "id_number": make_id_number("330302", date(1942, 9, 9), 77),
        "name": "林阿婆",
        "residence": WUMA_GULOU,
        "living_arrangement": "alone",
        "economic_status": "ordinary",
    }
    answers = at_once(
        [lambda t=t: call(live_server.url, t, "POST", "/api/v1/elders/", body) for t in tokens * (TRIES // 2)]
    )
    statuses = sorted(a.status for a in answers)
    assert statuses == [201] + [400] * (TRIES - 1), [a.body for a in answers]
    for refused in (a for a in answers if a.status == 400):
        assert list(refused.body) == ["id_number"]
    assert Elder.objects.filter(id_number=body["id_number"]).count() == 1


def test_two_discharges_of_one_residency_one_applies_the_other_is_a_clear_400(live_server, staff):
    provider = make_provider()
    ProviderStaff.objects.create(user=staff["provider_staff"], provider=provider)
    centre = make_facility(operator=provider)
    elder = ElderFactory(living_arrangement="alone")
    token = api_token(staff["provider_staff"])
    admitted = call(
        live_server.url,
        token,
        "POST",
        "/api/v1/residencies/",
        {"facility": centre.pk, "elder": elder.pk, "admitted_on": timezone.localdate().isoformat()},
    )
    assert admitted.status == 201, admitted.body
    path = f"/api/v1/residencies/{admitted.body['id']}/discharge/"
    reasons = ["home", "death"] * (TRIES // 2)
    answers = at_once(
        [
            lambda r=r: call(
                live_server.url,
                token,
                "POST",
                path,
                {"discharged_on": timezone.localdate().isoformat(), "reason": r},
            )
            for r in reasons
        ]
    )
    assert sorted(a.status for a in answers) == [200] + [400] * (TRIES - 1), [a.body for a in answers]
    refused = next(a for a in answers if a.status == 400)
    assert refused.body == {"non_field_errors": ["该入住记录已结束。"]}
    winner = next(a for a in answers if a.status == 200).body
    residency = Residency.objects.get(pk=admitted.body["id"])
    assert residency.discharge_reason == winner["discharge_reason"]
    elder.refresh_from_db()
    # Exactly the winner's consequence reached the registry, not a mix of both.
    assert (elder.status == "deceased") == (winner["discharge_reason"] == "death")
