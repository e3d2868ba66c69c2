"""Applications and their review, entitlements: one transaction each, role and scope checked."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

import conditions
from core.periods import next_period, period_of
from core.scope import require
from elders.models import Elder
from regions.choices import Role
from regions.scope import user_role

from . import rules
from .choices import (
    ApplicationStatus,
    Beneficiary,
    Decision,
    EntitlementStatus,
    Level,
    StopReason,
    SuspensionReason,
)
from .models import Application, ApplicationDocument, Entitlement, ReviewStep, Scheme, Suspension
from .selectors import suspension_holds

if TYPE_CHECKING:
    from facilities.models import Facility
    from services.models import Caregiver

LEVEL_ROLES = {
    Level.STREET: Role.STREET_OFFICER,
    Level.DISTRICT: Role.DISTRICT_OFFICER,
    Level.CITY: Role.CITY_ADMIN,
}


# Besides a facility's operator (or a caregiver's employer) itself, bureau staff apply for them.
ORGANISATION_APPLICANT_ROLES = (Role.CITY_ADMIN, Role.DISTRICT_OFFICER)


def _check_organisation_applicant(acting_user, *, provider_id: int | None, region_code: str) -> None:
    """A facility or caregiver scheme is applied for by the account of the facility's operator (or
    the caregiver's employer), or by city/district bureau staff responsible for its region."""
    from services.models import ProviderStaff

    if acting_user.is_superuser:
        return
    role = user_role(acting_user)
    if role == Role.PROVIDER_STAFF:
        linked = ProviderStaff.objects.filter(user=acting_user).values_list("provider_id", flat=True).first()
        if linked is None or linked != provider_id:
            raise PermissionDenied(
                _("A provider account applies only for its own facilities and caregivers.")
            )
        return
    if role not in ORGANISATION_APPLICANT_ROLES:
        raise PermissionDenied(
            _("Only the operator's own account or city and district staff apply for this subsidy.")
        )
    require(acting_user, region=region_code)


def save_scheme(*, scheme: Scheme, acting_user) -> Scheme:
    """Set a scheme's amounts, rules and activation (the admin writes through here). Its region must
    lie in the account's; the model refuses an active scheme whose amounts are not all set."""
    action = "change" if scheme.pk else "add"
    require(acting_user, f"subsidies.{action}_scheme", region=scheme.region_id)
    scheme.full_clean()
    scheme.save()
    return scheme


# A public notice (公示) longer than this is a typing error, not a policy.
MAX_NOTICE_DAYS = 60


@transaction.atomic
def update_scheme(
    *,
    scheme: Scheme,
    acting_user,
    eligibility: dict,
    amount_rule: dict,
    review_levels: list[str],
    notice_days: int | None,
    active: bool,
    inactive_reason: str = "",
) -> Scheme:
    """The bureau's scheme form writes through here: who qualifies, the amounts, the review levels,
    the public notice and activation, checked together and written at once (or not at all).

    Activation is refused while any amount of the rule is empty, each empty amount named by its
    place in the rule (`amount_rule.<place>`, as rules.missing_amounts gives it), so the form
    shows the message on its box."""
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    errors: dict[str, list[str]] = {}
    known = [level for level in Level.values]
    if any(level not in known for level in review_levels):
        errors["review_levels"] = [_("Review levels: choose among street, district and city.")]
    elif scheme.application_needed and not review_levels:
        errors["review_levels"] = [_("Review levels: an application is reviewed at one level at least.")]
    if notice_days is not None and not 0 <= notice_days <= MAX_NOTICE_DAYS:
        errors["notice_days"] = [_("Public notice: between 0 and %(max)s days.") % {"max": MAX_NOTICE_DAYS}]
    if active and not rules.rule_errors(amount_rule):
        missing = rules.missing_amounts(amount_rule)
        if missing:
            errors["active"] = [
                _("The scheme cannot be active while an amount is empty: set every amount first.")
            ]
            for place in missing:
                errors[f"amount_rule.{place}"] = [_("Set this amount before the scheme is activated.")]
    if errors:
        raise ValidationError(errors)
    scheme.eligibility = eligibility
    scheme.amount_rule = amount_rule
    # The levels in the order an application climbs them.
    scheme.review_levels = [level for level in known if level in review_levels]
    scheme.notice_days = notice_days
    scheme.active = active
    scheme.inactive_reason = "" if active else inactive_reason.strip()[:200]
    if acting_user is not None:
        scheme._history_user = acting_user
    return save_scheme(scheme=scheme, acting_user=acting_user)


