"""Write operations of the services app: each one transaction, checking permission and scope."""

from __future__ import annotations

from datetime import date, datetime, timedelta

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
    follow_up_by: date | None = None,
    follow_up_assignee=None,
) -> Visit:
    """Record a visit; each problem found opens a follow-up for the street, due by the date
    given (or the pack's default number of days) and assigned to someone if named."""
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
    if follow_up_by is not None and follow_up_by < timezone.localtime(visited_at).date():
        errors["follow_up_by"] = _("The follow-up date is before the visit.")
    if follow_up_assignee is not None and not in_scope(follow_up_assignee, elder.residence_id):
        errors["follow_up_assignee"] = _(
            "The person named for the follow-up does not cover this elder's region."
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
        due = follow_up_by or (
            timezone.localtime(visited_at).date()
            + timedelta(days=visit_settings(elder.residence_id).follow_up_days)
        )
        FollowUp.objects.bulk_create(
            [
                FollowUp(visit=visit, elder=elder, problem=p, due_on=due, assigned_to=follow_up_assignee)
                for p in problems
            ]
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


# --- providers, caregivers, service records ---------------------------------------------------


def provider_of(user):
    """The provider a provider_staff account works for, or None."""
    from .models import ProviderStaff

    link = ProviderStaff.objects.select_related("provider").filter(user_id=user.pk).first()
    return link.provider if link else None


@transaction.atomic
def record_blacklisting(
    *, acting_user, provider, reason: str, starts_on, ends_on=None, warning_only: bool = False
):
    from .choices import CreditKind
    from .models import CreditRecord

    if not acting_user.has_perm("services.add_creditrecord"):
        raise PermissionDenied(_("You may not record credit events."))
    if not in_scope(acting_user, provider.region_id):
        raise PermissionDenied(_("This provider is outside your region of responsibility."))
    record = CreditRecord(
        provider=provider,
        kind=CreditKind.WARNING if warning_only else CreditKind.BLACKLIST,
        reason=reason,
        starts_on=starts_on,
        ends_on=ends_on,
        recorded_by=acting_user,
    )
    record.full_clean()
    record._history_user = acting_user
    record.save()
    return record


@transaction.atomic
def lift_credit_record(*, acting_user, record, ends_on: date, reason: str = ""):
    """End a warning or blacklisting on a day; the record and its reason stay on file."""
    from .models import CreditRecord

    if not acting_user.has_perm("services.change_creditrecord"):
        raise PermissionDenied(_("You may not change credit records."))
    record = CreditRecord.objects.select_for_update().select_related("provider").get(pk=record.pk)
    if not in_scope(acting_user, record.provider.region_id):
        raise PermissionDenied(_("This provider is outside your region of responsibility."))
    if ends_on < record.starts_on:
        raise ValidationError(
            {"ends_on": _("A record cannot end before it starts (%(d)s).") % {"d": record.starts_on}}
        )
    if record.ends_on is not None and record.ends_on <= ends_on:
        raise ValidationError({"ends_on": _("This record already ended on %(d)s.") % {"d": record.ends_on}})
    record.ends_on = ends_on
    if reason.strip():
        record.reason = f"{record.reason}\n{reason.strip()}"
    record._history_user = acting_user
    record.save(update_fields=["ends_on", "reason"])
    return record


@transaction.atomic
def record_service(
    *,
    acting_user,
    elder: Elder,
    kind: str,
    provider,
    started_at,
    duration_minutes: int,
    funding: str,
    amount,
    item=None,
    caregiver=None,
    notes: str = "",
):
    """Record a delivered service. Provider staff record only their own provider's services;
    a blacklisted provider gets no new records; the same service is not recorded twice."""
    from .models import ServiceRecord
    from .selectors import is_blacklisted

    if not acting_user.has_perm("services.add_servicerecord"):
        raise PermissionDenied(_("You may not record services."))
    if not in_scope(acting_user, elder.residence_id):
        raise PermissionDenied(_("This elder is outside your region of responsibility."))
    own = provider_of(acting_user)
    if own is not None and own.pk != provider.pk:
        raise ValidationError({"provider": _("You record services of your own provider only.")})
    if is_blacklisted(provider, timezone.localtime(started_at).date()):
        raise ValidationError(
            {"provider": _("%(p)s is blacklisted and cannot be given new service records.") % {"p": provider}}
        )
    if caregiver is not None and caregiver.provider_id != provider.pk:
        raise ValidationError({"caregiver": _("This caregiver does not work for %(p)s.") % {"p": provider}})
    if started_at > timezone.now():
        raise ValidationError({"started_at": _("A service cannot start in the future.")})
    if elder.death_date and timezone.localtime(started_at).date() > elder.death_date:
        # A service after death is how falsified records usually show: refuse it outright.
        raise ValidationError(
            {"started_at": _("The service is after the elder's death (%(d)s).") % {"d": elder.death_date}}
        )
    # The unique constraint cannot see duplicates whose item or caregiver is empty (NULLs differ
    # in SQL), so the same question is asked here with empty values compared as equal.
    if ServiceRecord.objects.filter(
        elder=elder, item=item, caregiver=caregiver, started_at=started_at
    ).exists():
        raise ValidationError(_("This service is already recorded (same elder, item, caregiver and start)."))
    record = ServiceRecord(
        elder=elder,
        item=item,
        kind=kind,
        provider=provider,
        caregiver=caregiver,
        started_at=started_at,
        duration_minutes=duration_minutes,
        funding=funding,
        amount=amount,
        notes=notes,
        recorded_by=acting_user,
    )
    record.full_clean()
    record._history_user = acting_user
    record.save()
    return record
