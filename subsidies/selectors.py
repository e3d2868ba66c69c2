"""Which schemes an elder qualifies for, with the reasons and the amount. Set-based reads."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

import conditions
from core.scope import restrict
from elders.models import Elder
from regions.rules import candidate_ancestor_codes
from regions.scope import user_region_code, user_role

from . import rules
from .choices import Beneficiary, EntitlementStatus
from .models import Entitlement, Payment, RegionalParameter, RollCheck, RollRun, Scheme

if TYPE_CHECKING:
    from facilities.models import Facility
    from services.models import Caregiver


def schemes_in_force(region_code: str, on: date, *, beneficiary: str = Beneficiary.ELDER) -> QuerySet[Scheme]:
    """Active schemes of the region, the regions above it, and the nation, effective on a date."""
    codes = [*candidate_ancestor_codes(region_code), region_code]
    return (
        Scheme.objects.filter(
            Q(region_id__in=codes) | Q(region__isnull=True),
            active=True,
            beneficiary=beneficiary,
            effective_from__lte=on,
        )
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .order_by("code")
    )


def parameters_for(region_code: str, on: date) -> dict[str, Decimal]:
    """The newest value of each regional parameter, the nearest region first."""
    codes = [*candidate_ancestor_codes(region_code), region_code]
    depth = {code: i for i, code in enumerate(codes)}
    found: dict[str, tuple[int, date, Decimal]] = {}
    for p in RegionalParameter.objects.filter(region_id__in=codes, effective_from__lte=on):
        key = (depth[p.region_id], p.effective_from)
        if p.name not in found or key > found[p.name][:2]:
            found[p.name] = (*key, p.value)
    return {name: value for name, (_d, _e, value) in found.items()}


def facts_for(elder: Elder, on: date) -> rules.Facts:
    grade = conditions.fact_value("ability_grade", elder, on)
    return rules.Facts(age=elder.age_on(on), grade=grade, parameters=parameters_for(elder.residence_id, on))


def eligibility_for(elder: Elder, on: date) -> list[dict]:
    """Every active scheme of the elder's region: eligible or not, why, the amount, 择高 applied."""
    cache: dict = {}
    facts = facts_for(elder, on)
    rows = []
    for scheme in schemes_in_force(elder.residence_id, on):
        outcome = conditions.explain(scheme.eligibility, elder, on, _cache=cache)
        value = rules.amount(scheme.amount_rule, facts) if outcome.held else None
        rows.append(
            {
                "scheme": scheme.code,
                "name": scheme.name,
                "group": scheme.exclusivity_group or None,
                "eligible": outcome.held,
                "amount": value,
                "frequency": scheme.frequency,
                "reasons": [r["text"] for r in (outcome.passed() if outcome.held else outcome.failed())],
                "legal_basis": scheme.legal_basis,
                "application_needed": scheme.application_needed,
            }
        )
    return rules.choose_higher(rows)


def eligible_elders(scheme: Scheme, on: date) -> QuerySet[Elder]:
    """Registered elders of the scheme's region who meet its conditions on a date (one query)."""
    elders = Elder.objects.filter(status="registered")
    if scheme.region_id:
        elders = elders.filter(residence__code__startswith=scheme.region.prefix)
    return conditions.filter_queryset(elders, scheme.eligibility, on)


def eligible_count(scheme: Scheme, user, on: date) -> int:
    """How many of the scheme's beneficiaries in its region (and the reader's scope) its conditions
    hold for on a date: one counting query through the condition language. The scheme may be an
    unsaved edit (the form's preview)."""
    from facilities.models import Facility
    from services.models import Caregiver

    prefix = scheme.region.prefix if scheme.region_id else ""
    if scheme.beneficiary == Beneficiary.ELDER:
        return restrict(eligible_elders(scheme, on), user).count()
    if scheme.beneficiary == Beneficiary.FACILITY:
        subjects = Facility.objects.filter(region__code__startswith=prefix)
    else:
        subjects = Caregiver.objects.filter(provider__region__code__startswith=prefix)
    return restrict(conditions.filter_queryset(subjects, scheme.eligibility, on), user).count()


def unclaimed(scheme: Scheme, on: date) -> QuerySet[Elder]:
    """应享未享: eligible, but without a live entitlement to the scheme."""
    from .models import Entitlement

    live = Entitlement.objects.filter(scheme=scheme, elder_id=OuterRef("pk")).exclude(status="stopped")
    return eligible_elders(scheme, on).filter(~Exists(live))


def suspension_holds(scheme: Scheme, on: date) -> QuerySet[Elder]:
    """Registered elders for whom the scheme's suspension condition holds (in an institution, ...)."""
    if not scheme.suspend_when:
        return Elder.objects.none()
    return conditions.filter_queryset(Elder.objects.filter(status="registered"), scheme.suspend_when, on)


