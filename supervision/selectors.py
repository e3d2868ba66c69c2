"""Reads of supervision that others reuse."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from core.pages import published_rows
from core.scope import restrict
from regions.choices import Role

from .choices import InspectionStatus, OrderStatus, Purpose, Severity, StarStatus
from .models import (
    Checklist,
    ChecklistItem,
    EstateRoomCheck,
    Finding,
    Inspection,
    InspectionPlan,
    InspectionResult,
    OperatorReview,
    RectificationOrder,
    ResidentialEstate,
    StarApplication,
)


def _applies_at(checklist: Checklist, region_code: str) -> bool:
    return checklist.region_id is None or region_code.startswith(checklist.region.prefix)


def checklists_for_facility(facility) -> list[Checklist]:
    """The checklists in force for a facility: national ones and those of the packs above its
    region, for its kind and ownership. The lists are few, so they are matched here rather than
    with JSON lookups (which SQLite lacks)."""
    return [
        c
        for c in Checklist.objects.filter(active=True, purpose=Purpose.INSPECTION).select_related("region")
        if _applies_at(c, facility.region_id)
        and facility.kind in c.facility_kinds
        and (not c.ownerships or facility.ownership in c.ownerships)
    ]


def scoring_checklist(facility, purpose: str) -> Checklist | None:
    """The scored checklist (an operator review's or a star evaluation's) in force for a facility:
    the nearest pack's (a city's replaces the national one), for its kind and ownership."""
    found = [
        c
        for c in Checklist.objects.filter(active=True, purpose=purpose).select_related("region")
        if _applies_at(c, facility.region_id)
        and facility.kind in c.facility_kinds
        and (not c.ownerships or facility.ownership in c.ownerships)
    ]
    # The longest region code prefix is the nearest pack; the national one (no region) comes last.
    found.sort(key=lambda c: (-len(c.region.prefix) if c.region_id else 1, c.code))
    return found[0] if found else None


def checklists_for_service(kind: str, region_code: str) -> list[Checklist]:
    """The checklists in force for a kind of home service at a region."""
    return [
        c
        for c in Checklist.objects.filter(active=True, purpose=Purpose.INSPECTION).select_related("region")
        if _applies_at(c, region_code) and kind in c.service_kinds
    ]


def items_of(checklists: list[Checklist]) -> QuerySet[ChecklistItem]:
    return (
        ChecklistItem.objects.filter(checklist__in=checklists, active=True)
        .select_related("checklist")
        .order_by("checklist__code", "position")
    )


def plans_in_scope(user) -> QuerySet[InspectionPlan]:
    return restrict(InspectionPlan.objects.select_related("region"), user)


def inspections_in_scope(user) -> QuerySet[Inspection]:
    return restrict(Inspection.objects.select_related("facility", "facility__region", "plan"), user)


def inspections_of(plan: InspectionPlan) -> QuerySet[Inspection]:
    return (
        plan.inspections.select_related("facility")
        .prefetch_related("inspectors")
        .order_by("month", "facility__name")
    )


def my_open_inspections(user) -> QuerySet[Inspection]:
    return (
        inspections_in_scope(user).filter(inspectors=user, status=InspectionStatus.PLANNED).order_by("month")
    )


def results_of(inspection: Inspection) -> QuerySet[InspectionResult]:
    return inspection.results.select_related("item", "finding", "finding__order").order_by(
        "item__checklist__code", "item__position"
    )


def results_in_scope(user) -> QuerySet[InspectionResult]:
    return restrict(InspectionResult.objects.all(), user)


def orders_for(user) -> QuerySet[RectificationOrder]:
    """Orders in scope; an operator's account sees only its own operator's orders (the binding)."""
    return restrict(
        RectificationOrder.objects.select_related(
            "facility", "operator", "finding", "finding__result__item", "reinspection"
        ).prefetch_related("actions"),
        user,
    )


def open_orders(user) -> QuerySet[RectificationOrder]:
    return orders_for(user).filter(status__in=(OrderStatus.OPEN, OrderStatus.ANSWERED)).order_by("deadline")


def overdue_orders(user, on: date) -> QuerySet[RectificationOrder]:
    """Orders not rectified by their deadline (open or answered, the deadline passed), the
    district's and the city's to chase; the nightly flag marks the same ones."""
    return open_orders(user).filter(deadline__lt=on)


def inspector_choices(user):
    """Accounts that may inspect, in the user's region: district and street officers."""
    from django.contrib.auth import get_user_model

    from regions.models import StaffProfile

    profiles = restrict(
        StaffProfile.objects.filter(
            role__in=(Role.DISTRICT_OFFICER, Role.STREET_OFFICER), user__is_active=True
        ),
        user,
    )
    return get_user_model().objects.filter(pk__in=profiles.values("user_id")).order_by("username")


def credit_of(order: RectificationOrder):
    if order.operator_id is None:
        return []
    return list(order.operator.credit_records.order_by("-starts_on", "-pk"))


