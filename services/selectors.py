"""Read queries of the services app that pages, API and reports share. Set-based."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

import conditions
from core.periods import period_bounds
from core.scope import restrict
from elders.models import Elder
from elders.selectors import high_age_q
from policies.selectors import section_row
from regions.scope import account_prefix, user_region_code

from .choices import FollowUpStatus, ItemCategory, VisitOutcome
from .models import FollowUp, Visit
from .policy import CATALOGUE_SECTION, VisitSettings, raw_catalogue, visit_settings


def settings_for(user) -> VisitSettings:
    """The visit rule in force at the user's region (the nearest pack up the tree)."""
    return visit_settings(user_region_code(user) or "000000000000")


def counted_visits(settings: VisitSettings, start: datetime, end: datetime) -> QuerySet[Visit]:
    """Visits in [start, end) that count towards the rate (a 'not found' visit does not)."""
    return Visit.objects.filter(
        visited_at__gte=start,
        visited_at__lt=end,
        method__in=settings.counted_methods,
        outcome__in=settings.counted_outcomes,
    )


def target_group(queryset: QuerySet[Elder], settings: VisitSettings, on: date) -> QuerySet[Elder]:
    """Registered elders of the queryset who are in the visit target group on a date."""
    registered = queryset.filter(status="registered", registered_on__lte=on)
    return conditions.filter_queryset(registered, settings.target_group, on)


def due_list(user, period: str) -> QuerySet[Elder]:
    """Target-group elders in the user's region with no counted visit in the period.

    Longest-unvisited first (never visited at the top), in one query that also carries each row's
    risk facts (`risk_marks`). The current month is read from each elder's stored visit status
    (`due_from_status`), a past month from the visits (`due_from_visits`): both give the same list
    for the current month.
    """
    _first, last, _start, end = period_bounds(period)
    on = min(last, timezone.localdate())
    due = due_from_status(user, period) if end > timezone.now() else due_from_visits(user, period)
    return with_risk_facts(due, on)


def _registered(user, on: date) -> QuerySet[Elder]:
    return restrict(Elder.objects.select_related("residence"), user).filter(
        status="registered", registered_on__lte=on
    )


def due_from_status(user, period: str) -> QuerySet[Elder]:
    """The due list of the current month from the stored `VisitStatus`: one index walked in the
    list's order, so the first page of a whole city costs what a community's does.

    Membership of the target group is the stored flag, not the condition asked again: the registry
    and the ability results re-check it as they are saved (services.signals), a changed pack or
    visit rule re-checks every file once committed, and the nightly refresh moves it with ages and
    expiring results. No visit can lie in the future, so "not visited this month" is "last counted
    visit before the month began"."""
    _first, last, start, _end = period_bounds(period)
    return (
        _registered(user, min(last, timezone.localdate()))
        .filter(visit_status__in_target_group=True)
        .filter(Q(visit_status__last_counted_at__lt=start) | Q(visit_status__last_counted_at__isnull=True))
        .annotate(
            last_visit_at=F("visit_status__last_visit_at"), last_outcome=F("visit_status__last_outcome")
        )
        .order_by(F("visit_status__last_visit_at").asc(nulls_first=True), "id")
    )


def due_counts_by_residence(on: date) -> dict[str, int]:
    """How many elders of each community are due for a visit in the month of `on`, for the whole
    portal in one grouped query (the reminders hand them to each worker). Read from the stored
    visit status, as the current month's due list is."""
    _first, _last, start, _end = period_bounds(f"{on:%Y-%m}")
    rows = (
        Elder.objects.filter(status="registered", registered_on__lte=on, visit_status__in_target_group=True)
        .filter(Q(visit_status__last_counted_at__lt=start) | Q(visit_status__last_counted_at__isnull=True))
        .order_by()
        .values("residence_id")
        .annotate(n=Count("pk"))
    )
    return {r["residence_id"]: r["n"] for r in rows}


def due_from_visits(user, period: str) -> QuerySet[Elder]:
    """The due list of any month from the visits themselves (a past month cannot use the stored
    status: that describes today, so the target-group condition is asked as of the month's end)."""
    _first, last, start, end = period_bounds(period)
    settings = settings_for(user)
    on = min(last, timezone.localdate())
    visited = counted_visits(settings, start, end).filter(elder=OuterRef("pk"))
    last_visit = Visit.objects.filter(elder=OuterRef("pk"), visited_at__lt=end).order_by("-visited_at")
    return (
        conditions.filter_queryset(_registered(user, on), settings.target_group, on)
        .filter(~Exists(visited))
        .annotate(
            last_visit_at=Subquery(last_visit.values("visited_at")[:1]),
            last_outcome=Subquery(last_visit.values("outcome")[:1]),
        )
        .order_by(F("last_visit_at").asc(nulls_first=True), "id")
    )


def with_risk_facts(due: QuerySet[Elder], on: date) -> QuerySet[Elder]:
    """The facts behind the risk marks as columns of the due list's own query. PostgreSQL works
    them out for the rows a page or a batch fetches alone (an expensive column is computed after
    the ORDER BY ... LIMIT), and a count leaves them out."""
    due = due.annotate(is_high_age=ExpressionWrapper(high_age_q(on), output_field=BooleanField()))
    return conditions.with_fact(due, "ability_grade", on, as_name="current_grade")