def no_longer_eligible(scheme: Scheme, on: date) -> QuerySet:
    """Receiving, but no longer meeting the scheme's conditions. An elder for whom the scheme's
    suspension condition holds is suspended, not stopped: they are not in this list."""
    from .models import Entitlement

    # NOT EXISTS (anti-joins), never NOT IN (subquery): PostgreSQL runs a NOT IN over a set larger
    # than work_mem as a nested loop, quadratic in the city's elders.
    still = eligible_elders(scheme, on).filter(pk=OuterRef("elder_id"))
    lost = Entitlement.objects.filter(~Exists(still), scheme=scheme).exclude(status="stopped")
    if scheme.suspend_when:
        lost = lost.filter(~Exists(suspension_holds(scheme, on).filter(pk=OuterRef("elder_id"))))
    return lost


def organisations_no_longer_eligible(scheme: Scheme, on: date) -> QuerySet:
    """Live entitlements of a facility or caregiver scheme whose facility (caregiver) no longer
    meets its conditions: one query with an anti-join."""
    from facilities.models import Facility
    from services.models import Caregiver

    from .models import Entitlement

    if scheme.beneficiary == Beneficiary.FACILITY:
        this = Facility.objects.filter(pk=OuterRef("facility_id"))
    else:
        this = Caregiver.objects.filter(pk=OuterRef("caregiver_id"))
    still = conditions.filter_queryset(this, scheme.eligibility, on)
    return Entitlement.objects.filter(~Exists(still), scheme=scheme).exclude(status="stopped")


# --- facilities and caregivers ------------------------------------------------------------------


def applicable_subjects(user, kind: str) -> QuerySet:
    """Facilities (or caregivers) the user may see and apply for: those in the user's region, and
    those of the provider the user's account works for."""
    from facilities.models import Facility
    from services.models import Caregiver, ProviderStaff

    model = Facility if kind == Beneficiary.FACILITY else Caregiver
    if not user.is_authenticated:
        return model.objects.none()
    provider = ProviderStaff.objects.filter(user=user).values("provider_id")
    own = Q(operator_id__in=provider) if model is Facility else Q(provider_id__in=provider)
    related = "operator" if model is Facility else "provider"
    return model.objects.filter(
        Q(pk__in=restrict(model.objects.all(), user).values("pk")) | own
    ).select_related(related)


def subject_region(subject: Facility | Caregiver) -> str:
    """Where a facility or caregiver belongs: the facility's region, the caregiver's employer's."""
    return subject.region_id if hasattr(subject, "region_id") else subject.provider.region_id


def organisation_schemes(subject: Facility | Caregiver, kind: str, on: date) -> list[dict]:
    """The schemes in force for this kind of beneficiary at its region: whether it qualifies and
    why, and the amount when it does not depend on a claimed cost."""
    rows = []
    for scheme in schemes_in_force(subject_region(subject), on, beneficiary=kind):
        outcome = conditions.explain(scheme.eligibility, subject, on)
        facts = rules.Facts(
            star=getattr(subject, "star", None), skill_level=getattr(subject, "skill_level", None)
        )
        needs_cost = rules.needs_cost(scheme.amount_rule)
        rows.append(
            {
                "scheme": scheme,
                "eligible": outcome.held,
                "reasons": [r["text"] for r in (outcome.passed() if outcome.held else outcome.failed())],
                "needs_cost": needs_cost,
                "amount": None if needs_cost else rules.amount(scheme.amount_rule, facts),
                "takes_applications": scheme.application_needed,
            }
        )
    return rows


def organisation_subsidies(user, subject: Facility | Caregiver, kind: str) -> dict:
    """A facility's (caregiver's) applications, entitlements and latest payments, in the user's scope."""

    from .models import Application, Entitlement, Payment

    return {
        "applications": list(
            restrict(Application.objects.filter(**{kind: subject}), user)
            .select_related("scheme")
            .prefetch_related("steps", "steps__reviewer")
            .order_by("-submitted_at", "-pk")[:50]
        ),
        "entitlements": list(
            restrict(Entitlement.objects.filter(**{kind: subject}), user)
            .select_related("scheme")
            .order_by("-pk")
        ),
        "payments": list(
            restrict(Payment.objects.filter(**{f"entitlement__{kind}": subject}), user)
            .select_related("entitlement__scheme", "batch")
            .order_by("-period", "-id")[:36]
        ),
    }


# --- worker pages -------------------------------------------------------------------------------


def application_candidates(user, on: date, *, limit: int = 200) -> list[tuple[Scheme, list[Elder]]]:
    """For each scheme in force at the user's region that takes applications: the elders in the
    user's region who qualify, hold no live entitlement and have no open application (应享未享).
    One query per scheme (a handful), never one per elder."""

    from .choices import OPEN_STATUSES
    from .models import Application

    region = user_region_code(user)
    if region is None:
        return []
    out = []
    for scheme in schemes_in_force(region, on).filter(application_needed=True).select_related("region"):
        open_ones = Application.objects.filter(
            scheme=scheme, status__in=OPEN_STATUSES, elder_id=OuterRef("pk")
        )
        elders = (
            restrict(unclaimed(scheme, on), user)
            .filter(~Exists(open_ones))
            .select_related("residence")
            .order_by("residence_id", "name", "pk")[:limit]
        )
        out.append((scheme, list(elders)))
    return out


