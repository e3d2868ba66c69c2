"""Write operations of the services app: each one transaction, checking permission and scope."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from elders.models import Elder
from regions.scope import in_scope

from . import rules
from .choices import FollowUpStatus
from .models import FollowUp, Visit
from .policy import visit_settings


@transaction.atomic
def record_visit(
    *,
    acting_user,
    elder: Elder,
    visited_at: datetime,
    method: str,
    outcome: str,
    problems: list[str] | None = None,
    notes: str = "",
) -> Visit:
    """Record a visit; each problem found opens a follow-up for the street."""
    if not acting_user.has_perm("services.add_visit"):
        raise PermissionDenied(_("You may not record visits."))
    if not in_scope(acting_user, elder.residence_id):
        raise PermissionDenied(_("This elder is outside your region of responsibility."))
    problems = list(dict.fromkeys(problems or []))
    if timezone.is_naive(visited_at):
        visited_at = timezone.make_aware(visited_at)
    errors = rules.visit_errors(
        visit_day=timezone.localtime(visited_at).date(),
        today=timezone.localdate(),
        registered_on=elder.registered_on,
        death_date=elder.death_date,
        outcome=outcome,
        problems=problems,
    )
    if errors:
        raise ValidationError(errors)
    visit = Visit(
        elder=elder,
        visitor=acting_user,
        visited_at=visited_at,
        method=method,
        outcome=outcome,
        problems=problems,
        notes=notes,
    )
    visit.full_clean()
    visit._history_user = acting_user
    visit.save()
    if problems:
        due = timezone.localtime(visited_at).date() + timedelta(
            days=visit_settings(elder.residence_id).follow_up_days
        )
        FollowUp.objects.bulk_create(
            [FollowUp(visit=visit, elder=elder, problem=p, due_on=due) for p in problems]
        )
    return visit


@transaction.atomic
def close_follow_up(*, acting_user, follow_up: FollowUp, resolution: str) -> FollowUp:
    if not acting_user.has_perm("services.change_followup"):
        raise PermissionDenied(_("You may not close follow-ups."))
    follow_up = FollowUp.objects.select_for_update().select_related("elder").get(pk=follow_up.pk)
    if not in_scope(acting_user, follow_up.elder.residence_id):
        raise PermissionDenied(_("This elder is outside your region of responsibility."))
    if follow_up.status == FollowUpStatus.CLOSED:
        raise ValidationError(_("This follow-up is already closed."))
    if not resolution.strip():
        raise ValidationError({"resolution": _("Say what was done.")})
    follow_up.status = FollowUpStatus.CLOSED
    follow_up.resolution = resolution.strip()
    follow_up.closed_at = timezone.now()
    follow_up.closed_by = acting_user
    follow_up._history_user = acting_user
    follow_up.save()
    return follow_up
