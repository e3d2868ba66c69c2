"""Emergency calls: assigned with the pack's deadline, answered, or escalated when unanswered."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from homecare.calls import answer_call, escalate_overdue, take_call
from homecare.choices import CallStatus
from homecare.models import Duty
from homecare.tasks import escalate_calls


def test_call_goes_to_the_provider_on_duty_with_the_pack_deadline(ny):
    now = timezone.now()
    Duty.objects.create(
        region_id=ny["town"],
        provider=ny["provider"],
        starts_at=now - timedelta(hours=8),
        ends_at=now + timedelta(hours=8),
    )
    call = take_call(
        acting_user=ny["worker"],
        elder=ny["elder"],
        time=now - timedelta(minutes=2),
        kind="fall",
        channel="hotline",
    )
    assert call.assigned_provider == ny["provider"] and call.assigned_region_id == ny["village"].code
    assert call.deadline == call.time + timedelta(minutes=30)  # homecare.yaml response_minutes
    with pytest.raises(PermissionDenied):
        answer_call(acting_user=_outsider(), call=call, outcome="x")
    answer_call(acting_user=ny["staff"], call=call, outcome="上门查看，老人无大碍")
    call.refresh_from_db()
    assert call.status == CallStatus.ANSWERED and call.responder == ny["staff"]
    assert escalate_overdue(now=now + timedelta(hours=2)) == 0


def _outsider():
    from tests.factories import make_staff

    return make_staff("far-away", "community_worker", "330302006044")


def test_unanswered_call_escalates_to_the_street(ny):
    called = timezone.now() - timedelta(minutes=45)
    call = take_call(acting_user=ny["worker"], elder=ny["elder"], time=called, kind="health")
    assert call.assigned_provider is None  # no provider on duty: the community answers
    answered_in_time = take_call(
        acting_user=ny["worker"], elder=ny["elder"], time=timezone.now() - timedelta(minutes=5), kind="help"
    )
    assert escalate_calls() == 1  # the beat task: past its 30 minutes, only the first
    call.refresh_from_db()
    answered_in_time.refresh_from_db()
    assert call.status == CallStatus.ESCALATED and call.escalated_to_id == ny["town"]
    assert answered_in_time.status == CallStatus.OPEN
    assert escalate_calls() == 0  # escalated once
    answer_call(acting_user=ny["street"], call=call, outcome="街道联系家属送医")
    call.refresh_from_db()
    assert call.status == CallStatus.ANSWERED
