"""Emergency calls (一键呼叫 / 12349): taken from the API or a hotline operator's form, assigned
to the provider on duty for the elder's community (else the community itself) with the pack's
response deadline, answered, or escalated to the street when the deadline passes unanswered."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.scope import in_scope
from elders.models import Elder
from regions.rules import candidate_ancestor_codes
from services.services import provider_of

from . import rules
from .choices import CallChannel, CallKind, CallStatus
from .models import Duty, EmergencyCall
from .policy import homecare_settings


def on_duty(region_code: str, at: datetime) -> Duty | None:
    """The duty covering the region at that moment: the nearest region's first."""
    codes = [region_code, *reversed(candidate_ancestor_codes(region_code))]
    rows = list(
        Duty.objects.filter(region_id__in=codes, starts_at__lte=at, ends_at__gt=at).select_related("provider")
    )
    rows.sort(key=lambda d: codes.index(d.region_id))
    return rows[0] if rows else None


@transaction.atomic
def take_call(
    *, acting_user, elder: Elder, time: datetime, kind: str, channel: str = CallChannel.API, notes: str = ""
) -> EmergencyCall:
    if not acting_user.has_perm("homecare.add_emergencycall"):
        raise PermissionDenied(_("You may not record emergency calls."))
    if not in_scope(acting_user, elder.residence_id):
        raise PermissionDenied(_("This elder is outside your region of responsibility."))
    if timezone.is_naive(time):
        time = timezone.make_aware(time)
    errors = {}
    if kind not in CallKind.values:
        errors["kind"] = _("Unknown kind of call.")
    if channel not in CallChannel.values:
        errors["channel"] = _("Unknown channel.")
    if time > timezone.now() + timezone.timedelta(minutes=5):
        errors["time"] = _("A call cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    if EmergencyCall.objects.filter(elder=elder, time=time, kind=kind).exists():
        raise ValidationError(_("This call is already recorded."))
    duty = on_duty(elder.residence_id, time)
    minutes = homecare_settings(elder.residence_id).response_minutes
    call = EmergencyCall(
        elder=elder,
        time=time,
        kind=kind,
        channel=channel,
        notes=notes,
        assigned_region_id=elder.residence_id,
        assigned_provider=duty.provider if duty else None,
        deadline=rules.response_deadline(time, minutes),
        recorded_by=acting_user,
    )
    call.full_clean()
    call.save()
    return call


@transaction.atomic
def answer_call(
    *, acting_user, call: EmergencyCall, outcome: str, at: datetime | None = None
) -> EmergencyCall:
    """Who responded, when, with what outcome: the community's staff, the street's after an
    escalation, or the staff of the provider on duty."""
    if not acting_user.has_perm("homecare.change_emergencycall"):
        raise PermissionDenied(_("You may not answer emergency calls."))
    call = EmergencyCall.objects.select_for_update().select_related("elder").get(pk=call.pk)
    own = provider_of(acting_user)
    if own is not None:
        if own.pk != call.assigned_provider_id:
            raise PermissionDenied(_("This call is not assigned to your provider."))
    elif not in_scope(acting_user, call.elder.residence_id):
        raise PermissionDenied(_("This elder is outside your region of responsibility."))
    if call.status == CallStatus.ANSWERED:
        raise ValidationError(_("This call is already answered."))
    if not (outcome or "").strip():
        raise ValidationError({"outcome": _("Say what was done.")})
    call.status = CallStatus.ANSWERED
    call.responded_at = at or timezone.now()
    call.responder = acting_user
    call.outcome = outcome.strip()
    call.save(update_fields=["status", "responded_at", "responder", "outcome"])
    return call


def escalate_overdue(*, now: datetime | None = None) -> int:
    """Open calls past their deadline go up to the street of the elder's community (one UPDATE
    per street, set-based); the street then answers them."""
    now = now or timezone.now()
    overdue = EmergencyCall.objects.filter(status=CallStatus.OPEN, deadline__lt=now)
    done = 0
    with transaction.atomic():
        for community in overdue.values_list("assigned_region_id", flat=True).distinct().order_by():
            town = community[:9].ljust(12, "0")
            done += overdue.filter(Q(assigned_region_id=community)).update(
                status=CallStatus.ESCALATED, escalated_at=now, escalated_to_id=town
            )
    return done
