"""The write operations of supervision, each one transaction that checks permission and scope."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.scope import in_scope, restrict
from facilities.choices import FacilityKind, FacilityStatus
from facilities.selectors import facilities_in_scope
from regions.models import Region
from services.choices import CreditKind
from services.models import CreditRecord, Provider
from services.selectors import is_blacklisted
from services.services import provider_of, record_blacklisting
from subsidies.rules import document_errors

from . import rules
from .choices import (
    Channel,
    ComplaintStatus,
    ContractDecision,
    InspectionKind,
    InspectionStatus,
    OrderStatus,
    Outcome,
    Publication,
    Purpose,
    Rater,
    RatingReason,
    RoomStatus,
    Satisfaction,
    Severity,
    StarStatus,
    Subject,
    TaskReason,
)
from .models import (
    CaseAction,
    Complaint,
    EstateRoomCheck,
    Finding,
    Inspection,
    InspectionPlan,
    InspectionResult,
    OperatorReview,
    RectificationOrder,
    ResidentialEstate,
    ServiceRating,
    StarApplication,
    StarScoreSheet,
    SupervisionTask,
)
from .policy import supervision_rules
from .selectors import checklists_for_facility, items_of

UPLOAD_MAX_MB = 10


def _refuse_outside(acting_user, region_code: str) -> None:
    if not in_scope(acting_user, region_code):
        raise PermissionDenied(_("This is outside your region of responsibility."))


def _check_upload(upload, field: str) -> None:
    if not upload:
        return
    head = upload.read(16)
    upload.seek(0)
    problems = document_errors(
        field=field, name=upload.name or "", size=upload.size, head=head, max_bytes=UPLOAD_MAX_MB * 1_048_576
    )
    if problems:
        raise ValidationError({field: problems})


# --- plans and the draw ---------------------------------------------------------------------


@transaction.atomic
def create_plan(
    *,
    acting_user,
    region: Region,
    year: int,
    title: str,
    facility_kinds: list[str],
    share_percent: int,
    months: list[int],
    inspectors,
    inspectors_per_team: int = 2,
    publication: str = Publication.RESULTS,
) -> InspectionPlan:
    if not acting_user.has_perm("supervision.add_inspectionplan"):
        raise PermissionDenied(_("You may not make inspection plans."))
    _refuse_outside(acting_user, region.code)
    errors: dict[str, list[str]] = {}
    if not facility_kinds or set(facility_kinds) - set(FacilityKind.values):
        errors["facility_kinds"] = [_("Choose at least one kind of facility.")]
    if not 1 <= (share_percent or 0) <= 100:
        errors["share_percent"] = [_("The share of facilities drawn is between 1 and 100 per cent.")]
    if not months or any(not 1 <= int(m) <= 12 for m in months):
        errors["months"] = [_("Choose at least one month (1 to 12).")]
    inspectors = list(inspectors)
    from regions.models import StaffProfile

    in_region = restrict(StaffProfile.objects.filter(user__in=inspectors, user__is_active=True), acting_user)
    if in_region.count() != len({u.pk for u in inspectors}):
        errors["inspectors"] = [_("Every inspector is an active account of your region.")]
    if inspectors_per_team < 1 or len(inspectors) < inspectors_per_team:
        errors["inspectors"] = [
            _("A team has %(n)s inspectors: name at least that many.") % {"n": max(inspectors_per_team, 1)}
        ]
    if publication not in Publication.values:
        errors["publication"] = [_("Say what the plan publishes of its results.")]
    if InspectionPlan.objects.filter(region=region, year=year).exists():
        errors["year"] = [_("This region already has a plan for %(year)s.") % {"year": year}]
    if errors:
        raise ValidationError(errors)
    plan = InspectionPlan(
        region=region,
        year=year,
        title=title.strip(),
        facility_kinds=sorted(set(facility_kinds)),
        share_percent=share_percent,
        months=sorted({int(m) for m in months}),
        inspectors_per_team=inspectors_per_team,
        publication=publication,
        created_by=acting_user,
    )
    plan.full_clean()
    plan._history_user = acting_user
    plan.save()
    plan.inspector_pool.set(inspectors)
    return plan


def _pools(plan: InspectionPlan, acting_user) -> dict[str, list[int]]:
    # The plan's own region bounds the pool (a district plan draws the district's facilities), inside
    # what the drawer may see.
    facilities = facilities_in_scope(acting_user).filter(
        region__code__startswith=plan.region.prefix,
        kind__in=plan.facility_kinds,
        status=FacilityStatus.OPERATING,
    )
    return {
        "facilities": sorted(facilities.values_list("pk", flat=True)),
        "inspectors": sorted(plan.inspector_pool.values_list("pk", flat=True)),
    }


@transaction.atomic
def draw_plan(*, acting_user, plan: InspectionPlan, seed: str | None = None) -> list[Inspection]:
    """Draw the facilities and the inspectors (双随机) once; the seed and pools are kept for audit."""
    plan = InspectionPlan.objects.select_for_update(of=("self",)).select_related("region").get(pk=plan.pk)
    if not acting_user.has_perm("supervision.change_inspectionplan"):
        raise PermissionDenied(_("You may not draw inspection plans."))
    _refuse_outside(acting_user, plan.region_id)
    if plan.drawn_at is not None:
        raise ValidationError(
            _("This plan was drawn on %(d)s; a draw is made once.") % {"d": plan.drawn_at.date()}
        )
    pools = _pools(plan, acting_user)
    if len(pools["inspectors"]) < plan.inspectors_per_team:
        raise ValidationError({"inspectors": _("The plan has fewer inspectors than a team needs.")})
    seed = seed or secrets.token_hex(16)
    drawn = rules.draw(
        seed=seed,
        facilities=pools["facilities"],
        inspectors=pools["inspectors"],
        share_percent=plan.share_percent,
        months=plan.months,
        team=plan.inspectors_per_team,
    )
    plan.seed, plan.drawn_pool, plan.drawn_at, plan.drawn_by = seed, pools, timezone.now(), acting_user
    plan._history_user = acting_user
    plan.save(update_fields=["seed", "drawn_pool", "drawn_at", "drawn_by"])
    created = Inspection.objects.bulk_create(
        [
            Inspection(facility_id=d.facility, kind=InspectionKind.DRAWN, plan=plan, month=d.month)
            for d in drawn
        ]
    )
    Through = Inspection.inspectors.through
    Through.objects.bulk_create(
        [
            Through(inspection_id=i.pk, user_id=u)
            for i, d in zip(created, drawn, strict=True)
            for u in d.inspectors
        ]
    )
    return created


def reproduce_draw(plan: InspectionPlan) -> list[rules.Drawn]:
    """The draw again from the stored seed and pools: anyone can compare it with the inspections."""
    if plan.drawn_at is None:
        return []
    return rules.draw(
        seed=plan.seed,
        facilities=plan.drawn_pool.get("facilities", []),
        inspectors=plan.drawn_pool.get("inspectors", []),
        share_percent=plan.share_percent,
        months=plan.months,
        team=plan.inspectors_per_team,
    )


# --- inspections, findings, orders ----------------------------------------------------------


def may_inspect(user, inspection: Inspection) -> bool:
    if not user.has_perm("supervision.add_inspectionresult") or not in_scope(
        user, inspection.facility.region_id
    ):
        return False
    return user.is_superuser or inspection.inspectors.filter(pk=user.pk).exists()


@transaction.atomic
def record_inspection(
    *, acting_user, inspection: Inspection, results: dict[int, dict], inspected_on: date, summary: str = ""
) -> Inspection:
    """The inspector's judgement of every checklist item. `results` maps an item id to
    {outcome, note, photo, severity}. Each item not met is a finding; a finding of a severity the
    pack names opens a rectification order with the pack's deadline."""
    inspection = (
        Inspection.objects.select_for_update(of=("self",))
        .select_related("facility", "facility__operator")
        .get(pk=inspection.pk)
    )
    if not may_inspect(acting_user, inspection):
        raise PermissionDenied(_("You are not an inspector of this inspection."))
    if inspection.status == InspectionStatus.DONE:
        raise ValidationError(_("This inspection was recorded on %(d)s.") % {"d": inspection.inspected_on})
    if inspected_on > timezone.localdate():
        raise ValidationError({"inspected_on": _("An inspection cannot be in the future.")})
    items = list(items_of(checklists_for_facility(inspection.facility)))
    if not items:
        raise ValidationError(_("No checklist is loaded for this kind of facility."))
    errors: dict[str, list[str]] = {}
    for item in items:
        row = results.get(item.pk) or {}
        where = f"item-{item.pk}"
        if row.get("outcome") not in Outcome.values:
            errors[where] = [_("%(code)s: choose met, not met or not applicable.") % {"code": item.code}]
        elif row.get("outcome") == Outcome.NOT_MET and not (row.get("note") or "").strip():
            errors[where] = [_("%(code)s: say what was not met.") % {"code": item.code}]
        if row.get("severity") and row["severity"] not in Severity.values:
            errors[where] = [_("%(code)s: unknown severity.") % {"code": item.code}]
        try:
            _check_upload(row.get("photo"), where)
        except ValidationError as exc:
            errors.setdefault(where, []).extend(exc.message_dict[where])
    if errors:
        raise ValidationError(errors)
    pack_rules = supervision_rules(inspection.facility.region_id)
    for item in items:
        row = results[item.pk]
        result = InspectionResult(
            inspection=inspection, item=item, outcome=row["outcome"], note=(row.get("note") or "").strip()
        )
        if row.get("photo"):
            result.photo.save(row["photo"].name, row["photo"], save=False)
        result.save()
        if row["outcome"] != Outcome.NOT_MET:
            continue
        finding = Finding.objects.create(
            inspection=inspection,
            result=result,
            severity=row.get("severity") or item.severity,
            risk=item.risk,
            description=result.note,
            found_on=inspected_on,
        )
        if finding.severity in pack_rules.order_severities:
            RectificationOrder.objects.create(
                finding=finding,
                facility=inspection.facility,
                operator=inspection.facility.operator,
                issued_on=inspected_on,
                deadline=rules.rectification_deadline(inspected_on, pack_rules.rectification_days),
                issued_by=acting_user,
            )
    inspection.status = InspectionStatus.DONE
    inspection.inspected_on = inspected_on
    inspection.summary = summary.strip()
    inspection.recorded_by = acting_user
    inspection._history_user = acting_user
    inspection.save()
    return inspection


