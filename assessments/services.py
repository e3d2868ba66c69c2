"""Write operations on assessments: each one transaction, checking role and region."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.scope import require
from elders.choices import Status as ElderStatus
from elders.models import Elder
from regions.choices import Role
from regions.models import StaffProfile
from regions.scope import user_role

from . import rules
from .choices import AssessmentStatus, Reason, RequestStatus
from .instrument import ITEM_CODES
from .models import Assessment, AssessmentRequest, RecognisedResult
from .policy import assessment_settings


def _require_assessor(user, elder: Elder) -> None:
    if user_role(user) != Role.ASSESSOR and not user.is_superuser:
        raise PermissionDenied(_("Only assessors record ability assessments."))
    require(user, region=elder.residence_id)


def _check_assessors(assessors: list, elder: Elder, *, two_required: bool) -> None:
    ids = {a.pk for a in assessors}
    profiles = {p.user_id: p for p in StaffProfile.objects.filter(user_id__in=ids).select_related("region")}
    errors = []
    for user in assessors:
        profile = profiles.get(user.pk)
        if profile is None or profile.role != Role.ASSESSOR or not profile.certificate_number:
            errors.append(
                _("%(user)s is not an assessor with a certificate number.") % {"user": user.get_username()}
            )
        elif not elder.residence_id.startswith(profile.region.prefix):
            errors.append(
                _("%(user)s is not responsible for this elder's region.") % {"user": user.get_username()}
            )
    if two_required and len(ids) != 2:
        errors.append(_("This city requires two different assessors to sign."))
    if not ids:
        errors.append(_("Name the assessors."))
    if errors:
        raise ValidationError({"assessors": errors})


def _conditions(coma: bool, dementia: bool, psychiatric: bool, risk_events: dict) -> rules.Conditions:
    unknown = set(risk_events) - set(rules.RISK_EVENT_KINDS)
    if unknown or any(not isinstance(v, int) or isinstance(v, bool) or v < 0 for v in risk_events.values()):
        raise ValidationError(
            {
                "conditions": _("Risk events are counted by kind: %(kinds)s.")
                % {"kinds": ", ".join(rules.RISK_EVENT_KINDS)}
            }
        )
    return rules.Conditions(coma, dementia, psychiatric, sum(risk_events.values()))


def _apply_score(assessment: Assessment, *, complete: bool) -> None:
    """Server-side scoring; a draft keeps partial subtotals and no grade."""
    settings = assessment_settings(assessment.elder.residence_id)
    conditions = _conditions(
        assessment.coma, assessment.dementia, assessment.psychiatric, assessment.risk_events
    )
    try:
        if complete:
            result = rules.score(assessment.items, conditions, stack=settings.stack_raises)
        else:
            rules.check_items(assessment.items, require_all=False)
            result = None
    except rules.ItemErrors as exc:
        raise ValidationError({"items": [f"{code}: {msg}" for code, msg in exc.errors.items()]}) from exc
    if result is None:
        assessment.subtotals = rules.subtotals(assessment.items)
        assessment.total_score = assessment.preliminary_grade = assessment.grade = None
        assessment.valid_until = None
        assessment.adjustments = []
        return
    assessment.subtotals = result.subtotals
    assessment.total_score = result.total
    assessment.preliminary_grade = result.preliminary_grade
    assessment.grade = result.grade
    assessment.adjustments = result.adjustments
    assessment.valid_until = rules.valid_until(assessment.assessed_on, settings.interval_months)


@transaction.atomic
def create_assessment(
    *,
    acting_user,
    elder: Elder,
    assessed_on: date,
    reason: str,
    items: dict[str, int],
    assessors: Iterable,
    coma: bool = False,
    dementia: bool = False,
    psychiatric: bool = False,
    risk_events: dict[str, int] | None = None,
    agency: str = "",
    submit: bool | None = None,
) -> Assessment:
    """Record an assessment, scored here and never by the caller.

    `submit=None` submits it when every item is scored (or the elder is in a coma) and keeps
    it a draft otherwise; True insists on submitting (missing items are an error), False
    keeps a draft the assessor finishes later.
    """
    _require_assessor(acting_user, elder)
    if reason not in Reason.values:
        raise ValidationError({"reason": _("Unknown reason %(r)s.") % {"r": reason}})
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": _("The assessment date is in the future.")})
    if assessed_on < elder.birth_date:
        raise ValidationError({"assessed_on": _("The assessment date is before the elder's birth.")})
    if elder.status != "registered":
        raise ValidationError({"elder": _("Only registered elders are assessed.")})
    settings = assessment_settings(elder.residence_id)
    assessors = list(assessors)
    if acting_user not in assessors and not acting_user.is_superuser:
        assessors.insert(0, acting_user)
    _check_assessors(assessors, elder, two_required=settings.two_assessors)
    complete = coma or all(code in items for code in ITEM_CODES)
    if submit is None:
        submit = complete
    if submit and not complete:
        missing = [c for c in ITEM_CODES if c not in items]
        raise ValidationError({"items": [_("%(code)s is not scored.") % {"code": c} for c in missing]})
    assessment = Assessment(
        elder=elder,
        assessed_on=assessed_on,
        reason=reason,
        items=dict(items),
        coma=coma,
        dementia=dementia,
        psychiatric=psychiatric,
        risk_events=dict(risk_events or {}),
        agency=agency,
        created_by=acting_user,
        status=AssessmentStatus.SUBMITTED if submit else AssessmentStatus.DRAFT,
        submitted_at=timezone.now() if submit else None,
    )
    _apply_score(assessment, complete=submit)
    assessment._history_user = acting_user
    assessment.save()
    assessment.assessors.set(assessors)
    if submit:
        _request_submitted(assessment)
    return assessment


def _request_submitted(assessment: Assessment) -> None:
    """A submitted assessment takes its elder off the assessors' queue: the request now waits
    for the second signature, and says so wherever it is shown."""
    AssessmentRequest.objects.filter(elder_id=assessment.elder_id, status=RequestStatus.OPEN).update(
        status=RequestStatus.SUBMITTED, assessment=assessment
    )


@transaction.atomic
def update_draft(*, acting_user, assessment: Assessment, submit: bool = False, **changes) -> Assessment:
    """Change a draft (the assessor fills it over a visit); submitting scores it in full."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _require_assessor(acting_user, assessment.elder)
    if assessment.status != AssessmentStatus.DRAFT:
        raise ValidationError(_("Only a draft can be changed."))
    if acting_user != assessment.created_by:
        raise PermissionDenied(_("Only the assessor who started this draft may change it."))
    for name in (
        "items",
        "coma",
        "dementia",
        "psychiatric",
        "risk_events",
        "assessed_on",
        "reason",
        "agency",
    ):
        if name in changes:
            setattr(assessment, name, changes[name])
    complete = submit and (assessment.coma or all(c in assessment.items for c in ITEM_CODES))
    if submit and not complete:
        missing = [c for c in ITEM_CODES if c not in assessment.items]
        raise ValidationError({"items": [_("%(code)s is not scored.") % {"code": c} for c in missing]})
    _apply_score(assessment, complete=complete)
    if submit:
        assessment.status = AssessmentStatus.SUBMITTED
        assessment.submitted_at = timezone.now()
    assessment._history_user = acting_user
    assessment.save()
    if submit:
        _request_submitted(assessment)
    return assessment