def applications_in_scope(user) -> QuerySet:
    """Applications of the elders in the user's region, newest first, with what the pages show."""

    from .models import Application

    return restrict(
        Application.objects.select_related(
            "elder",
            "elder__residence",
            "facility",
            "facility__region",
            "caregiver",
            "caregiver__provider",
            "scheme",
            "submitted_by",
        ),
        user,
    ).prefetch_related("steps", "steps__reviewer", "documents")


def review_queue(user) -> QuerySet:
    """Applications waiting for a review at the user's level (street or district), in their region."""

    from .services import LEVEL_ROLES

    levels = [str(level) for level, role in LEVEL_ROLES.items() if str(role) == user_role(user)]
    return (
        applications_in_scope(user)
        .filter(status="under_review", level__in=levels)
        .order_by("submitted_at", "pk")
    )


def returned_applications(user) -> QuerySet:
    """Applications sent back with a reason, waiting for the submitter to resubmit them."""
    return applications_in_scope(user).filter(status="returned")


def payments_of_elder(user, elder: Elder, *, limit: int = 36) -> list:
    """The elder's latest payments (newest month first) as the file page shows them: one query."""

    from .models import Payment

    return list(
        restrict(Payment.objects.filter(entitlement__elder=elder), user)
        .select_related("entitlement__scheme", "batch")
        .order_by("-period", "-id")[:limit]
    )


def live_cash_entitlements_of_elder(user, elder: Elder) -> list:
    """The elder's subsidies paid in cash and not stopped, with their payee, for the file page."""
    return list(
        restrict(Entitlement.objects.filter(elder=elder), user)
        .exclude(status=EntitlementStatus.STOPPED)
        .filter(scheme__payment_form="cash")
        .select_related("scheme")
        .order_by("scheme__code")
    )


def batches_in_scope(user) -> QuerySet:

    from .models import DisbursementBatch

    return restrict(DisbursementBatch.objects.select_related("scheme", "region", "approved_by"), user)


def rolls_to_approve(user) -> QuerySet:
    """Payment rolls of the user's region still waiting for approval."""
    return batches_in_scope(user).filter(status="draft")


def batch_totals(batch) -> dict:
    """Number of payments and their sum in a roll (returned and excluded payments left out)."""
    from django.db.models import Count, Sum

    from .choices import NOT_COUNTED
    from .models import Payment

    return (
        Payment.objects.filter(batch=batch)
        .exclude(status__in=NOT_COUNTED)
        .aggregate(payments=Count("id"), amount=Sum("amount"))
    )


def roll_runs_in_scope(user) -> QuerySet:

    return restrict(RollRun.objects.select_related("region", "requested_by"), user)


def roll_checks(batch) -> QuerySet:
    """The roll's cross-checks, undecided first, with the payee's name."""
    return (
        RollCheck.objects.filter(batch=batch)
        .select_related("decided_by")
        .annotate(
            name=Coalesce(
                "entitlement__elder__name", "entitlement__facility__name", "entitlement__caregiver__name"
            ),
            elder_id=models.F("entitlement__elder_id"),
            undecided=Case(
                When(decision="open", then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
        )
        .order_by("undecided", "code", "name", "pk")
    )


def batch_payees(batch, search: str = "") -> QuerySet:
    """Every payee of a roll (one row per payment), searchable by name, ID number (or its last
    digits) and bank account (or its last digits)."""
    approved = batch.status == "approved"
    rows = Payment.objects.filter(batch=batch).annotate(
        name=Coalesce(
            "entitlement__elder__name", "entitlement__facility__name", "entitlement__caregiver__name"
        ),
        id_number=Coalesce(
            "entitlement__elder__id_number",
            "entitlement__facility__operator__credit_code",
            "entitlement__caregiver__id_number",
        ),
        # An approved roll lists whom it paid; a draft, whom it would pay today.
        payee_name=models.F("payee_name_at_approval" if approved else "entitlement__payee_name"),
        payee_account=models.F("payee_account_at_approval" if approved else "entitlement__payee_account"),
        elder_id=models.F("entitlement__elder_id"),
    )
    term = "".join(search.split())
    if term:
        q = models.Q(name__contains=term)
        if term.isdigit() or (term[:-1].isdigit() and term[-1:] in "Xx"):
            q |= models.Q(id_number__endswith=term.upper()) | models.Q(payee_account__endswith=term)
            q |= models.Q(id_number__startswith=term.upper())
        rows = rows.filter(q)
    return rows.order_by("name", "period", "pk")


def roll_regions(user) -> QuerySet:
    """The cities and districts this account may run a roll for (its own region and those under it)."""
    from regions.choices import Level as RegionLevel
    from regions.models import Region

    return restrict(Region.objects.filter(level__in=(RegionLevel.CITY, RegionLevel.COUNTY)), user).order_by(
        "code"
    )[:500]
