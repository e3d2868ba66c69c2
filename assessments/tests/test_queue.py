"""The assessors' queue: who may be put on it, and how an assessment takes an elder off it."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from assessments import selectors, services
from assessments.choices import RequestStatus
from assessments.instrument import ITEMS
from assessments.models import AssessmentRequest
from elders.services import change_status
from tests.factories import WUMA, ElderFactory, make_staff

pytestmark = pytest.mark.django_db
FULL = {item.code: item.max_score for item in ITEMS}
TODAY = timezone.localdate()


@pytest.fixture
def team(staff):
    return staff["assessor"], make_staff("assessor2", "assessor", WUMA)


def test_a_deceased_elder_cannot_be_queued(staff, english):
    elder = ElderFactory(status="deceased", death_date=TODAY - timedelta(days=3))
    with pytest.raises(ValidationError, match="deceased elder cannot be queued"):
        services.request_assessment(acting_user=staff["community_worker"], elder=elder, reason="first")
    assert not AssessmentRequest.objects.exists()


def test_an_elder_who_dies_while_waiting_leaves_the_queue(staff):
    elder = ElderFactory()
    services.request_assessment(acting_user=staff["community_worker"], elder=elder, reason="first")
    assert [r.elder for r in selectors.open_requests(staff["assessor"])] == [elder]
    change_status(elder=elder, status="deceased", on=TODAY, acting_user=staff["community_worker"])
    assert list(selectors.open_requests(staff["assessor"])) == []


def test_a_submitted_assessment_takes_the_elder_off_the_queue_with_its_status(staff, team):
    first, second = team
    elder = ElderFactory()
    services.request_assessment(acting_user=staff["community_worker"], elder=elder, reason="first")
    draft = services.create_assessment(
        acting_user=first,
        elder=elder,
        assessed_on=TODAY,
        reason="first",
        items={},
        assessors=[first, second],
        submit=False,
    )
    # A draft keeps the elder waiting: nothing is submitted yet.
    assert [r.elder for r in selectors.open_requests(first)] == [elder]
    submitted = services.update_draft(acting_user=first, assessment=draft, items=FULL, submit=True)
    assert list(selectors.open_requests(first)) == []
    waiting = list(selectors.awaiting_confirmation(second))
    assert [(r.elder, r.assessment) for r in waiting] == [(elder, submitted)]

    # The queue page and the elder's file show the status, not the queue's button.
    c = Client()
    c.force_login(first)
    page = c.get("/assessments/due/").content.decode()
    assert "已评估，待确认" in page and elder.name in page
    worker = Client()
    worker.force_login(staff["community_worker"])
    file = worker.get(f"/elders/{elder.pk}/").content.decode()
    assert 'data-testid="request-status">已评估，待确认<' in file

    # Asking again while it waits for the second signature is refused.
    with pytest.raises(ValidationError):
        services.request_assessment(acting_user=staff["community_worker"], elder=elder, reason="first")

    services.confirm_assessment(acting_user=second, assessment=submitted)
    assert AssessmentRequest.objects.get().status == RequestStatus.DONE
    assert list(selectors.awaiting_confirmation(second)) == []


def test_an_assessment_recorded_without_a_request_waits_on_the_second_assessors_inbox(staff, team):
    first, second = team
    elder = ElderFactory(name="无申请")
    # Opened from the file, with no request: it still waits for the second signature.
    submitted = services.create_assessment(
        acting_user=first,
        elder=elder,
        assessed_on=TODAY,
        reason="immediate",
        items=FULL,
        assessors=[first, second],
        submit=True,
    )
    assert list(selectors.awaiting_my_confirmation(second)) == [submitted]
    assert list(selectors.awaiting_my_confirmation(first)) == []  # not the one who recorded it
    c = Client()
    c.force_login(second)
    assert 'data-testid="count-awaiting_my_confirmation">1<' in c.get("/").content.decode()
    page = c.get("/assessments/due/?mine=1").content.decode()
    assert "无申请" in page and f"/assessments/{submitted.pk}/" in page and "已评估，待确认" in page
    services.confirm_assessment(acting_user=second, assessment=submitted)
    assert list(selectors.awaiting_my_confirmation(second)) == []