@transaction.atomic
def confirm_assessment(*, acting_user, assessment: Assessment) -> Assessment:
    """The second signature: a listed assessor other than the creator confirms."""
    assessment = Assessment.objects.select_for_update().select_related("elder").get(pk=assessment.pk)
    _require_assessor(acting_user, assessment.elder)
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted assessment can be confirmed."))
    settings = assessment_settings(assessment.elder.residence_id)
    listed = set(assessment.assessors.values_list("pk", flat=True))
    if acting_user.pk not in listed:
        raise PermissionDenied(_("Only an assessor who signed this assessment may confirm it."))
    if settings.two_assessors and acting_user.pk == assessment.created_by_id:
        raise PermissionDenied(_("The second assessor confirms, not the one who recorded it."))
    assessment.status = AssessmentStatus.CONFIRMED
    assessment.confirmed_by = acting_user
    assessment.confirmed_at = timezone.now()
    assessment._history_user = acting_user
    assessment.save()
    AssessmentRequest.objects.filter(
        elder=assessment.elder, status__in=[RequestStatus.OPEN, RequestStatus.SUBMITTED]
    ).update(status=RequestStatus.DONE, assessment=assessment)
    return assessment


@transaction.atomic
def record_recognised_result(
    *,
    acting_user,
    elder: Elder,
    source: str,
    assessed_on: date,
    grade: int,
    valid_until: date,
    document: str = "",
    reason: str = "",
) -> RecognisedResult:
    if not acting_user.has_perm("assessments.add_recognisedresult"):
        raise PermissionDenied(_("You may not record results of other departments."))
    require(acting_user, region=elder.residence_id)
    result = RecognisedResult(
        elder=elder,
        source=source,
        assessed_on=assessed_on,
        grade=grade,
        valid_until=valid_until,
        document=document,
        recorded_by=acting_user,
    )
    result.full_clean()
    if valid_until < assessed_on:
        raise ValidationError({"valid_until": _("The validity ends before the assessment date.")})
    result._history_user = acting_user
    if reason:
        result._change_reason = reason
    result.save()
    return result