@transaction.atomic
def answer_order(*, acting_user, order: RectificationOrder, answer: str, evidence=None) -> RectificationOrder:
    """The operator's account reports what it rectified, with evidence."""
    order = RectificationOrder.objects.select_for_update(of=("self",)).get(pk=order.pk)
    own = provider_of(acting_user)
    if own is None or order.operator_id != own.pk:
        raise PermissionDenied(_("Only the operator's own account answers its rectification orders."))
    if order.status not in (OrderStatus.OPEN, OrderStatus.ANSWERED):
        raise ValidationError(_("This order is %(s)s.") % {"s": order.get_status_display()})
    if not answer.strip():
        raise ValidationError({"answer": _("Say what was rectified.")})
    _check_upload(evidence, "evidence")
    order.answer = answer.strip()
    if evidence:
        order.evidence.save(evidence.name, evidence, save=False)
    order.answered_at, order.answered_by, order.status = timezone.now(), acting_user, OrderStatus.ANSWERED
    order._history_user = acting_user
    order.save()
    return order


@transaction.atomic
def reinspect(
    *, acting_user, order: RectificationOrder, rectified: bool, note: str, on: date
) -> RectificationOrder:
    """The re-inspection (复查): closes the order when rectified, else escalates it with a credit warning."""
    order = (
        RectificationOrder.objects.select_for_update(of=("self",))
        .select_related("facility", "operator")
        .get(pk=order.pk)
    )
    if not acting_user.has_perm("supervision.add_inspectionresult"):
        raise PermissionDenied(_("You may not re-inspect."))
    _refuse_outside(acting_user, order.facility.region_id)
    if order.status in (OrderStatus.CLOSED, OrderStatus.ESCALATED):
        raise ValidationError(_("This order is %(s)s.") % {"s": order.get_status_display()})
    if not note.strip():
        raise ValidationError({"note": _("Say what the re-inspection found.")})
    if on > timezone.localdate() or on < order.issued_on:
        raise ValidationError({"on": _("The re-inspection falls between the order and today.")})
    inspection = Inspection.objects.create(
        facility=order.facility,
        kind=InspectionKind.REINSPECTION,
        status=InspectionStatus.DONE,
        inspected_on=on,
        summary=note.strip(),
        recorded_by=acting_user,
    )
    inspection.inspectors.set([acting_user])
    order.reinspection = inspection
    order.status = OrderStatus.CLOSED if rectified else OrderStatus.ESCALATED
    order.closed_on = on
    order._history_user = acting_user
    order.save()
    if not rectified:
        _credit_warning(
            order,
            acting_user=acting_user,
            on=on,
            reason=_("Rectification not achieved at re-inspection (%(facility)s, deadline %(d)s): %(note)s")
            % {"facility": order.facility, "d": order.deadline, "note": note.strip()},
        )
    return order


