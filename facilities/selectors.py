"""Reading facilities: scope, occupancy, standards checks, the wait-list queue, space. Set-based."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils.translation import gettext

from core.scope import restrict
from elders.choices import Status
from elders.models import Elder
from regions.choices import Role
from regions.models import Region
from regions.scope import has_role

from . import rules
from .choices import OPEN_WAITLIST_STATUSES, FacilityStatus
from .models import Bed, Facility, Residency, WaitlistEntry
from .policy import FacilitySettings, facility_settings

STANDARD_FIELDS = (
    "beds",
    "nursing_beds",
    "floor_area_m2",
    "land_area_mu",
    "caregivers",
    "nurses",
    "doctors",
    "social_workers",
    "managers",
    "other_staff",
)


def county_of(region_code: str) -> str:
    """Packs are loaded for cities and counties; facility rules resolve at the county."""
    return region_code[:6] + "000000"


def facilities_in_scope(user) -> QuerySet[Facility]:
    return restrict(Facility.objects.select_related("region", "operator"), user)


def managed_facilities(user) -> QuerySet[Facility]:
    """The facilities whose residents the user may admit and discharge.

    Facility staff (provider_staff) manage only the facilities their provider operates;
    bureau staff with the change permission manage every facility of their region.
    """
    scoped = facilities_in_scope(user)
    if has_role(user, Role.PROVIDER_STAFF):
        return scoped.filter(operator__staff_accounts__user=user)
    if user.has_perm("facilities.change_facility"):
        return scoped
    return scoped.none()


def current_residents_subquery() -> Subquery:
    counted = (
        Residency.objects.filter(facility=OuterRef("pk"), discharged_on__isnull=True)
        .order_by()
        .values("facility")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_occupancy(queryset: QuerySet[Facility]) -> QuerySet[Facility]:
    return queryset.annotate(residents=current_residents_subquery())


def current_residencies(user, facility: Facility) -> QuerySet[Residency]:
    """The facility's residents the user may see (facility staff: only at their own facilities)."""
    return (
        residencies_for(user)
        .filter(facility=facility, discharged_on__isnull=True)
        .select_related("elder__residence")
        .order_by("bed", "admitted_on")
    )


def bed_inventory(facility: Facility) -> list[Bed]:
    """The facility's beds in room order, each with its current resident (`occupant`) or None.

    Two queries: the beds, and the current residencies that hold them."""
    beds = list(Bed.objects.filter(facility=facility, active=True).order_by("room", "label", "id"))
    holding = {
        r.assigned_bed_id: r
        for r in Residency.objects.filter(
            assigned_bed__in=[b.pk for b in beds], discharged_on__isnull=True
        ).select_related("elder")
    }
    for bed in beds:
        bed.occupant = holding.get(bed.pk)
    return beds


def with_bed_occupancy(beds: QuerySet[Bed]) -> QuerySet[Bed]:
    """Beds with `occupied` and the current resident's name (`occupant_name`), in the same query:
    the admin's list filters and orders on them."""
    current = Residency.objects.filter(assigned_bed=OuterRef("pk"), discharged_on__isnull=True)
    return beds.annotate(occupied=Exists(current), occupant_name=Subquery(current.values("elder__name")[:1]))


def current_occupant(bed: Bed) -> Residency | None:
    """The residency holding a bed now (one at most: the database holds one resident per bed)."""
    if bed.pk is None:
        return None
    return (
        Residency.objects.filter(assigned_bed=bed, discharged_on__isnull=True).select_related("elder").first()
    )


def inventory_summary(facility: Facility, beds: list[Bed]) -> dict:
    """The figures above the rooms table: rooms, beds in use, taken and free (nursing ones too),
    beds out of use, and how the inventory compares with the approved number of beds."""
    free = [b for b in beds if b.occupant is None]
    return {
        "rooms": len({b.room for b in beds}),
        "beds": len(beds),
        "taken": len(beds) - len(free),
        "free": len(free),
        "free_nursing": sum(1 for b in free if b.nursing),
        "out_of_use": Bed.objects.filter(facility=facility, active=False).count(),
        "unlisted": max(facility.beds - len(beds), 0),
    }


def beds_out_of_use(facility: Facility) -> list[Bed]:
    """The facility's beds taken out of use, in room order (to put back into use)."""
    return list(Bed.objects.filter(facility=facility, active=False).order_by("room", "label", "id"))