@transaction.atomic
def submit_application(
    *,
    acting_user,
    scheme: Scheme,
    elder: Elder | None = None,
    facility: Facility | None = None,
    caregiver: Caregiver | None = None,
    claimed_cost: Decimal | None = None,
    payee_name: str = "",
    payee_account: str = "",
) -> Application:
    """Apply for a scheme for its kind of beneficiary: an elder (the community worker's submission is
    the community step), a facility or a caregiver (by the operator's account or bureau staff), with
    the claimed cost when the amount is a share of it, and for cash the payee and bank account the
    roll pays into (a cash payee without an account is flagged before the roll is approved).
    Review starts at the scheme's first level.
    Refused, with the conditions that failed, when the beneficiary does not qualify today, and when
    the scheme gives no amount for it yet."""
    given = {
        kind: subject
        for kind, subject in (("elder", elder), ("facility", facility), ("caregiver", caregiver))
        if subject is not None
    }
    if list(given) != [scheme.beneficiary]:
        raise ValidationError(
            {
                "scheme": _("%(s)s is paid to a %(kind)s: apply for one %(kind)s.")
                % {"s": scheme, "kind": Beneficiary(scheme.beneficiary).label}
            }
        )
    subject = given[scheme.beneficiary]
    if elder is not None:
        if not acting_user.has_perm("subsidies.add_application"):
            raise PermissionDenied(_("You may not submit subsidy applications."))
        require(acting_user, region=elder.residence_id)
    elif facility is not None:
        _check_organisation_applicant(
            acting_user, provider_id=facility.operator_id, region_code=facility.region_id
        )
    else:
        _check_organisation_applicant(
            acting_user, provider_id=caregiver.provider_id, region_code=caregiver.provider.region_id
        )
    if not scheme.active or not scheme.application_needed:
        raise ValidationError({"scheme": _("%(s)s takes no applications.") % {"s": scheme}})
    if Entitlement.objects.filter(scheme=scheme, **given).exclude(status=EntitlementStatus.STOPPED).exists():
        # A one-off scheme stays live after its payment: it is paid once, not once per application.
        raise ValidationError(
            {
                "scheme": _("This %(kind)s already receives %(s)s.")
                % {"kind": Beneficiary(scheme.beneficiary).label, "s": scheme}
            }
        )
    payee_account = rules.normal_account(payee_account)
    payee_problems = rules.payee_errors(payee_name, payee_account)
    if payee_problems:
        raise ValidationError(payee_problems)
    if rules.needs_cost(scheme.amount_rule):
        problems = rules.cost_errors(claimed_cost)
        if problems:
            raise ValidationError({"claimed_cost": problems})
    else:
        claimed_cost = None
    today = timezone.localdate()
    outcome = conditions.explain(scheme.eligibility, subject, today)
    if not outcome.held:
        raise ValidationError({"conditions": [r["text"] for r in outcome.failed()]})
    if elder is None and rules.amount(scheme.amount_rule, _facts(subject, claimed_cost, today)) is None:
        raise ValidationError(
            {
                "scheme": _(
                    "%(s)s gives no amount for this applicant yet (the document leaves it open): "
                    "the bureau sets it in the scheme first."
                )
                % {"s": scheme}
            }
        )
    levels = scheme.review_levels or [Level.STREET]
    application = Application(
        scheme=scheme,
        submitted_by=acting_user,
        submitted_at=timezone.now(),
        level=levels[0],
        claimed_cost=claimed_cost,
        payee_name=(payee_name.strip() or (elder.name if elder is not None and payee_account else ""))[:50],
        payee_account=payee_account,
        **given,
    )
    application.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        raise ValidationError(
            _("This %(kind)s already has an open application for this scheme.")
            % {"kind": Beneficiary(scheme.beneficiary).label}
        ) from None
    return application


def _facts(subject: Elder | Facility | Caregiver, claimed_cost: Decimal | None, on: date) -> rules.Facts:
    """The facts an amount rule reads, for an elder, a facility or a caregiver."""
    from .selectors import facts_for

    if isinstance(subject, Elder):
        facts = facts_for(subject, on)
        return rules.Facts(**{**facts.__dict__, "cost": claimed_cost})
    return rules.Facts(
        cost=claimed_cost,
        star=getattr(subject, "star", None),
        skill_level=getattr(subject, "skill_level", None),
    )