def _credit_warning(order: RectificationOrder, *, acting_user, on: date, reason: str) -> list[CreditRecord]:
    """A warning on the operator through the credit service, and a blacklisting when the warnings
    in force within the pack's window reach its number."""
    if order.operator is None:
        return []
    pack_rules = supervision_rules(order.facility.region_id)
    written = [
        record_blacklisting(
            acting_user=acting_user, provider=order.operator, reason=reason, starts_on=on, warning_only=True
        )
    ]
    since = on - timedelta(days=pack_rules.warning_window_days)
    warnings = CreditRecord.objects.filter(
        provider=order.operator, kind=CreditKind.WARNING, starts_on__gte=since
    ).exclude(ends_on__lt=on)
    if rules.blacklisting_due(warnings.count(), pack_rules.blacklist_after_warnings) and not is_blacklisted(
        order.operator, on
    ):
        written.append(
            record_blacklisting(
                acting_user=acting_user,
                provider=order.operator,
                reason=_("%(n)s credit warnings within %(days)s days (supervision).")
                % {"n": warnings.count(), "days": pack_rules.warning_window_days},
                starts_on=on,
                ends_on=rules.blacklist_until(on, pack_rules.blacklist_years),
            )
        )
    return written


@transaction.atomic
def flag_overdue(*, today: date | None = None) -> int:
    """Orders past their deadline and not rectified are flagged, and each writes one credit warning
    on the operator. The district answers for it: the warning is written in the name of the officer
    who made the plan that drew the inspection (else of the officer who issued the order)."""
    today = today or timezone.localdate()
    due = list(
        RectificationOrder.objects.select_for_update(of=("self",))
        .select_related("facility", "operator", "issued_by", "finding__inspection__plan__created_by")
        .filter(
            status__in=(OrderStatus.OPEN, OrderStatus.ANSWERED),
            deadline__lt=today,
            overdue_since__isnull=True,
        )
    )
    for order in due:
        order.overdue_since = today
        order.save(update_fields=["overdue_since"])
        _credit_warning(
            order,
            acting_user=order.finding.inspection.plan.created_by
            if order.finding.inspection.plan_id
            else order.issued_by,
            on=today,
            reason=_("Rectification overdue (%(facility)s, deadline %(d)s).")
            % {"facility": order.facility, "d": order.deadline},
        )
    return len(due)