def provider_month_scores(period: str, *, providers=None) -> dict[int, dict]:
    """Each provider's ratings in a month: count and average (two decimals), one grouped query."""
    from decimal import ROUND_HALF_UP, Decimal

    from django.db.models import Avg, Count

    from .models import ServiceRating

    year, month = (int(x) for x in period.split("-"))
    rows = ServiceRating.objects.filter(provider__isnull=False, rated_on__year=year, rated_on__month=month)
    if providers is not None:
        rows = rows.filter(provider__in=providers)
    return {
        r["provider"]: {
            "count": r["count"],
            "average": Decimal(str(r["average"])).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
        }
        for r in rows.values("provider").annotate(count=Count("pk"), average=Avg("score"))
    }


def complaints_in_scope(user):
    from .models import Complaint

    return restrict(Complaint.objects.select_related("region", "provider", "facility", "caregiver"), user)


def tasks_in_scope(user):
    from .models import SupervisionTask

    return restrict(SupervisionTask.objects.select_related("provider", "region"), user)


# --- estates, operator reviews, star ratings ----------------------------------------------------


def estates_in_scope(user) -> QuerySet[ResidentialEstate]:
    return restrict(ResidentialEstate.objects.select_related("region"), user)


def estate_checks(user, *, year: int | None = None) -> QuerySet[EstateRoomCheck]:
    rows = restrict(EstateRoomCheck.objects.select_related("estate", "estate__region", "facility"), user)
    return rows.filter(year=year) if year else rows


def estates_with_check(user, year: int) -> list[tuple[ResidentialEstate, EstateRoomCheck | None]]:
    """Every estate in scope with its check of the year (or None: still to be checked). Two queries."""
    estates = list(estates_in_scope(user).order_by("region__code", "name"))
    checks = {c.estate_id: c for c in estate_checks(user, year=year).filter(estate__in=estates)}
    return [(e, checks.get(e.pk)) for e in estates]


def reviewable_facilities(user):
    """公建民营 facilities in scope with an operator: the ones reviewed every year."""
    from facilities.choices import Ownership
    from facilities.selectors import facilities_in_scope

    return (
        facilities_in_scope(user)
        .filter(ownership=Ownership.PUBLIC_PRIVATE, operator__isnull=False)
        .select_related("operator", "region")
        .order_by("name")
    )


def reviews_in_scope(user) -> QuerySet[OperatorReview]:
    return restrict(OperatorReview.objects.select_related("facility", "operator", "checklist"), user)


def star_applications(user) -> QuerySet[StarApplication]:
    return restrict(
        StarApplication.objects.select_related("facility", "facility__region", "operator", "rating", "checklist")
        .prefetch_related("evaluators", "sheets"),
        user,
    )


def published_stars(user) -> QuerySet[StarApplication]:
    """The published results (向社会公布评定结果) in the account's scope, newest first."""
    return star_applications(user).filter(status=StarStatus.PUBLISHED).order_by("-published_on", "-id")


def my_star_evaluations(user) -> QuerySet[StarApplication]:
    """Applications the user is an evaluator of and has not scored yet."""
    return (
        star_applications(user)
        .filter(status=StarStatus.EVALUATING, evaluators=user)
        .exclude(sheets__evaluator=user)
    )


# --- what is published to everyone (双随机一公开, 向社会公布评定结果) --------------------------------
# Each read goes through core.pages.published_rows: the rows the models' declarations publish.


def public_star_ratings() -> QuerySet[StarApplication]:
    """Published star ratings, newest first: the facility, its stars, when rated and published."""
    return (
        published_rows(StarApplication.objects.select_related("facility", "facility__region"))
        .only(
            "facility__name",
            "facility__kind",
            "facility__region__name",
            "star_awarded",
            "decided_on",
            "published_on",
        )
        .order_by("-published_on", "-id")
    )


def public_plans() -> list[tuple[InspectionPlan, list[Inspection]]]:
    """Each published plan with its done inspections: counted findings per inspection, and the
    findings with their orders where the plan publishes them (four queries whatever the size)."""
    plans = list(published_rows(InspectionPlan.objects.select_related("region")).order_by("-year", "region_id"))
    findings = published_rows(Finding.objects.select_related("result__item").order_by("result__item__position"))
    inspections = (
        published_rows(Inspection.objects.filter(plan__in=plans).select_related("facility", "facility__region"))
        .annotate(
            not_met=Count("findings"),
            serious=Count("findings", filter=Q(findings__severity=Severity.SERIOUS)),
        )
        .prefetch_related(Prefetch("findings", queryset=findings, to_attr="published_findings"))
        .order_by("inspected_on", "facility__name")
    )
    by_plan: dict[int, list[Inspection]] = {}
    for inspection in inspections:
        by_plan.setdefault(inspection.plan_id, []).append(inspection)
    shown = [f for i in inspections for f in i.published_findings]
    orders = {
        o.finding_id: o for o in published_rows(RectificationOrder.objects.filter(finding__in=[f.pk for f in shown]))
    }
    for finding in shown:
        finding.published_order = orders.get(finding.pk)
    return [(plan, by_plan.get(plan.pk, [])) for plan in plans]