@transaction.atomic
def resubmit_application(*, acting_user, application: Application) -> Application:
    """A returned application goes back to the first level; its earlier steps stay on record."""
    application = Application.objects.select_for_update().select_related("scheme").get(pk=application.pk)
    if application.status != ApplicationStatus.RETURNED:
        raise ValidationError(_("Only a returned application can be resubmitted."))
    require(acting_user, region=application.beneficiary_region_id)
    application.status = ApplicationStatus.UNDER_REVIEW
    application.level = (application.scheme.review_levels or [Level.STREET])[0]
    application.submitted_at = timezone.now()
    application.save()
    return application


@transaction.atomic
def review_application(
    *, acting_user, application: Application, decision: str, comment: str = ""
) -> Application:
    """One level's decision. Approval moves up a level, then into public notice or approval;
    rejection returns it to the community with the reason."""
    application = (
        Application.objects.select_for_update(of=("self",))  # the beneficiary joins are outer joins
        .select_related("scheme", "elder", "facility__operator", "caregiver__provider")
        .get(pk=application.pk)
    )
    if application.status != ApplicationStatus.UNDER_REVIEW:
        raise ValidationError(_("This application is not waiting for a review."))
    if user_role(acting_user) != LEVEL_ROLES[Level(application.level)]:
        raise PermissionDenied(
            _("This application waits for the %(level)s review.") % {"level": Level(application.level).label}
        )
    require(acting_user, region=application.beneficiary_region_id)
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Approve or reject.")})
    if decision == Decision.REJECT and not comment.strip():
        raise ValidationError({"comment": _("Give the reason for returning the application.")})
    now = timezone.now()
    ReviewStep.objects.create(
        application=application,
        level=application.level,
        reviewer=acting_user,
        decision=decision,
        comment=comment,
        decided_at=now,
    )
    if decision == Decision.REJECT:
        application.status = ApplicationStatus.RETURNED
    else:
        levels = application.scheme.review_levels or [Level.STREET]
        position = levels.index(application.level)
        if position + 1 < len(levels):
            application.level = levels[position + 1]
        elif application.scheme.notice_days:
            application.status = ApplicationStatus.IN_NOTICE
            application.notice_until = timezone.localdate() + timedelta(days=application.scheme.notice_days)
        else:
            _approve(application, now)
    application._history_user = acting_user
    application.save()
    return application


@transaction.atomic
def change_payee(
    *, acting_user, entitlement: Entitlement, payee_name: str, payee_account: str, reason: str
) -> Entitlement:
    """A new payee or bank account for a live cash entitlement (a lost card, an account moved to
    a family member), with the reason on the entitlement's history. Rolls not yet approved pay the
    new account; approved ones keep the account they were approved with."""
    if not acting_user.has_perm("subsidies.change_entitlement"):
        raise PermissionDenied(_("You may not change where a subsidy is paid."))
    entitlement = Entitlement.objects.select_for_update(of=("self",)).select_related("elder").get(pk=entitlement.pk)
    if entitlement.elder_id is None:
        raise ValidationError(_("Only an elder's subsidy is paid to a payee's account here."))
    require(acting_user, region=entitlement.elder.residence_id)
    if entitlement.status == EntitlementStatus.STOPPED:
        raise ValidationError(_("This subsidy has stopped: it pays into no account."))
    payee_account = rules.normal_account(payee_account)
    problems = rules.payee_errors(payee_name, payee_account)
    if not payee_account:
        problems.setdefault("payee_account", []).append(str(_("Give the bank account the subsidy is paid into.")))
    if not reason.strip():
        problems["reason"] = [str(_("Give the reason for the change (for example: card lost, new account)."))]
    if problems:
        raise ValidationError(problems)
    entitlement.payee_name = (payee_name.strip() or entitlement.elder.name)[:50]
    entitlement.payee_account = payee_account
    entitlement._history_user = acting_user
    entitlement._change_reason = reason.strip()[:100]
    entitlement.save(update_fields=["payee_name", "payee_account"])
    return entitlement