@transaction.atomic
def record_case_action(
    *, acting_user, order: RectificationOrder, kind: str, on: date, counterpart: str, note: str
) -> CaseAction:
    """An interview (约谈) or a referral for administrative penalty, kept with the case."""
    if not acting_user.has_perm("supervision.add_caseaction"):
        raise PermissionDenied(_("You may not record interviews or referrals."))
    _refuse_outside(acting_user, order.facility.region_id)
    action = CaseAction(
        order=order,
        kind=kind,
        on=on,
        counterpart=counterpart.strip(),
        note=note.strip(),
        recorded_by=acting_user,
    )
    action.full_clean()
    action.save()
    return action


# --- complaints --------------------------------------------------------------------------------


def _subject_region(subject: str, *, service_record, provider, caregiver, facility) -> tuple[str, dict]:
    """The region a complaint belongs to (its subject's), and the subject's rows filled in."""
    if subject == Subject.SERVICE:
        if service_record is None:
            raise ValidationError({"service_record": _("Name the service complained of.")})
        return service_record.elder.residence_id, {
            "service_record": service_record,
            "provider": service_record.provider,
            "caregiver": service_record.caregiver,
        }
    if subject == Subject.PROVIDER:
        if provider is None:
            raise ValidationError({"provider": _("Name the provider complained of.")})
        return provider.region_id, {"provider": provider}
    if subject == Subject.CAREGIVER:
        if caregiver is None:
            raise ValidationError({"caregiver": _("Name the caregiver complained of.")})
        return caregiver.provider.region_id, {"caregiver": caregiver, "provider": caregiver.provider}
    if subject == Subject.FACILITY:
        if facility is None:
            raise ValidationError({"facility": _("Name the facility complained of.")})
        return facility.region_id, {"facility": facility, "provider": facility.operator}
    raise ValidationError({"subject": _("Say what the complaint is about.")})


@transaction.atomic
def file_complaint(
    *,
    acting_user,
    channel: str,
    subject: str,
    complainant: str,
    content: str,
    complainant_phone: str = "",
    service_record=None,
    provider=None,
    caregiver=None,
    facility=None,
    received_at=None,
) -> Complaint:
    """Take in a complaint; it belongs to its subject's region and gets the pack's handling deadline.
    Repeated complaints about one provider open a supervision task for the district."""
    if not acting_user.has_perm("supervision.add_complaint"):
        raise PermissionDenied(_("You may not take in complaints."))
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Say how the complaint was received.")})
    region_code, rows = _subject_region(
        subject, service_record=service_record, provider=provider, caregiver=caregiver, facility=facility
    )
    _refuse_outside(acting_user, region_code)
    errors = {}
    if not complainant.strip():
        errors["complainant"] = [_("Name the complainant.")]
    if not content.strip():
        errors["content"] = [_("Write down the complaint.")]
    if errors:
        raise ValidationError(errors)
    received_at = received_at or timezone.now()
    pack_rules = supervision_rules(region_code)
    complaint = Complaint(
        channel=channel,
        subject=subject,
        region_id=region_code,
        complainant=complainant.strip(),
        complainant_phone=complainant_phone.strip(),
        content=content.strip(),
        received_at=received_at,
        received_by=acting_user,
        deadline=timezone.localtime(received_at).date() + timedelta(days=pack_rules.complaint_handling_days),
        **rows,
    )
    complaint.full_clean()
    complaint._history_user = acting_user
    complaint.save()
    if complaint.provider_id:
        _check_repeated_complaints(complaint.provider, on=timezone.localtime(received_at).date())
    return complaint


def _check_repeated_complaints(provider, *, on: date) -> SupervisionTask | None:
    pack_rules = supervision_rules(provider.region_id)
    since = on - timedelta(days=pack_rules.repeated_complaints_days)
    count = Complaint.objects.filter(provider=provider, received_at__date__gte=since).count()
    if count < pack_rules.repeated_complaints:
        return None
    task, _created = SupervisionTask.objects.get_or_create(
        provider=provider,
        reason=TaskReason.REPEATED_COMPLAINTS,
        period=on.strftime("%Y-%m"),
        defaults={
            "region_id": provider.region_id,
            "detail": _("%(n)s complaints within %(days)s days.")
            % {"n": count, "days": pack_rules.repeated_complaints_days},
        },
    )
    return task


def _complaint_for_update(complaint: Complaint) -> Complaint:
    return (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("facility", "provider")
        .get(pk=complaint.pk)
    )


@transaction.atomic
def reply_complaint(*, acting_user, complaint: Complaint, reply: str) -> Complaint:
    complaint = _complaint_for_update(complaint)
    if not acting_user.has_perm("supervision.change_complaint"):
        raise PermissionDenied(_("You may not handle complaints."))
    _refuse_outside(acting_user, complaint.region_id)
    if complaint.status != ComplaintStatus.OPEN:
        raise ValidationError(
            _("This complaint was replied to on %(d)s.") % {"d": complaint.replied_at.date()}
        )
    if not reply.strip():
        raise ValidationError({"reply": _("Write the reply.")})
    complaint.reply, complaint.replied_at, complaint.replied_by = reply.strip(), timezone.now(), acting_user
    complaint.status = ComplaintStatus.REPLIED
    complaint._history_user = acting_user
    complaint.save()
    return complaint