def rooms_of(beds: list[Bed]) -> list[dict]:
    """Beds grouped by room with each room's occupancy, for the inventory table."""
    rooms: dict[str, dict] = {}
    for bed in beds:
        room = rooms.setdefault(bed.room, {"room": bed.room, "beds": [], "taken": 0})
        room["beds"].append(bed)
        room["taken"] += bed.occupant is not None
    return list(rooms.values())


def former_residencies(user, facility: Facility, *, limit: int = 50) -> list[Residency]:
    """Discharged residents of the facility, newest first: its history stays visible."""
    return list(
        residencies_for(user)
        .filter(facility=facility, discharged_on__isnull=False)
        .order_by("-discharged_on", "-id")[:limit]
    )


def resident_grades(facility_ids, on: date) -> dict[int, dict[int | None, int]]:
    """Facility -> current ability grade (None: no valid result) -> current residents.

    One grouped query: each current resident's grade is the registry's one rule
    (assessments.selectors.grade_expression), so an expired assessment does not count.
    """
    from assessments.selectors import grade_expression

    out: dict[int, dict[int | None, int]] = defaultdict(dict)
    rows = (
        Elder.objects.filter(
            residencies__discharged_on__isnull=True, residencies__facility_id__in=facility_ids
        )
        .annotate(facility_id=F("residencies__facility_id"), grade=grade_expression(on))
        .values("facility_id", "grade")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        out[row["facility_id"]][row["grade"]] = row["n"]
    return out


@dataclass
class FacilityReport:
    """A facility's standards: construction rules of its kind and, if it takes residents, staffing."""

    facility: dict
    checks: list[rules.Check] = field(default_factory=list)
    has_standard: bool = False

    @property
    def met(self) -> bool:
        return all(c.met for c in self.checks)

    @property
    def failed(self) -> list[rules.Check]:
        return [c for c in self.checks if not c.met]


def _report(row: dict, settings: FacilitySettings, grades: dict[int | None, int]) -> FacilityReport:
    report = FacilityReport(row)
    kind_rules = settings.standards.get(row["kind"], ())
    report.checks = rules.check_standards(kind_rules, row)
    staffing = settings.staffing
    if staffing is not None and row["kind"] in staffing.applies_to:
        report.checks.append(rules.check_staffing(row["caregivers"], grades, staffing))
    report.has_standard = bool(report.checks)
    return report


def facility_report(facility: Facility, on: date) -> FacilityReport:
    row = {f: getattr(facility, f) for f in STANDARD_FIELDS}
    row.update(id=facility.pk, name=facility.name, kind=facility.kind, region_id=facility.region_id)
    grades = resident_grades([facility.pk], on).get(facility.pk, {})
    return _report(row, facility_settings(county_of(facility.region_id)), grades)


def standards_report(
    user, on: date, *, only_failing: bool = True, region: Region | None = None
) -> list[FacilityReport]:
    """Every facility of the user's region checked against its city's standards.

    Two queries whatever the size: the facilities' figures, and residents per facility and
    ability grade; the rules themselves are pure functions over those rows.
    """
    facilities = facilities_in_scope(user).exclude(status=FacilityStatus.CLOSED)
    if region is not None:
        facilities = facilities.filter(region__code__startswith=region.prefix)
    rows = list(
        facilities.order_by("region_id", "name").values(
            "id", "name", "kind", "ownership", "status", "region_id", "region__name", *STANDARD_FIELDS
        )
    )
    settings_by_county = {c: facility_settings(c) for c in {county_of(r["region_id"]) for r in rows}}
    residential = [
        r["id"]
        for r in rows
        if (s := settings_by_county[county_of(r["region_id"])].staffing) is not None
        and r["kind"] in s.applies_to
    ]
    grades = resident_grades(residential, on) if residential else {}
    reports = [
        _report(r, settings_by_county[county_of(r["region_id"])], grades.get(r["id"], {})) for r in rows
    ]
    if only_failing:
        reports = [r for r in reports if r.has_standard and not r.met]
    return reports


# --- the wait-list ---------------------------------------------------------------------


def queue(facility: Facility) -> QuerySet[WaitlistEntry]:
    """The facility's open entries in order, each with its `position` (1 = next to be offered).

    Only elders still on the registry hold a place: a death or move recorded in the registry
    takes the applicant off the queue at once, before the daily job closes the entry. Do not
    filter the result further: a WHERE would renumber (use `with_positions` for that).
    """
    return (
        WaitlistEntry.objects.filter(
            facility=facility, status__in=OPEN_WAITLIST_STATUSES, elder__status=Status.REGISTERED
        )
        .select_related("elder", "elder__residence")
        .annotate(position=Window(RowNumber(), order_by=[F("tier"), F("applied_on"), F("id")]))
        .order_by("tier", "applied_on", "id")
    )


def managed_waitlist(user, status: str) -> QuerySet[WaitlistEntry]:
    """Entries of one status on the wait-lists of the facilities the user manages (registered
    elders only, as the queue itself)."""
    return restrict(
        WaitlistEntry.objects.filter(
            facility__in=managed_facilities(user), status=status, elder__status=Status.REGISTERED
        ),
        user,
    )


def position_expression():
    """A row's place in its facility's queue as a correlated count (exact under any filter).

    `queue()` numbers with a window function, which is right only for the whole queue; lists
    filtered by elder or region use this instead.
    """
    ahead = (
        WaitlistEntry.objects.filter(
            facility=OuterRef("facility"), status__in=OPEN_WAITLIST_STATUSES, elder__status=Status.REGISTERED
        )
        .filter(
            Q(tier__lt=OuterRef("tier"))
            | Q(tier=OuterRef("tier"), applied_on__lt=OuterRef("applied_on"))
            | Q(tier=OuterRef("tier"), applied_on=OuterRef("applied_on"), id__lt=OuterRef("id"))
        )
        .order_by()
        .values("facility")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + 1


def with_positions(queryset: QuerySet[WaitlistEntry]) -> QuerySet[WaitlistEntry]:
    """Open entries of registered elders get their position; others get none."""
    return queryset.annotate(
        position=Case(
            When(
                Q(status__in=OPEN_WAITLIST_STATUSES, elder__status=Status.REGISTERED),
                then=position_expression(),
            ),
            default=None,
            output_field=IntegerField(),
        )
    )


def position_of(entry: WaitlistEntry) -> int | None:
    """An entry's place in its facility's queue (None once it has left the queue)."""
    return (
        with_positions(WaitlistEntry.objects.filter(pk=entry.pk)).values_list("position", flat=True).first()
    )


def positions_for_elder(user, elder: Elder) -> list[dict]:
    """The elder's open entries the user may see, with their positions, for the elder file."""
    entries = restrict(WaitlistEntry.objects.filter(elder=elder, status__in=OPEN_WAITLIST_STATUSES), user)
    return [{"entry": e, "position": e.position} for e in with_positions(entries).select_related("facility")]


def public_facilities(city_code: str | None = None) -> QuerySet[Facility]:
    """Facilities that keep a public wait-list: public ownership, taking residents.

    A published list rather than region-scoped data: an elder may wait for a bed outside the
    street of the worker who applies for them.
    """
    from .choices import PUBLIC_OWNERSHIPS, RESIDENTIAL_KINDS

    found = Facility.objects.filter(ownership__in=PUBLIC_OWNERSHIPS, kind__in=RESIDENTIAL_KINDS)
    if city_code:
        found = found.filter(region__code__startswith=city_code[:4])
    return found.order_by("name")


# --- family care beds, space -------------------------------------------------------------


@dataclass(frozen=True)
class SpaceRow:
    region: Region
    households: int | None
    estate: str
    population: int | None
    actual_m2: Decimal
    required_m2: Decimal | None
    small_sites: int
    source: str

    @property
    def estate_label(self) -> str:
        """The kind of area as a person reads it (the code value is for the standard's table)."""
        from .choices import Estate

        if self.estate == "rural":
            return gettext("Village (rural standard)")
        return str(Estate(self.estate).label) if self.estate in Estate.values else self.estate

    @property
    def shortfall_m2(self) -> Decimal | None:
        if self.required_m2 is None:
            return None
        return max(self.required_m2 - self.actual_m2, Decimal(0))


def space_report(user, *, region: Region | None = None) -> list[SpaceRow]:
    """Per community: households, required elder-care space from the pack, actual space, shortfall.

    Three queries: the communities, their profiles, and the space of their facilities.
    """
    from .models import CommunityProfile

    communities = restrict(Region.objects.filter(level="village"), user)
    if region is not None:
        communities = communities.filter(code__startswith=region.prefix)
    communities = list(communities.order_by("code"))
    if not communities:
        return []
    codes = [c.code for c in communities]
    settings_by_county = {c: facility_settings(c) for c in {county_of(code) for code in codes}}
    profiles = {p.region_id: p for p in CommunityProfile.objects.filter(region_id__in=codes)}
    kinds = {k for s in settings_by_county.values() if s.space for k in s.space.kinds}
    counted = Facility.objects.filter(
        region_id__in=codes, kind__in=kinds, status__in=[FacilityStatus.BUILT, FacilityStatus.OPERATING]
    )
    # Land standards (人均用地) compare with the facilities' land, floor standards with floor area.
    space = {
        r["region_id"]: r
        for r in counted.values("region_id")
        .annotate(
            floor=Coalesce(Sum("floor_area_m2"), Value(Decimal(0))),
            land=ExpressionWrapper(
                Coalesce(Sum("land_area_mu"), Value(Decimal(0))) * Value(rules.M2_PER_MU),
                output_field=DecimalField(max_digits=16, decimal_places=4),
            ),
            sites=Count("id"),
        )
        .order_by()
    }
    small: dict[Decimal, dict[str, int]] = {}
    out = []
    for community in communities:
        standard = settings_by_county[county_of(community.code)].space
        if standard is None:
            continue
        profile = profiles.get(community.code)
        estate = "rural" if community.kind == "rural" else (profile.estate if profile else "new")
        minimum = standard.min_site_m2.get(estate)
        if minimum is not None and minimum not in small:
            # One query per distinct minimum (one per city in practice), not per community.
            small[minimum] = {
                r["region_id"]: r["n"]
                for r in counted.filter(floor_area_m2__lt=minimum)
                .values("region_id")
                .annotate(n=Count("id"))
                .order_by()
            }
        population = profile.population if profile else None
        if community.households is None and population is None and community.code not in space:
            continue  # nothing known about this community: no line to report
        out.append(
            SpaceRow(
                community,
                community.households,
                estate,
                population,
                (space.get(community.code, {}).get(standard.measure) or Decimal(0)).quantize(Decimal("0.01")),
                rules.required_space(
                    standard, households=community.households, estate=estate, population=population
                ),
                small.get(minimum, {}).get(community.code, 0) if minimum is not None else 0,
                standard.source,
            )
        )
    return out


def residencies_for(user) -> QuerySet[Residency]:
    """Residencies the user sees: their region's facilities; facility staff only their own facilities."""
    scoped = restrict(
        Residency.objects.select_related("elder", "facility").order_by("-admitted_on", "-id"), user
    )
    if has_role(user, Role.PROVIDER_STAFF):
        scoped = scoped.filter(facility__operator__staff_accounts__user=user)
    return scoped


# --- monthly figures for the reports app ------------------------------------------------------


def operating_on(last: date) -> QuerySet[Facility]:
    """Facilities operating at the end of a day (status since on or before it)."""
    return Facility.objects.filter(status=FacilityStatus.OPERATING).filter(
        Q(status_since__isnull=True) | Q(status_since__lte=last)
    )


def built_by(last: date) -> QuerySet[Facility]:
    """Facilities built (建成, or already operating) by the end of a day and not closed by then:
    their status history says so, or their current status does."""
    from .models import StatusChange

    ready = (FacilityStatus.BUILT, FacilityStatus.OPERATING)
    recorded = StatusChange.objects.filter(facility=OuterRef("pk"), status__in=ready, on__lte=last)
    now_ready = Q(status__in=ready) & (Q(status_since__isnull=True) | Q(status_since__lte=last))
    closed = Q(status=FacilityStatus.CLOSED, status_since__lte=last)
    return Facility.objects.filter(now_ready | Exists(recorded)).exclude(closed)


def residents_at(last: date) -> QuerySet[Elder]:
    """Elders living in a facility at the end of a day."""
    living = Residency.objects.filter(admitted_on__lte=last).filter(
        Q(discharged_on__isnull=True) | Q(discharged_on__gt=last)
    )
    return Elder.objects.filter(pk__in=living.values("elder_id"))