@transaction.atomic
def add_application_document(
    *, acting_user, application: Application, kind: str, file
) -> ApplicationDocument:
    """Attach a supporting document to an open application. Refused, naming the field, for a type
    other than PDF/JPG/JPEG/PNG, a content that does not match it, or a file over the size limit
    (settings.SUBSIDY_DOCUMENT_MAX_MB)."""
    from django.conf import settings
    from django.utils.text import capfirst

    from .choices import OPEN_STATUSES, DocumentKind

    if not acting_user.has_perm("subsidies.add_application"):
        raise PermissionDenied(_("You may not add documents to subsidy applications."))
    require(acting_user, region=application.beneficiary_region_id)
    if application.status not in OPEN_STATUSES:
        raise ValidationError(_("Documents can only be added while the application is open."))
    errors: dict[str, list[str]] = {}
    if kind not in DocumentKind.values:
        errors["kind"] = [
            _("%(field)s: '%(value)s' is not a document type; use one of: %(kinds)s.")
            % {
                "field": capfirst(ApplicationDocument._meta.get_field("kind").verbose_name),
                "value": kind,
                "kinds": ", ".join(str(label) for label in DocumentKind.labels),
            }
        ]
    head = file.read(16)
    file.seek(0)
    problems = rules.document_errors(
        field=capfirst(ApplicationDocument._meta.get_field("file").verbose_name),
        name=file.name or "",
        size=file.size,
        head=head,
        max_bytes=settings.SUBSIDY_DOCUMENT_MAX_MB * 1_048_576,
    )
    if problems:
        errors["file"] = problems
    if errors:
        raise ValidationError(errors)
    document = ApplicationDocument(
        application=application,
        kind=kind,
        original_name=file.name[:200],
        size=file.size,
        uploaded_by=acting_user,
        uploaded_at=timezone.now(),
    )
    document.file.save(file.name, file, save=False)
    document.full_clean()
    document.save()
    return document


def _approve(application: Application, now) -> Entitlement:
    """The entitlement of the approved beneficiary (the facility's is paid to its operator, the
    caregiver's to the caregiver), from the month after approval."""
    application.status = ApplicationStatus.APPROVED
    application.decided_at = now
    subject = application.beneficiary
    value = rules.amount(
        application.scheme.amount_rule, _facts(subject, application.claimed_cost, timezone.localdate())
    )
    if value is None:
        raise ValidationError(
            _("The amount of %(s)s cannot be determined for this applicant yet.") % {"s": application.scheme}
        )
    payee = application.payee_name
    if application.facility_id:
        operator = application.facility.operator
        payee = operator.name if operator is not None else application.facility.name
    elif application.caregiver_id:
        payee = application.caregiver.name
    return Entitlement.objects.create(
        elder=application.elder,
        facility=application.facility,
        caregiver=application.caregiver,
        scheme=application.scheme,
        application=application,
        first_period=next_period(timezone.localdate()),
        amount=value,
        status=EntitlementStatus.ACTIVE,
        payee_name=payee[:50],
        payee_account=application.payee_account,
    )


@transaction.atomic
def close_notices(*, on: date) -> int:
    """Public notice over without objection: the application is approved (daily job)."""
    done = 0
    for application in (
        Application.objects.select_for_update(of=("self",))
        .select_related("scheme", "elder", "facility__operator", "caregiver")
        .filter(status=ApplicationStatus.IN_NOTICE, notice_until__lt=on)
    ):
        _approve(application, timezone.now())
        application.save()
        done += 1
    return done


def suspend_and_resume(*, scheme: Scheme, on: date, acting_user=None) -> dict[str, int]:
    """Suspend the live entitlements of elders for whom the scheme's suspension condition now holds
    (a home-care subsidy while the elder lives in an institution) and resume those for whom it no
    longer does. Each change is a `Suspension` row with the date, the reason and who (empty: the
    daily job). Suspended on a day of month M: M is paid, M+1 on is not; resumed in month R: paid
    again from R+1. Set-based: a few statements per scheme, whatever the number of elders."""
    if not scheme.suspend_when:
        return {"suspended": 0, "resumed": 0}
    holding = suspension_holds(scheme, on).values("pk")
    still_holds = suspension_holds(scheme, on).filter(pk=OuterRef("entitlement__elder_id"))
    ending = Suspension.objects.filter(
        ~Exists(still_holds),
        entitlement__scheme=scheme,
        entitlement__status=EntitlementStatus.SUSPENDED,
        ended_on__isnull=True,
    )
    resumed = ending.update(
        ended_on=on,
        to_period=period_of(on),
        end_reason=SuspensionReason.CONDITION_ENDED,
        ended_by=acting_user,
    )
    open_one = Suspension.objects.filter(entitlement=OuterRef("pk"), ended_on__isnull=True)
    Entitlement.objects.filter(~Exists(open_one), scheme=scheme, status=EntitlementStatus.SUSPENDED).update(
        status=EntitlementStatus.ACTIVE
    )
    starting = Entitlement.objects.filter(
        scheme=scheme, status=EntitlementStatus.ACTIVE, elder_id__in=holding
    ).values_list("pk", flat=True)
    new = [
        Suspension(
            entitlement_id=pk,
            from_period=next_period(on),
            started_on=on,
            reason=SuspensionReason.CONDITION,
            started_by=acting_user,
        )
        for pk in starting.iterator(chunk_size=5_000)
    ]
    Suspension.objects.bulk_create(new, batch_size=5_000)
    Entitlement.objects.filter(Exists(open_one), scheme=scheme, status=EntitlementStatus.ACTIVE).update(
        status=EntitlementStatus.SUSPENDED
    )
    return {"suspended": len(new), "resumed": resumed}