@transaction.atomic
def record_satisfaction(*, acting_user, complaint: Complaint, satisfaction: str) -> Complaint:
    """The complainant's satisfaction with the reply closes the complaint."""
    complaint = _complaint_for_update(complaint)
    if not acting_user.has_perm("supervision.change_complaint"):
        raise PermissionDenied(_("You may not handle complaints."))
    _refuse_outside(acting_user, complaint.region_id)
    if complaint.status != ComplaintStatus.REPLIED:
        raise ValidationError(_("Satisfaction is asked after the reply."))
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("Choose how satisfied the complainant is.")})
    complaint.satisfaction, complaint.status = satisfaction, ComplaintStatus.CLOSED
    complaint._history_user = acting_user
    complaint.save()
    return complaint


@transaction.atomic
def inspect_on_complaint(*, acting_user, complaint: Complaint, inspectors) -> Inspection:
    """A complaint about a facility (or a provider's facility) opens an inspection of it."""
    complaint = _complaint_for_update(complaint)
    if not acting_user.has_perm("supervision.change_complaint") or not acting_user.has_perm(
        "supervision.add_inspectionresult"
    ):
        raise PermissionDenied(_("You may not open inspections."))
    _refuse_outside(acting_user, complaint.region_id)
    if complaint.inspection_id:
        raise ValidationError(_("This complaint already opened an inspection."))
    facility = complaint.facility
    if facility is None and complaint.provider_id:
        facility = facilities_in_scope(acting_user).filter(operator=complaint.provider).first()
    if facility is None:
        raise ValidationError(_("The complaint names no facility to inspect."))
    inspectors = list(inspectors) or [acting_user]
    inspection = Inspection.objects.create(facility=facility, kind=InspectionKind.COMPLAINT)
    inspection.inspectors.set(inspectors)
    complaint.inspection = inspection
    complaint._history_user = acting_user
    complaint.save(update_fields=["inspection"])
    return inspection


def flag_overdue_complaints(*, today: date | None = None) -> int:
    """Complaints not replied to by their deadline are flagged (one UPDATE)."""
    today = today or timezone.localdate()
    return Complaint.objects.filter(
        status=ComplaintStatus.OPEN, deadline__lt=today, overdue_since__isnull=True
    ).update(overdue_since=today)


# --- service ratings ---------------------------------------------------------------------------


@transaction.atomic
def rate_service(
    *,
    acting_user,
    score: int,
    rater: str,
    reasons: list[str] | None = None,
    comment: str = "",
    service_record=None,
    visit=None,
    rated_on: date | None = None,
) -> ServiceRating:
    """The elder's or family's rating of a service record or a visit, recorded on their behalf.
    A provider's monthly average below the pack's threshold opens a supervision task."""
    if not acting_user.has_perm("supervision.add_servicerating"):
        raise PermissionDenied(_("You may not record ratings."))
    if (service_record is None) == (visit is None):
        raise ValidationError(_("A rating is of one service record or one visit."))
    target = service_record or visit
    _refuse_outside(acting_user, target.elder.residence_id)
    own = provider_of(acting_user)
    if own is not None and (service_record is None or service_record.provider_id != own.pk):
        raise PermissionDenied(_("A provider's account rates its own services only."))
    errors = {}
    if not isinstance(score, int) or not 1 <= score <= 5:
        errors["score"] = [_("The score is a whole number from 1 to 5.")]
    if rater not in Rater.values:
        errors["rater"] = [_("Say who gave the rating.")]
    reasons = list(reasons or [])
    if set(reasons) - set(RatingReason.values):
        errors["reasons"] = [_("Unknown reason.")]
    if errors:
        raise ValidationError(errors)
    if ServiceRating.objects.filter(service_record=service_record, visit=visit).exists():
        raise ValidationError(_("This was rated already."))
    rating = ServiceRating.objects.create(
        elder=target.elder,
        service_record=service_record,
        visit=visit,
        provider=service_record.provider if service_record else None,
        score=score,
        reasons=reasons,
        comment=comment.strip(),
        rater=rater,
        rated_on=rated_on or timezone.localdate(),
        recorded_by=acting_user,
    )
    if rating.provider_id:
        _check_low_rating(rating.provider, period=rating.rated_on.strftime("%Y-%m"))
    return rating


def open_low_rating_tasks(*, period: str) -> list[SupervisionTask]:
    """A month's ratings judged at once (one grouped query): a task for each provider below its
    pack's threshold, as rating one service at a time would have opened (idempotent)."""
    from .selectors import provider_month_scores

    scores = provider_month_scores(period)
    providers = Provider.objects.in_bulk(list(scores))
    opened = []
    for provider_id, row in scores.items():
        pack_rules = supervision_rules(providers[provider_id].region_id)
        if row["count"] >= pack_rules.low_rating_min_count and row["average"] < pack_rules.low_rating_threshold:
            opened.append(_check_low_rating(providers[provider_id], period=period))
    return [t for t in opened if t is not None]