def request_assessment(*, acting_user, elder: Elder, reason: str, note: str = "") -> AssessmentRequest:
    """Put an elder on the assessors' queue (a community worker asks; one open request each)."""
    if not acting_user.has_perm("assessments.add_assessmentrequest"):
        raise PermissionDenied(_("You may not request assessments."))
    require(acting_user, region=elder.residence_id)
    if reason not in Reason.values:
        raise ValidationError({"reason": _("Unknown reason %(r)s.") % {"r": reason}})
    if elder.status == ElderStatus.DECEASED:
        raise ValidationError({"elder": _("A deceased elder cannot be queued for an assessment.")})
    if elder.status != ElderStatus.REGISTERED:
        raise ValidationError({"elder": _("Only registered elders are queued for an assessment.")})
    pending = (
        AssessmentRequest.objects.filter(
            elder=elder, status__in=[RequestStatus.OPEN, RequestStatus.SUBMITTED]
        )
        .values_list("status", flat=True)
        .first()
    )
    if pending == RequestStatus.SUBMITTED:
        raise ValidationError(_("This elder's assessment is waiting for the second assessor's confirmation."))
    try:
        with transaction.atomic():
            return AssessmentRequest.objects.create(
                elder=elder, reason=reason, note=note, requested_by=acting_user
            )
    except IntegrityError:
        raise ValidationError(_("This elder is already waiting for an assessment.")) from None


def queue_due_reassessments(*, on: date, within_days: int = 30) -> dict[str, int]:
    """The daily schedule: put every elder whose result expires within N days on the queue.

    Idempotent (one open request per elder). Returns counts per street for the task's log.
    """
    from .selectors import due_assessments

    due = due_assessments(on, within_days=within_days).values_list(
        "elder_id", "elder__residence_id", "valid_until"
    )
    rows = list(due)
    waiting = set(
        AssessmentRequest.objects.filter(
            status__in=[RequestStatus.OPEN, RequestStatus.SUBMITTED], elder_id__in=[r[0] for r in rows]
        ).values_list("elder_id", flat=True)
    )
    AssessmentRequest.objects.bulk_create(
        [
            AssessmentRequest(
                elder_id=elder_id, reason=Reason.ROUTINE, note=_("Result expires on %(d)s") % {"d": until}
            )
            for elder_id, _residence, until in rows
            if elder_id not in waiting
        ],
        ignore_conflicts=True,
    )
    per_street: dict[str, int] = {}
    for _elder, residence, _until in rows:
        per_street[residence[:9]] = per_street.get(residence[:9], 0) + 1
    return per_street