def close_suspensions_of_stopped(*, on: date, acting_user=None) -> int:
    """A stopped entitlement's open suspension ends with it, at its last month (those months stay
    unpaid). One statement."""
    last = Entitlement.objects.filter(pk=OuterRef("entitlement_id")).values("last_period")[:1]
    return Suspension.objects.filter(
        ended_on__isnull=True, entitlement__status=EntitlementStatus.STOPPED
    ).update(ended_on=on, to_period=Subquery(last), end_reason=SuspensionReason.STOPPED, ended_by=acting_user)


@transaction.atomic
def enrol_and_stop(*, on: date) -> dict[str, int]:
    """The daily job: enrol newly eligible elders in automatic schemes (免申即享, e.g. turning 80),
    suspend or resume entitlements by the schemes' suspension conditions, and stop entitlements
    whose elders no longer qualify (paid through this month)."""
    from elders.rules import age_on

    from .selectors import no_longer_eligible, organisations_no_longer_eligible, parameters_for, unclaimed

    enrolled = stopped = suspended = resumed = 0
    for scheme in Scheme.objects.filter(active=True, beneficiary="elder").select_related("region"):
        if not scheme.application_needed:
            candidates = conditions.with_fact(
                unclaimed(scheme, on), "ability_grade", on, as_name="current_grade"
            )
            fields = ["pk", "birth_date", "residence_id", "current_grade"]
            params: dict[str, dict] = {}  # per city: regional parameters are read once, not per elder
            new = []
            for row in candidates.values(*fields).iterator():
                city = row["residence_id"][:4].ljust(12, "0")
                if city not in params:
                    params[city] = parameters_for(row["residence_id"], on)
                facts = rules.Facts(
                    age=age_on(row["birth_date"], on), grade=row.get("current_grade"), parameters=params[city]
                )
                value = rules.amount(scheme.amount_rule, facts)
                if value is not None:
                    new.append(
                        Entitlement(
                            elder_id=row["pk"], scheme=scheme, first_period=next_period(on), amount=value
                        )
                    )
            Entitlement.objects.bulk_create(new, batch_size=5_000, ignore_conflicts=True)
            enrolled += len(new)
        changes = suspend_and_resume(scheme=scheme, on=on)
        suspended += changes["suspended"]
        resumed += changes["resumed"]
        lost = list(no_longer_eligible(scheme, on).values_list("pk", flat=True))
        Entitlement.objects.filter(pk__in=lost).update(
            status=EntitlementStatus.STOPPED,
            last_period=period_of(on),
            stopped_on=on,
            stop_reason=StopReason.INELIGIBLE,
        )
        stopped += len(lost)
    # Recurring facility and caregiver schemes stop when the facility (caregiver) no longer meets
    # the conditions (closed, lost its stars, certificate expired). A paid one-off stays as it is:
    # stopping it would let the same facility claim it again.
    for scheme in Scheme.objects.filter(active=True, beneficiary__in=("facility", "caregiver")).exclude(
        frequency="one_off"
    ):
        lost = list(organisations_no_longer_eligible(scheme, on).values_list("pk", flat=True))
        Entitlement.objects.filter(pk__in=lost).update(
            status=EntitlementStatus.STOPPED,
            last_period=period_of(on),
            stopped_on=on,
            stop_reason=StopReason.INELIGIBLE,
        )
        stopped += len(lost)
    close_suspensions_of_stopped(on=on)
    return {"enrolled": enrolled, "stopped": stopped, "suspended": suspended, "resumed": resumed}