def _check_low_rating(provider, *, period: str) -> SupervisionTask | None:
    from .selectors import provider_month_scores

    pack_rules = supervision_rules(provider.region_id)
    row = provider_month_scores(period, providers=[provider.pk]).get(provider.pk)
    if (
        row is None
        or row["count"] < pack_rules.low_rating_min_count
        or row["average"] >= pack_rules.low_rating_threshold
    ):
        return None
    task, _created = SupervisionTask.objects.get_or_create(
        provider=provider,
        reason=TaskReason.LOW_RATING,
        period=period,
        defaults={
            "region_id": provider.region_id,
            "detail": _("Average rating %(avg)s from %(n)s ratings in %(period)s (threshold %(t)s).")
            % {
                "avg": row["average"],
                "n": row["count"],
                "period": period,
                "t": pack_rules.low_rating_threshold,
            },
        },
    )
    return task


# --- elder-care rooms of residential estates (配建) ------------------------------------------------


@transaction.atomic
def register_estate(
    *,
    acting_user,
    region: Region,
    name: str,
    kind: str,
    households: int,
    residents: int | None = None,
    developer: str = "",
) -> ResidentialEstate:
    """A residential estate bound to provide an elder-care room, in its community."""
    if not acting_user.has_perm("supervision.add_residentialestate"):
        raise PermissionDenied(_("You may not register residential estates."))
    _refuse_outside(acting_user, region.code)
    if region.level != "village":
        raise ValidationError({"region": _("An estate lies in a community (residents' committee).")})
    estate = ResidentialEstate(
        region=region,
        name=name.strip(),
        kind=kind,
        households=households,
        residents=residents,
        developer=developer.strip(),
        created_by=acting_user,
    )
    estate.full_clean()
    estate.save()
    return estate


ROOM_MEASURED = (RoomStatus.BUILT, RoomStatus.HANDED_OVER, RoomStatus.IN_USE)


@transaction.atomic
def record_room_check(
    *,
    acting_user,
    estate: ResidentialEstate,
    year: int,
    status: str,
    checked_on: date,
    area_m2: Decimal | None = None,
    facility=None,
    note: str = "",
) -> EstateRoomCheck:
    """The year's check of an estate's elder-care room (每年…针对居家养老服务用房配建、移交和使用情况开展督查).

    The space standard of the facilities section in force at the estate's community says what the
    estate owes (per 100 households, per resident, the smallest site); what the check found and
    what is to be corrected are kept with the figures the standard gave that day."""
    from facilities.policy import facility_settings
    from facilities.rules import required_space

    if not acting_user.has_perm("supervision.add_estateroomcheck"):
        raise PermissionDenied(_("You may not record estate room checks."))
    estate = ResidentialEstate.objects.select_for_update().get(pk=estate.pk)
    _refuse_outside(acting_user, estate.region_id)
    errors: dict[str, list[str]] = {}
    if status not in RoomStatus.values:
        errors["status"] = [_("Say where the room stands.")]
    if status in ROOM_MEASURED and (area_m2 is None or area_m2 <= 0):
        errors["area_m2"] = [_("A room that is built has an area: enter it.")]
    if area_m2 is not None and area_m2 < 0:
        errors["area_m2"] = [_("The area cannot be negative.")]
    if checked_on > timezone.localdate():
        errors["checked_on"] = [_("A check cannot be in the future.")]
    elif not checked_on.year - 1 <= year <= checked_on.year:
        errors["year"] = [_("The check is of this year or of the year just ended.")]
    if facility is not None and not facilities_in_scope(acting_user).filter(pk=facility.pk).exists():
        errors["facility"] = [_("This is outside your region of responsibility.")]
    if EstateRoomCheck.objects.filter(estate=estate, year=year).exists():
        errors["year"] = [_("This estate was checked for %(year)s already.") % {"year": year}]
    if errors:
        raise ValidationError(errors)
    standard = facility_settings(estate.region_id).space
    required = (
        required_space(standard, households=estate.households, estate=estate.kind, population=estate.residents)
        if standard
        else None
    )
    min_site = standard.min_site_m2.get(estate.kind) if standard else None
    meets, problems = rules.room_verdict(
        status=status,
        area_m2=area_m2 if status in ROOM_MEASURED else None,
        required_m2=required,
        min_site_m2=min_site,
    )
    check = EstateRoomCheck(
        estate=estate,
        year=year,
        status=status,
        area_m2=area_m2 if status != RoomStatus.NOT_PROVIDED else None,
        facility=facility,
        required_m2=required,
        min_site_m2=min_site,
        measure=standard.measure if standard else "",
        standard_source=standard.source if standard else "",
        meets_standard=meets,
        problems=problems,
        note=note.strip(),
        checked_on=checked_on,
        checked_by=acting_user,
    )
    check.full_clean()
    check._history_user = acting_user
    check.save()
    return check


# --- yearly performance review of 公建民营 operators -----------------------------------------------


def _scored_items(checklist) -> list:
    return list(checklist.items.filter(active=True).order_by("position"))


def _check_scores(items, scores: dict) -> dict[str, Decimal]:
    maxima = {item.code: item.points for item in items}
    problems = rules.score_errors(maxima, scores)
    if problems:
        raise ValidationError(
            {
                f"item-{code}": [
                    _("%(code)s: enter the points, from 0 to %(max)s.") % {"code": code, "max": maxima[code]}
                ]
                for code in problems
            }
        )
    return {code: Decimal(str(scores[code])) for code in maxima}