def risk_marks(elder: Elder) -> list[str]:
    """Short codes of why a due elder needs attention (facts annotated by due_list)."""
    marks = []
    if getattr(elder, "is_high_age", False):
        marks.append("high_age")
    if elder.living_arrangement == "alone":
        marks.append("alone")
    if elder.disability_grade in (1, 2):
        marks.append("severe_disability")
    if getattr(elder, "current_grade", None) is not None and elder.current_grade >= 3:
        marks.append("disabled")
    if getattr(elder, "last_outcome", None) == VisitOutcome.PROBLEM:
        marks.append("problem_last_time")
    if getattr(elder, "last_outcome", None) == VisitOutcome.NOT_FOUND:
        marks.append("not_found_last_time")
    if getattr(elder, "last_visit_at", None) is None:
        marks.append("never_visited")
    return marks


def visits_in_scope(user) -> QuerySet[Visit]:
    return restrict(Visit.objects.select_related("elder", "elder__residence", "visitor"), user)


def visits_in_period(user, period: str) -> QuerySet[Visit]:
    _first, _last, start, end = period_bounds(period)
    return visits_in_scope(user).filter(visited_at__gte=start, visited_at__lt=end)


def open_follow_ups(user) -> QuerySet[FollowUp]:
    return restrict(
        FollowUp.objects.filter(status=FollowUpStatus.OPEN).select_related(
            "elder", "elder__residence", "visit", "visit__visitor", "assigned_to"
        ),
        user,
    ).order_by("due_on", "id")


def overdue_follow_ups(user, on: date) -> QuerySet[FollowUp]:
    """Open follow-ups whose due day has passed (a follow-up without one is never overdue)."""
    return open_follow_ups(user).filter(due_on__lt=on)


# --- providers, catalogue, entitlements --------------------------------------------------------


def is_blacklisted(provider, on: date) -> bool:
    from django.db.models import Q as _Q

    from .choices import CreditKind

    return provider.credit_records.filter(
        _Q(ends_on__isnull=True) | _Q(ends_on__gte=on), kind=CreditKind.BLACKLIST, starts_on__lte=on
    ).exists()


def readable_catalogues(user) -> QuerySet:
    """Lists a user may read: those of their region and below, the lists above their region
    (which are the ones that apply to the elders they serve) and the national list. Only
    reading widens upwards; changing a list stays with `restrict`."""
    from django.db.models import Q

    from regions.rules import candidate_ancestor_codes

    from .models import Catalogue

    if account_prefix(user) is None:
        return Catalogue.objects.none()
    code = user_region_code(user)
    above = candidate_ancestor_codes(code) if code else []
    return restrict(Catalogue.objects.all(), user) | Catalogue.objects.filter(
        Q(region_id__in=above) | Q(region__isnull=True)
    )


def catalogue_in_force(region_code: str, on: date | None = None):
    """The published list nearest the region that is in force on the day: its own, the
    county's, the city's, else the national list (one query)."""
    from django.db.models import Q

    from regions.rules import candidate_ancestor_codes

    from .choices import CatalogueStatus
    from .models import Catalogue

    on = on or timezone.localdate()
    codes = [*candidate_ancestor_codes(region_code), region_code]
    candidates = Catalogue.objects.filter(
        Q(region_id__in=codes) | Q(region__isnull=True),
        Q(effective_to__isnull=True) | Q(effective_to__gte=on),
        status=CatalogueStatus.PUBLISHED,
        effective_from__lte=on,
    ).order_by("effective_from")
    found = {c.region_id: c for c in candidates}
    for code in reversed(codes):
        if code in found:
            return found[code]
    return found.get(None)


def entitlements_for(elder: Elder, on: date) -> dict:
    """The catalogue items an elder qualifies for (with the reasons) and those they nearly
    qualify for (exactly one condition failed: what is missing)."""
    catalogue = catalogue_in_force(elder.residence_id, on)
    qualifies, nearly = [], []
    if catalogue is not None:
        cache: dict = {}
        for item in catalogue.items.filter(retired_on__isnull=True):
            outcome = conditions.explain(item.target_group, elder, on, _cache=cache)
            row = {"code": item.code, "name": item.name, "category": item.category, "item": item}
            if outcome.held:
                qualifies.append({**row, "reasons": [r["text"] for r in outcome.passed()]})
            elif len(outcome.failed()) == 1:
                nearly.append({**row, "missing": [r["text"] for r in outcome.failed()]})
    return {"catalogue": catalogue, "qualifies": qualifies, "nearly": nearly}


def catalogue_rows(region_code: str) -> dict:
    """The items of the list in force at a region for the bureau's list page: each with the facts
    its target group tests, named (never the condition's data), and whether the list is the
    region's own or the level above's."""
    listed = raw_catalogue(region_code)
    row = section_row(region_code, CATALOGUE_SECTION)
    items = [
        {
            "code": item["code"],
            "name": item["name"],
            "category": ItemCategory(item["category"]).label,
            "content": item.get("content", ""),
            "standard": item.get("standard", ""),
            "target": "、".join(
                sorted(
                    str(conditions.FACTS[n].label)
                    for n in conditions.facts_used(item["target_group"])
                    if n in conditions.FACTS
                )
            ),
            "bureau": isinstance(item.get("source"), dict)
            and "service-list page" in item["source"].get("note", ""),
        }
        for item in listed["items"]
    ]
    return {
        "title": listed["title"],
        "items": items,
        "own": row is not None and row.region_id == region_code,
    }