@transaction.atomic
def review_operator(
    *,
    acting_user,
    facility,
    year: int,
    scores: dict[str, object],
    reviewed_on: date,
    notes: dict[str, str] | None = None,
    summary: str = "",
) -> OperatorReview:
    """The year's performance review (绩效评价) of a 公建民营 facility's operator on the pack's
    checklist: points per item, the share against the pack's pass score, and what it recommends
    for the operating contract."""
    from facilities.choices import Ownership

    from .policy import scoring_rules
    from .selectors import scoring_checklist

    if not acting_user.has_perm("supervision.add_operatorreview"):
        raise PermissionDenied(_("You may not review operators."))
    _refuse_outside(acting_user, facility.region_id)
    if facility.ownership != Ownership.PUBLIC_PRIVATE or facility.operator_id is None:
        raise ValidationError(_("Only a publicly built, privately run facility with an operator is reviewed."))
    if reviewed_on > timezone.localdate():
        raise ValidationError({"reviewed_on": _("A review cannot be in the future.")})
    if OperatorReview.objects.filter(facility=facility, year=year).exists():
        raise ValidationError({"year": _("This operator was reviewed for %(year)s already.") % {"year": year}})
    checklist = scoring_checklist(facility, Purpose.OPERATOR_REVIEW)
    if checklist is None:
        raise ValidationError(_("No review checklist is loaded for this kind of facility."))
    items = _scored_items(checklist)
    points = _check_scores(items, scores)
    maxima = {item.code: item.points for item in items}
    earned, possible, percent = rules.total(maxima, points)
    pass_score = scoring_rules(facility.region_id).review_pass_score
    serious_failed = any(item.severity == Severity.SERIOUS and points[item.code] == 0 for item in items)
    review = OperatorReview(
        facility=facility,
        operator=facility.operator,
        year=year,
        checklist=checklist,
        scores={code: str(value) for code, value in points.items()},
        notes={code: note.strip() for code, note in (notes or {}).items() if code in maxima and note.strip()},
        points=earned,
        max_points=possible,
        percent=percent,
        pass_score=pass_score,
        passed=percent >= pass_score,
        recommendation=rules.review_recommendation(percent, pass_score, serious_item_failed=serious_failed),
        summary=summary.strip(),
        reviewed_on=reviewed_on,
        reviewed_by=acting_user,
    )
    review._history_user = acting_user
    review.save()
    return review


@transaction.atomic
def decide_contract(*, acting_user, review: OperatorReview, decision: str, note: str = "") -> OperatorReview:
    """The contract decision the review feeds; a decision other than the recommendation says why."""
    review = OperatorReview.objects.select_for_update(of=("self",)).select_related("facility").get(pk=review.pk)
    if not acting_user.has_perm("supervision.change_operatorreview"):
        raise PermissionDenied(_("You may not decide operating contracts."))
    _refuse_outside(acting_user, review.facility.region_id)
    if review.decision:
        raise ValidationError(_("The contract was decided on %(d)s.") % {"d": review.decided_on})
    if decision not in ContractDecision.values:
        raise ValidationError({"decision": _("Choose the contract decision.")})
    if decision != review.recommendation and not note.strip():
        raise ValidationError({"decision_note": _("Say why the decision differs from the review's recommendation.")})
    review.decision, review.decision_note = decision, note.strip()
    review.decided_on, review.decided_by = timezone.localdate(), acting_user
    review._history_user = acting_user
    review.save()
    return review


# --- star rating as a process ----------------------------------------------------------------------


def _application_for_update(application: StarApplication) -> StarApplication:
    return (
        StarApplication.objects.select_for_update(of=("self",))
        .select_related("facility", "checklist")
        .get(pk=application.pk)
    )


@transaction.atomic
def apply_for_star(*, acting_user, facility, star: int, statement: str) -> StarApplication:
    """The operator's application for a star rating of a facility it runs."""
    if not acting_user.has_perm("supervision.add_starapplication"):
        raise PermissionDenied(_("You may not apply for star ratings."))
    own = provider_of(acting_user)
    if own is None or facility.operator_id != own.pk:
        raise PermissionDenied(_("An operator applies for the facilities it runs only."))
    errors: dict[str, list[str]] = {}
    if not isinstance(star, int) or not 1 <= star <= 5:
        errors["star"] = [_("Apply for 1 to 5 stars.")]
    if not statement.strip():
        errors["statement"] = [_("Say why the facility reaches this level.")]
    if StarApplication.objects.filter(
        facility=facility, status__in=(StarStatus.APPLIED, StarStatus.EVALUATING)
    ).exists():
        errors["facility"] = [_("This facility has an application being handled.")]
    if errors:
        raise ValidationError(errors)
    application = StarApplication(
        facility=facility,
        operator=own,
        star_applied=star,
        statement=statement.strip(),
        applied_on=timezone.localdate(),
        applied_by=acting_user,
    )
    application._history_user = acting_user
    application.save()
    return application


@transaction.atomic
def assign_evaluators(*, acting_user, application: StarApplication, evaluators) -> StarApplication:
    """The district names the evaluators; the checklist in force for the facility is fixed then."""
    from .selectors import inspector_choices, scoring_checklist

    application = _application_for_update(application)
    if not acting_user.has_perm("supervision.change_starapplication"):
        raise PermissionDenied(_("You may not handle star rating applications."))
    _refuse_outside(acting_user, application.facility.region_id)
    if application.status != StarStatus.APPLIED:
        raise ValidationError(_("This application is %(s)s.") % {"s": application.get_status_display()})
    evaluators = list(evaluators)
    allowed = set(inspector_choices(acting_user).values_list("pk", flat=True))
    if not evaluators or any(u.pk not in allowed for u in evaluators):
        raise ValidationError({"evaluators": [_("Name the evaluators: district or street officers of your region.")]})
    checklist = scoring_checklist(application.facility, Purpose.STAR_RATING)
    if checklist is None:
        raise ValidationError(_("No star rating checklist is loaded for this kind of facility."))
    application.checklist, application.status = checklist, StarStatus.EVALUATING
    application._history_user = acting_user
    application.save()
    application.evaluators.set(evaluators)
    return application


@transaction.atomic
def score_star(
    *,
    acting_user,
    application: StarApplication,
    scores: dict[str, object],
    evaluated_on: date,
    notes: dict[str, str] | None = None,
) -> StarScoreSheet:
    """One evaluator's scores of every item of the application's checklist."""
    application = _application_for_update(application)
    if not acting_user.has_perm("supervision.add_starscoresheet"):
        raise PermissionDenied(_("You may not evaluate star ratings."))
    if not application.evaluators.filter(pk=acting_user.pk).exists():
        raise PermissionDenied(_("You are not an evaluator of this application."))
    if application.status != StarStatus.EVALUATING:
        raise ValidationError(_("This application is %(s)s.") % {"s": application.get_status_display()})
    if application.sheets.filter(evaluator=acting_user).exists():
        raise ValidationError(_("You scored this application already."))
    if evaluated_on > timezone.localdate() or evaluated_on < application.applied_on:
        raise ValidationError({"evaluated_on": _("The evaluation falls between the application and today.")})
    items = _scored_items(application.checklist)
    points = _check_scores(items, scores)
    maxima = {item.code: item.points for item in items}
    earned, _possible, percent = rules.total(maxima, points)
    return StarScoreSheet.objects.create(
        application=application,
        evaluator=acting_user,
        scores={code: str(value) for code, value in points.items()},
        notes={code: n.strip() for code, n in (notes or {}).items() if code in maxima and n.strip()},
        points=earned,
        percent=percent,
        evaluated_on=evaluated_on,
    )


@transaction.atomic
def decide_star(*, acting_user, application: StarApplication, rated_on: date | None = None) -> StarApplication:
    """The result once every evaluator has scored: the mean score on the pack's star levels (never
    above the level applied for) goes into the facility's star history with the date and the
    evaluators; a score that reaches no star is recorded as such."""
    from facilities.services import record_star_rating

    from .policy import scoring_rules

    application = _application_for_update(application)
    if not acting_user.has_perm("supervision.change_starapplication"):
        raise PermissionDenied(_("You may not handle star rating applications."))
    _refuse_outside(acting_user, application.facility.region_id)
    if application.status != StarStatus.EVALUATING:
        raise ValidationError(_("This application is %(s)s.") % {"s": application.get_status_display()})
    evaluators = list(application.evaluators.order_by("username"))
    sheets = {s.evaluator_id: s for s in application.sheets.all()}
    waiting = [u for u in evaluators if u.pk not in sheets]
    if waiting:
        raise ValidationError(
            _("Waiting for the scores of: %(names)s.") % {"names": "、".join(_person(u) for u in waiting)}
        )
    rated_on = rated_on or timezone.localdate()
    percent = rules.mean_percent([s.percent for s in sheets.values()])
    star = rules.star_for(percent, scoring_rules(application.facility.region_id).star_levels, application.star_applied)
    application.percent, application.star_awarded = percent, star
    application.decided_on, application.decided_by = rated_on, acting_user
    if star:
        application.rating = record_star_rating(
            acting_user=acting_user,
            facility=application.facility,
            star=star,
            rated_on=rated_on,
            evaluator="、".join(_person(u) for u in evaluators)[:200],
        )
        application.status = StarStatus.RATED
    else:
        application.status = StarStatus.NOT_RATED
    application._history_user = acting_user
    application.save()
    return application


def _person(user) -> str:
    return user.get_full_name() or user.username


@transaction.atomic
def publish_star(*, acting_user, application: StarApplication) -> StarApplication:
    """The result goes on the published list (向社会公布评定结果)."""
    application = _application_for_update(application)
    if not acting_user.has_perm("supervision.change_starapplication"):
        raise PermissionDenied(_("You may not handle star rating applications."))
    _refuse_outside(acting_user, application.facility.region_id)
    if application.status != StarStatus.RATED:
        raise ValidationError(_("Only a rating that was awarded is published."))
    application.status = StarStatus.PUBLISHED
    application.published_on, application.published_by = timezone.localdate(), acting_user
    application._history_user = acting_user
    application.save()
    return application
