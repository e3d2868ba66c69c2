"""Every monthly metric: one declaration and the function that computes it.

A declaration says what the metric is called, what kind of figure it is (the kind fixes how
its value is scaled from numerator and denominator), how it is defined (the dashboard shows
the definition), on which sheet of the month's workbook it stands and whether it is a card
of the dashboard. The decorated function computes the month's figures per village (or per
street, for facilities and coverage of streets) as (numerator, denominator); the monthly job
(reports.services.compute_month) runs every registered function and sums the figures up the
region tree. A new metric is one decorated function in the `metrics.py` of the app whose data
it reads (and its translated label); apps above reports (workforce, supervision, homecare)
register theirs from their own module.

Functions that read the same rows declare several metrics at once (`metrics`), so a month
costs one grouped query per kind of data, not one per metric.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from assessments.selectors import grades_by_residence
from core.periods import period_bounds
from core.registry import Store, registry
from elders.models import Elder
from elders.selectors import cities_with_elders
from facilities.choices import RESIDENTIAL_KINDS, FacilityKind, Ownership
from facilities.models import FamilyCareBed
from facilities.selectors import built_by, operating_on, residents_at
from policies.grades import LEVELS, GradeMapping, grade_mapping
from regions.models import Region
from services.choices import ProviderKind, ServiceKind
from services.models import Caregiver, Provider, ServiceRecord, Visit
from subsidies.choices import NOT_COUNTED
from subsidies.models import Entitlement, Payment, Scheme
from subsidies.selectors import unclaimed

from .models import VisitRoster

Figures = dict[str, tuple[int, int | None]]  # region code -> (numerator, denominator)


@dataclass(frozen=True)
class Kind:
    """How a metric's value follows from its numerator and denominator."""

    scale: int | None  # value = numerator × scale / denominator; None: the numerator itself
    unit: str = ""
    fen: bool = False  # the numerator is in fen, the value in yuan

    def value(self, numerator: int, denominator: int | None) -> Decimal:
        if self.fen:
            return (Decimal(numerator) / 100).quantize(Decimal("0.01"))
        if self.scale is None:
            return Decimal(numerator)
        if not denominator:
            return Decimal(0)
        return (Decimal(numerator) * self.scale / Decimal(denominator)).quantize(Decimal("0.0001"))


KINDS = {
    "count": Kind(None),
    "rate": Kind(100, "%"),
    "per10k": Kind(10_000),
    "per1000": Kind(1_000),
    "money": Kind(None, fen=True),
    "average": Kind(1),  # value = numerator / denominator (a mean score)
}

# The sheets of the month's workbook, in order.
SHEETS = {
    "visits": _("Visits"),
    "assessments": _("Assessments"),
    "care": _("9073"),
    "facilities": _("Facilities"),
    "subsidies": _("Subsidies"),
    "workforce": _("Workforce"),
    "supervision": _("Supervision"),
    "homecare": _("Home services"),
}

# The dashboard's panels of metric cards.
CARDS = {
    "coverage": _("Coverage and beds"),
    "supervision": _("Supervision"),
    "homecare": _("Home services and emergency calls"),
}


@dataclass(frozen=True)
class Metric:
    code: str
    label: Any
    kind: str
    definition: Any
    sheet: str
    card: str | None = None
    # Also computed per subsidy scheme, as "<code>.<scheme code>" (same kind and definition).
    per_scheme: bool = False
    compute: Callable[[Month], dict[str, Figures]] | None = field(default=None, compare=False, repr=False)

    def value(self, numerator: int, denominator: int | None) -> Decimal:
        return KINDS[self.kind].value(numerator, denominator)


METRICS: Store[Metric] = registry["metrics"]


def declare(
    code: str,
    label: Any,
    kind: str,
    definition: Any,
    *,
    sheet: str,
    card: str | None = None,
    per_scheme: bool = False,
) -> Metric:
    """A metric's declaration, checked: an unknown kind, sheet or card is refused."""
    for what, value, known in (("kind", kind, KINDS), ("sheet", sheet, SHEETS), ("card", card, CARDS)):
        if value is not None and value not in known:
            raise ValueError(f"metric {code}: unknown {what} {value!r} (known: {', '.join(known)})")
    return Metric(code, label, kind, definition, sheet, card, per_scheme)


def metrics(*declared: Metric) -> Callable[[Callable[[Month], dict[str, Figures]]], Callable]:
    """Register the decorated `compute(month) -> {metric code: figures}` for these metrics."""

    def register(compute: Callable[[Month], dict[str, Figures]]) -> Callable:
        for m in declared:
            METRICS.add(m.code, Metric(**{**m.__dict__, "compute": compute}))
        return compute

    return register


def metric(code: str, label: Any, kind: str, definition: Any, **where: Any) -> Callable:
    """Register the decorated `compute(month) -> figures` as the one metric `code`."""
    declared = declare(code, label, kind, definition, **where)

    def register(compute: Callable[[Month], Figures]) -> Callable:
        metrics(declared)(lambda month: {code: compute(month)})
        return compute

    return register


def metric_of(code: str) -> Metric:
    """The declaration of a figure's metric ("subsidy_amount.JL-CARE" is subsidy_amount's)."""
    return METRICS[code.split(".", 1)[0]]


def metric_label(code: str) -> str:
    base, _dot, scheme = code.partition(".")
    label = str(METRICS[base].label)
    return f"{label} · {scheme}" if scheme else label


def compute_functions() -> list[Callable[[Month], dict[str, Figures]]]:
    """Each registered function once, in the order of registration."""
    return list(dict.fromkeys(m.compute for m in METRICS.values()))


def village_figures(period: str) -> dict[str, Figures]:
    """metric -> region code -> (numerator, denominator) for a month, from every metric function.

    A function may only give figures of the metrics it declared (and their per-scheme figures).
    """
    month = Month(period)
    out: dict[str, Figures] = defaultdict(dict)
    for compute in compute_functions():
        for code, per_region in compute(month).items():
            if metric_of(code).compute is not compute:
                raise ValueError(f"{compute.__name__} computes {code}, which it did not declare")
            out[code].update(per_region)
    return out


# --- what the functions share: the month and the elders registered at its end ------------------


def registered_q(last: date) -> Q:
    """Registered (在册) at the end of a day: a later death or move does not take an elder out."""
    return Q(registered_on__lte=last) & (Q(status="registered") | Q(status_date__gt=last))


def registered_at(last: date) -> QuerySet[Elder]:
    """Elders registered (在册) at the end of a day."""
    return Elder.objects.filter(registered_q(last))


def _by_village(queryset: QuerySet, field_name: str, **aggregates: Any) -> dict[str, dict]:
    return {row[field_name]: row for row in queryset.values(field_name).annotate(**aggregates).order_by()}


class Month:
    """A month being computed, with the rows several metrics read (each fetched once)."""

    def __init__(self, period: str) -> None:
        self.period = period
        self.first, self.last, self.start, self.end = period_bounds(period)

    @cached_property
    def registered(self) -> QuerySet[Elder]:
        return registered_at(self.last)

    @cached_property
    def registered_by_village(self) -> dict[str, dict]:
        """Per village: registered elders, those in an institution, those served in the month."""
        served = ServiceRecord.objects.filter(
            elder_id=OuterRef("pk"), started_at__gte=self.start, started_at__lt=self.end
        )
        return _by_village(
            self.registered.alias(served=Exists(served)),
            "residence_id",
            n=Count("id"),
            inst=Count("id", filter=Q(living_arrangement="institution")),
            comm=Count("id", filter=Q(served=True) & ~Q(living_arrangement="institution")),
        )

    @cached_property
    def cities(self) -> list[str]:
        return cities_with_elders()

    def under_cities(self, field_name: str) -> Q:
        """Rows whose region (at `field_name`) lies in one of the cities with elders."""
        q = Q(pk__in=[])
        for city in self.cities:
            q |= Q(**{f"{field_name}__startswith": city})
        return q

    def per_elder(self, counts: Figures) -> Figures:
        """Counts of a region over its registered elders: every village with elders gets a
        figure (0 where nothing is counted); a count at a street keeps a zero denominator, so the
        street's own centre counts against its villages' elders once summed up the tree."""
        out = {code: (num, 0) for code, (num, _den) in counts.items()}
        for code, row in self.registered_by_village.items():
            out[code] = (counts.get(code, (0, None))[0], row["n"])
        return out


def _assessed_share(month: Month, elders: Q) -> Figures:
    """Per village: of the registered elders meeting `elders`, those with a valid ability result
    at the month's end."""
    among = registered_q(month.last) & elders
    graded = grades_by_residence(month.last, among)
    return {
        code: (sum(graded.get(code, {}).values()), row["n"])
        for code, row in _by_village(Elder.objects.filter(among), "residence_id", n=Count("id")).items()
    }


# --- visits -------------------------------------------------------------------------------------

_TARGET_CATEGORIES = {
    "target_alone": Q(elder__living_arrangement="alone"),
    "target_empty_nest": Q(elder__living_arrangement="empty_nest"),
    "target_left_behind": Q(elder__is_left_behind=True),
    "target_severe_disability": Q(elder__disability_grade__in=(1, 2)),
    "target_family_planning_special": Q(elder__is_family_planning_special=True),
}
_FROZEN = _("Of the frozen list.")


@metrics(
    declare(
        "visit_rate",
        _("Monthly visit rate"),
        "rate",
        _(
            "Elders of the visit target group registered at the end of the month (the frozen list) with at "
            "least one visit in the month that the pack counts, over all of them. A 'did not see the elder' "
            "visit does not count."
        ),
        sheet="visits",
    ),
    declare(
        "visit_target_group",
        _("Elders in the visit target group"),
        "count",
        _("The month's frozen list."),
        sheet="visits",
    ),
    declare("target_alone", _("Target group: living alone"), "count", _FROZEN, sheet="visits"),
    declare("target_empty_nest", _("Target group: empty nest"), "count", _FROZEN, sheet="visits"),
    declare("target_left_behind", _("Target group: left behind"), "count", _FROZEN, sheet="visits"),
    declare(
        "target_severe_disability", _("Target group: severe disability"), "count", _FROZEN, sheet="visits"
    ),
    declare(
        "target_family_planning_special",
        _("Target group: family-planning special family"),
        "count",
        _FROZEN,
        sheet="visits",
    ),
)
def visit_rate(month: Month) -> dict[str, Figures]:
    """From the month's frozen list (reports.services.freeze_roster) and its visited flags."""
    out: dict[str, Figures] = defaultdict(dict)
    roster = VisitRoster.objects.filter(period=month.period)
    for code, row in _by_village(
        roster,
        "residence_code",
        n=Count("id"),
        v=Count("id", filter=Q(visited=True)),
        **{m: Count("id", filter=q) for m, q in _TARGET_CATEGORIES.items()},
    ).items():
        out["visit_rate"][code] = (row["v"], row["n"])
        out["visit_target_group"][code] = (row["n"], None)
        for m in _TARGET_CATEGORIES:
            out[m][code] = (row[m], None)
    return out


_ALL_VISITS = _("All visits recorded in the month.")
_VISIT_COUNTS = {
    "visits_home": (_("Visits at home"), Q(method="home")),
    "visits_phone": (_("Visits by phone"), Q(method="phone")),
    "visits_video": (_("Visits by video"), Q(method="video")),
    "visits_normal": (_("Visits: normal"), Q(outcome="normal")),
    "visits_problem": (_("Visits: problem found"), Q(outcome="problem")),
    "visits_not_found": (_("Visits: elder not seen"), Q(outcome="not_found")),
}


@metrics(
    *(
        declare(code, label, "count", _ALL_VISITS, sheet="visits")
        for code, (label, _q) in _VISIT_COUNTS.items()
    )
)
def visit_counts(month: Month) -> dict[str, Figures]:
    out: dict[str, Figures] = defaultdict(dict)
    visits = Visit.objects.filter(visited_at__gte=month.start, visited_at__lt=month.end)
    counted = {code: Count("id", filter=q) for code, (_label, q) in _VISIT_COUNTS.items()}
    for code, row in _by_village(visits, "elder__residence_id", **counted).items():
        for m in _VISIT_COUNTS:
            out[m][code] = (row[m], None)
    return out


# --- the registry and assessments ------------------------------------------------------------

_BY_GRADE = _("Registered elders by their valid grade.")
_LEVEL_METRICS = (
    (
        "self_care",
        _("Self-care elders"),
        _("Registered elders whose valid grade the pack's grade mapping calls self-care (自理)."),
    ),
    (
        "semi_disabled",
        _("Semi-disabled elders"),
        _("Registered elders whose valid grade the pack's grade mapping calls semi-disabled (半失能)."),
    ),
    (
        "disabled",
        _("Disabled elders"),
        _("Registered elders whose valid grade the pack's grade mapping calls disabled (失能)."),
    ),
)
_GRADE_LABELS = (
    _("Grade: intact"),
    _("Grade: mild impairment"),
    _("Grade: moderate impairment"),
    _("Grade: severe impairment"),
    _("Grade: complete impairment"),
)


@metric(
    "registered_elders",
    _("Registered elders"),
    "count",
    _("Registered at the end of the month."),
    sheet="assessments",
)
def registered_elders(month: Month) -> Figures:
    return {code: (row["n"], None) for code, row in month.registered_by_village.items()}


@metrics(
    declare(
        "assessment_coverage",
        _("Assessment coverage"),
        "rate",
        _("Registered elders with a valid ability assessment (own or recognised) at the end of the month."),
        sheet="assessments",
    ),
    *(declare(f"grade_{g}", _GRADE_LABELS[g], "count", _BY_GRADE, sheet="assessments") for g in range(5)),
    *(
        declare(f"level_{level}", label, "count", definition, sheet="assessments")
        for level, label, definition in _LEVEL_METRICS
    ),
)
def assessment_coverage(month: Month) -> dict[str, Figures]:
    out: dict[str, Figures] = defaultdict(dict)
    grades = grades_by_residence(month.last, registered_q(month.last))
    mappings: dict[str, GradeMapping] = {}
    for code, row in month.registered_by_village.items():
        counts = grades.get(code, {})
        out["assessment_coverage"][code] = (sum(counts.values()), row["n"])
        for g in range(5):
            out[f"grade_{g}"][code] = (counts.get(g, 0), None)
        # 自理 / 半失能 / 失能 as the pack in force at the village's county maps the grades.
        county = code[:6].ljust(12, "0")
        if county not in mappings:
            mappings[county] = grade_mapping(county)
        for level in LEVELS:
            out[f"level_{level}"][code] = (
                sum(counts.get(g, 0) for g in mappings[county].grades_of(level)),
                None,
            )
    return out


@metrics(
    declare(
        "care_home",
        _("9073: cared for at home"),
        "rate",
        _("Registered elders not in an institution and without a service record in the month."),
        sheet="care",
    ),
    declare(
        "care_community",
        _("9073: community services"),
        "rate",
        _("Registered elders not in an institution with at least one service record in the month."),
        sheet="care",
    ),
    declare(
        "care_institution",
        _("9073: in an institution"),
        "rate",
        _("Registered elders living in an institution."),
        sheet="care",
    ),
)
def care_9073(month: Month) -> dict[str, Figures]:
    out: dict[str, Figures] = defaultdict(dict)
    for code, row in month.registered_by_village.items():
        n = row["n"]
        out["care_institution"][code] = (row["inst"], n)
        out["care_community"][code] = (row["comm"], n)
        out["care_home"][code] = (n - row["inst"] - row["comm"], n)
    return out


# --- facilities ---------------------------------------------------------------------------------

_BY_STAR = _("Operating facilities by their latest star rating.")
_STAR_LABELS = (
    _("Facilities rated 1 star"),
    _("Facilities rated 2 stars"),
    _("Facilities rated 3 stars"),
    _("Facilities rated 4 stars"),
    _("Facilities rated 5 stars"),
)
_FACILITY_COUNTS = {
    "day_care_centres": Q(kind=FacilityKind.DAY_CARE),
    "home_care_stations": Q(kind=FacilityKind.STATION),
    "canteens": Q(kind=FacilityKind.CANTEEN),
    "mutual_aid_points": Q(kind=FacilityKind.MUTUAL_AID),
    "street_centres": Q(kind__in=(FacilityKind.STREET_CENTRE, FacilityKind.COUNTY_CENTRE)),
    **{f"star_rated_{n}": Q(star=n) for n in range(1, 6)},
}


@metrics(
    declare(
        "street_centre_coverage",
        _("Streets and towns with a comprehensive centre"),
        "rate",
        _(
            "Streets and towns with an operating comprehensive (or county) elder-care centre, over all of them."
        ),
        sheet="facilities",
        card="coverage",
    ),
    declare(
        "community_facility_coverage",
        _("Urban communities with a day-care centre or station"),
        "rate",
        _("Urban communities with an operating day-care centre or home-care station, over all of them."),
        sheet="facilities",
        card="coverage",
    ),
    declare(
        "rural_mutual_aid_coverage",
        _("Villages with a mutual-aid point"),
        "rate",
        _("Rural villages with an operating mutual-aid point (幸福院), over all of them."),
        sheet="facilities",
        card="coverage",
    ),
    declare(
        "beds_per_1000",
        _("Beds per 1,000 elders"),
        "per1000",
        _("Beds of operating facilities in the region per 1,000 registered elders."),
        sheet="facilities",
        card="coverage",
    ),
    declare(
        "nursing_bed_share",
        _("Nursing-bed share"),
        "rate",
        _("Nursing beds over all beds of operating facilities."),
        sheet="facilities",
        card="coverage",
    ),
    declare(
        "public_private_share",
        _("Public institutions run as 公建民营"),
        "rate",
        _("Publicly built, privately run residential facilities over all public residential facilities."),
        sheet="facilities",
        card="coverage",
    ),
    declare(
        "day_care_centres",
        _("Day-care centres"),
        "count",
        _("Operating community day-care centres."),
        sheet="facilities",
    ),
    declare(
        "home_care_stations",
        _("Home-care stations"),
        "count",
        _("Operating home-care service stations."),
        sheet="facilities",
    ),
    declare(
        "canteens",
        _("Elder canteens"),
        "count",
        _("Operating elder canteens and meal points."),
        sheet="facilities",
    ),
    declare(
        "mutual_aid_points",
        _("Mutual-aid points"),
        "count",
        _("Operating rural mutual-aid points."),
        sheet="facilities",
    ),
    declare(
        "street_centres",
        _("Comprehensive centres"),
        "count",
        _("Operating street/town comprehensive and county elder-care centres."),
        sheet="facilities",
    ),
    *(
        declare(f"star_rated_{n}", _STAR_LABELS[n - 1], "count", _BY_STAR, sheet="facilities")
        for n in range(1, 6)
    ),
)
def facility_network(month: Month) -> dict[str, Figures]:
    """Counts keyed by the facility's own region (street or community), summed up the tree;
    coverage keyed by the street or community it describes (1 or 0 over 1), so a district's
    coverage is covered streets over all its streets. One grouped query and one region scan."""
    out: dict[str, Figures] = defaultdict(dict)
    city_q = Q(pk__in=[])
    region_q = Q(pk__in=[])
    for city in month.cities:
        city_q |= Q(region__code__startswith=city)
        region_q |= Q(code__startswith=city)
    residential = Q(kind__in=RESIDENTIAL_KINDS)
    public = residential & Q(ownership__in=(Ownership.PUBLIC, Ownership.PUBLIC_PRIVATE))
    rows = (
        operating_on(month.last)
        .filter(city_q)
        .values("region_id")
        .annotate(
            **{m: Count("id", filter=q) for m, q in _FACILITY_COUNTS.items()},
            beds_total=Coalesce(Sum("beds"), 0),
            nursing_total=Coalesce(Sum("nursing_beds"), 0),
            public_n=Count("id", filter=public),
            public_private_n=Count("id", filter=public & Q(ownership=Ownership.PUBLIC_PRIVATE)),
        )
        .order_by()
    )
    beds: Figures = {}
    covered: dict[str, set[str]] = {"town": set(), "community": set(), "mutual_aid": set()}
    for row in rows:
        code = row["region_id"]
        for m in _FACILITY_COUNTS:
            if row[m]:
                out[m][code] = (row[m], None)
        if row["beds_total"]:
            beds[code] = (row["beds_total"], 0)
            out["nursing_bed_share"][code] = (row["nursing_total"], row["beds_total"])
        if row["public_n"]:
            out["public_private_share"][code] = (row["public_private_n"], row["public_n"])
        if row["street_centres"]:
            covered["town"].add(code[:9] + "000")
        if row["day_care_centres"] or row["home_care_stations"]:
            covered["community"].add(code)
        if row["mutual_aid_points"]:
            covered["mutual_aid"].add(code)
    out["beds_per_1000"] = month.per_elder(beds)
    towns_and_villages = Region.objects.filter(level__in=("town", "village")).filter(region_q)
    for code, level, kind in towns_and_villages.values_list("code", "level", "kind").iterator(
        chunk_size=5000
    ):
        if level == "town":
            out["street_centre_coverage"][code] = (int(code in covered["town"]), 1)
        elif kind == "urban":
            out["community_facility_coverage"][code] = (int(code in covered["community"]), 1)
        else:
            out["rural_mutual_aid_coverage"][code] = (int(code in covered["mutual_aid"]), 1)
    return out


@metric(
    "family_care_beds",
    _("Family care beds"),
    "count",
    _("Family care beds in service at the end of the month, by the elder's community."),
    sheet="facilities",
    card="coverage",
)
def family_care_beds(month: Month) -> Figures:
    beds = (
        FamilyCareBed.objects.filter(set_up_on__lte=month.last)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=month.last))
        .exclude(status="closed", closed_on__isnull=True)
    )
    return {
        code: (row["n"], None)
        for code, row in _by_village(beds, "elder__residence_id", n=Count("id")).items()
    }


@metric(
    "residents_assessed",
    _("Assessment coverage of institution residents"),
    "rate",
    _("Elders living in a facility at the end of the month who hold a valid ability assessment."),
    sheet="facilities",
    card="coverage",
)
def residents_assessed(month: Month) -> Figures:
    return _assessed_share(month, Q(pk__in=residents_at(month.last).values("pk")))


# --- subsidies ----------------------------------------------------------------------------------


@metrics(
    declare(
        "subsidy_recipients",
        _("Subsidy recipients"),
        "count",
        _(
            "Elders with at least one payment for the month (returned payments and payments taken out of a roll excluded)."
        ),
        sheet="subsidies",
        per_scheme=True,
    ),
    declare(
        "subsidy_amount",
        _("Subsidy paid (yuan)"),
        "money",
        _("Payments for the month; the numerator is in fen, the value in yuan."),
        sheet="subsidies",
        per_scheme=True,
    ),
)
def subsidies_paid(month: Month) -> dict[str, Figures]:
    """Elders' subsidies, also per scheme; payments to facilities and caregivers are no village's."""
    out: dict[str, Figures] = defaultdict(dict)
    payments = Payment.objects.filter(period=month.period, entitlement__elder__isnull=False).exclude(
        status__in=NOT_COUNTED
    )
    for code, row in _by_village(
        payments,
        "entitlement__elder__residence_id",
        people=Count("entitlement__elder_id", distinct=True),
        total=Sum("amount"),
    ).items():
        out["subsidy_recipients"][code] = (row["people"], None)
        out["subsidy_amount"][code] = (int((row["total"] or 0) * 100), None)
    per_scheme = (
        payments.values("entitlement__elder__residence_id", "entitlement__scheme__code")
        .annotate(people=Count("entitlement__elder_id", distinct=True), total=Sum("amount"))
        .order_by()
    )
    for row in per_scheme:
        code, scheme = row["entitlement__elder__residence_id"], row["entitlement__scheme__code"]
        out[f"subsidy_recipients.{scheme}"][code] = (row["people"], None)
        out[f"subsidy_amount.{scheme}"][code] = (int((row["total"] or 0) * 100), None)
    return out


@metrics(
    declare(
        "subsidy_unclaimed",
        _("Eligible but not receiving (应享未享)"),
        "count",
        _(
            "Registered elders who meet an active scheme's conditions at the end of the month but hold no "
            "live entitlement to it, summed over the schemes."
        ),
        sheet="subsidies",
        per_scheme=True,
    )
)
def subsidy_unclaimed(month: Month) -> dict[str, Figures]:
    """应享未享 per scheme in force: eligible elders without a live entitlement, one query each."""
    out: dict[str, Figures] = defaultdict(dict)
    schemes = Scheme.objects.filter(active=True, beneficiary="elder", effective_from__lte=month.last).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=month.last)
    )
    for scheme in schemes.select_related("region"):
        for code, row in _by_village(unclaimed(scheme, month.last), "residence_id", n=Count("id")).items():
            out[f"subsidy_unclaimed.{scheme.code}"][code] = (row["n"], None)
            total, _none = out["subsidy_unclaimed"].get(code, (0, None))
            out["subsidy_unclaimed"][code] = (total + row["n"], None)
    return out


@metric(
    "recipients_assessed",
    _("Assessment coverage of subsidy recipients"),
    "rate",
    _("Elders with a live entitlement at the end of the month who hold a valid ability assessment."),
    sheet="subsidies",
    card="coverage",
)
def recipients_assessed(month: Month) -> Figures:
    recipients = Q(
        pk__in=Entitlement.objects.filter(first_period__lte=month.period)
        .exclude(status="stopped", last_period__lt=month.period)
        .exclude(status="suspended")
        .values("elder_id")
    )
    return _assessed_share(month, recipients)


# --- workforce ----------------------------------------------------------------------------------


@metrics(
    declare(
        "caregivers_per_10k",
        _("Caregivers per 10,000 elders"),
        "per10k",
        _("Caregivers employed by filed providers of the region, per 10,000 registered elders."),
        sheet="workforce",
    ),
    declare(
        "caregivers_certified",
        _("Certified caregivers"),
        "rate",
        _("Share of employed caregivers with a certificate valid at the end of the month."),
        sheet="workforce",
    ),
)
def caregivers(month: Month) -> dict[str, Figures]:
    carers = Caregiver.objects.filter(active=True, provider__filing_status="filed")
    employed: Figures = {}
    certified: Figures = {}
    for code, row in _by_village(
        carers,
        "provider__region_id",
        n=Count("id"),
        certified=Count("id", filter=Q(certificate_expires__gte=month.last) & ~Q(certificate_number="")),
    ).items():
        certified[code] = (row["certified"], row["n"])
        employed[code] = (row["n"], 0)
    return {"caregivers_certified": certified, "caregivers_per_10k": month.per_elder(employed)}


# --- what the documents' plan targets measure ---------------------------------------------------
# Each is the figure a target of a pack is judged on (plans/): the pack's metric names these codes.

_COMMUNITY_CENTRES = (FacilityKind.DAY_CARE, FacilityKind.MUTUAL_AID)  # 村(社区)居家养老服务(照料)中心
_COMMUNITY_SITES = (
    FacilityKind.DAY_CARE,
    FacilityKind.STATION,
    FacilityKind.MUTUAL_AID,
    FacilityKind.STREET_CENTRE,
)
_NURSING_CENTRES = (FacilityKind.DAY_CARE, FacilityKind.STATION, FacilityKind.STREET_CENTRE)
_COUNTY_CENTRES = (
    FacilityKind.COUNTY_CENTRE,
    FacilityKind.TEKUN_HOME,
)  # 县级中心, 特困供养服务中心/中心敬老院
_PUBLIC = (Ownership.PUBLIC, Ownership.PUBLIC_PRIVATE, Ownership.STATE_OWNED)
_SOCIALLY_RUN = (Ownership.PUBLIC_PRIVATE, Ownership.PRIVATE)


def _share(
    kind_of_row: Callable[[tuple], bool], counted: Callable[[tuple], bool], rows: list[tuple]
) -> Figures:
    """Per region: rows of a kind that are counted, over all rows of that kind."""
    out: dict[str, list[int]] = {}
    for row in rows:
        if kind_of_row(row):
            acc = out.setdefault(row[0], [0, 0])
            acc[0] += int(counted(row))
            acc[1] += 1
    return {code: (num, den) for code, (num, den) in out.items()}


def _count(
    counted: Callable[[tuple], bool], rows: list[tuple], amount: Callable[[tuple], int] = lambda r: 1
) -> Figures:
    out: dict[str, int] = defaultdict(int)
    for row in rows:
        if counted(row):
            out[row[0]] += amount(row)
    return {code: (n, None) for code, n in out.items() if n}


@metrics(
    declare(
        "centres_three_star_plus",
        _("Care centres of three stars or more"),
        "count",
        _(
            "Operating community day-care centres and rural mutual-aid points whose latest star rating is 3 or more."
        ),
        sheet="facilities",
    ),
    declare("beds_total", _("Beds"), "count", _("Beds of operating facilities."), sheet="facilities"),
    declare(
        "public_institution_beds",
        _("Beds of public institutions"),
        "count",
        _(
            "Beds of operating residential facilities that are public, publicly built and privately run, or state-owned."
        ),
        sheet="facilities",
    ),
    declare(
        "medical_care_institutions",
        _("Medical-care combined institutions"),
        "count",
        _("Operating medical-care combined institutions."),
        sheet="facilities",
    ),
    declare(
        "institutions_medical_share",
        _("Institutions offering medical care"),
        "rate",
        _("Operating residential facilities that offer medical care, over all of them."),
        sheet="facilities",
    ),
    declare(
        "institutions_home_service_share",
        _("Institutions serving elders at home"),
        "rate",
        _("Operating residential facilities that offer home services, over all of them."),
        sheet="facilities",
    ),
    declare(
        "institutions_rated_share",
        _("Star-rated institutions"),
        "rate",
        _("Operating residential facilities with a star rating, over all of them."),
        sheet="facilities",
    ),
    declare(
        "private_institution_share",
        _("Private institutions"),
        "rate",
        _("Privately owned operating residential facilities, over all of them."),
        sheet="facilities",
    ),
    declare(
        "rehab_area_share",
        _("Institutions and community sites with rehabilitation"),
        "rate",
        _(
            "Operating residential facilities, day-care centres, stations, mutual-aid points and street centres that "
            "offer rehabilitation and nursing, over all of them."
        ),
        sheet="facilities",
    ),
    declare(
        "nursing_capable_centres",
        _("Community centres with nursing care"),
        "count",
        _(
            "Operating day-care centres, home-care stations and street centres that offer rehabilitation and nursing."
        ),
        sheet="facilities",
    ),
    declare(
        "socially_run_centres",
        _("Socially run community centres"),
        "count",
        _(
            "Operating day-care centres and mutual-aid points that are publicly built and privately run, or private."
        ),
        sheet="facilities",
    ),
    declare(
        "county_centres",
        _("County elder-care centres"),
        "count",
        _("Operating county elder-care centres and support homes for extreme-poverty elders."),
        sheet="facilities",
    ),
    declare(
        "street_comprehensive_centres",
        _("Street/town comprehensive centres"),
        "count",
        _("Operating street/town comprehensive elder-care centres."),
        sheet="facilities",
    ),
)
def facility_details(month: Month) -> dict[str, Figures]:
    """Per facility region, from one read of the operating facilities (kind, ownership, functions,
    star, beds): the facility functions are a list, counted here rather than in SQL."""
    rows = list(
        operating_on(month.last)
        .filter(month.under_cities("region__code"))
        .values_list("region_id", "kind", "ownership", "functions", "star", "beds")
    )
    residential = set(RESIDENTIAL_KINDS)

    def offers(row, function):
        return function in (row[3] or [])

    def is_residential(row):
        return row[1] in residential

    return {
        "centres_three_star_plus": _count(lambda r: r[1] in _COMMUNITY_CENTRES and (r[4] or 0) >= 3, rows),
        "beds_total": _count(lambda r: r[5] > 0, rows, amount=lambda r: r[5]),
        "public_institution_beds": _count(
            lambda r: is_residential(r) and r[2] in _PUBLIC and r[5] > 0, rows, amount=lambda r: r[5]
        ),
        "medical_care_institutions": _count(lambda r: r[1] == FacilityKind.MEDICAL_CARE, rows),
        "institutions_medical_share": _share(is_residential, lambda r: offers(r, "medical"), rows),
        "institutions_home_service_share": _share(is_residential, lambda r: offers(r, "home_service"), rows),
        "institutions_rated_share": _share(is_residential, lambda r: r[4] is not None, rows),
        "private_institution_share": _share(is_residential, lambda r: r[2] == Ownership.PRIVATE, rows),
        "rehab_area_share": _share(
            lambda r: is_residential(r) or r[1] in _COMMUNITY_SITES,
            lambda r: offers(r, "rehab_nursing"),
            rows,
        ),
        "nursing_capable_centres": _count(
            lambda r: r[1] in _NURSING_CENTRES and offers(r, "rehab_nursing"), rows
        ),
        "socially_run_centres": _count(lambda r: r[1] in _COMMUNITY_CENTRES and r[2] in _SOCIALLY_RUN, rows),
        "county_centres": _count(lambda r: r[1] in _COUNTY_CENTRES, rows),
        "street_comprehensive_centres": _count(lambda r: r[1] == FacilityKind.STREET_CENTRE, rows),
    }


@metrics(
    declare(
        "day_care_centres_built",
        _("Day-care centres built"),
        "count",
        _("Community day-care centres built or operating at the end of the month (建成)."),
        sheet="facilities",
    ),
    declare(
        "county_centres_built",
        _("County elder-care centres built"),
        "count",
        _("County elder-care centres and support homes built or operating at the end of the month."),
        sheet="facilities",
    ),
    declare(
        "street_comprehensive_centres_built",
        _("Street/town comprehensive centres built"),
        "count",
        _("Street/town comprehensive elder-care centres built or operating at the end of the month."),
        sheet="facilities",
    ),
)
def facilities_built(month: Month) -> dict[str, Figures]:
    kinds = {
        "day_care_centres_built": Q(kind=FacilityKind.DAY_CARE),
        "county_centres_built": Q(kind__in=_COUNTY_CENTRES),
        "street_comprehensive_centres_built": Q(kind=FacilityKind.STREET_CENTRE),
    }
    rows = _by_village(
        built_by(month.last).filter(month.under_cities("region__code")),
        "region_id",
        **{m: Count("id", filter=q) for m, q in kinds.items()},
    )
    return {m: {code: (row[m], None) for code, row in rows.items() if row[m]} for m in kinds}


@metrics(
    declare(
        "town_facility_coverage",
        _("Towns with an elder-care facility"),
        "rate",
        _(
            "Towns and townships (not streets) with at least one operating facility in them, over all of them."
        ),
        sheet="facilities",
    ),
    declare(
        "village_facility_coverage",
        _("Villages with an elder-care facility"),
        "rate",
        _("Rural villages with at least one operating facility, over all of them."),
        sheet="facilities",
    ),
    declare(
        "urban_street_centre_coverage",
        _("Streets with a comprehensive centre"),
        "rate",
        _(
            "Streets (not towns) with an operating comprehensive or county elder-care centre, over all of them."
        ),
        sheet="facilities",
    ),
)
def facility_coverage(month: Month) -> dict[str, Figures]:
    """Coverage keyed by the town or village it describes (1 or 0 over 1), like the network's."""
    placed = list(
        operating_on(month.last)
        .filter(month.under_cities("region__code"))
        .values_list("region_id", "kind")
        .distinct()
    )
    towns_served = {code[:9] + "000" for code, _kind in placed}
    villages_served = {code for code, _kind in placed if not code.endswith("000")}
    centres = (FacilityKind.STREET_CENTRE, FacilityKind.COUNTY_CENTRE)
    streets_with_centre = {code[:9] + "000" for code, kind in placed if kind in centres}
    out: dict[str, Figures] = defaultdict(dict)
    divisions = Region.objects.filter(level__in=("town", "village")).filter(month.under_cities("code"))
    for code, level, kind in divisions.values_list("code", "level", "kind").iterator(chunk_size=5000):
        if level == "town" and kind == "rural":
            out["town_facility_coverage"][code] = (int(code in towns_served), 1)
        elif level == "town":
            out["urban_street_centre_coverage"][code] = (int(code in streets_with_centre), 1)
        elif kind == "rural":
            out["village_facility_coverage"][code] = (int(code in villages_served), 1)
    return out


@metrics(
    declare(
        "filed_providers",
        _("Filed elder-care providers"),
        "count",
        _("Providers filed (备案) by the end of the month, by the region they serve."),
        sheet="workforce",
    ),
    declare(
        "filed_social_orgs",
        _("Filed elder-care social organisations"),
        "count",
        _("Filed providers registered as social organisations (社会服务机构)."),
        sheet="workforce",
    ),
)
def providers_filed(month: Month) -> dict[str, Figures]:
    filed = Provider.objects.filter(filing_status="filed").filter(
        Q(filed_on__isnull=True) | Q(filed_on__lte=month.last)
    )
    rows = _by_village(
        filed, "region_id", n=Count("id"), social=Count("id", filter=Q(kind=ProviderKind.SOCIAL_ORG))
    )
    return {
        "filed_providers": {code: (row["n"], None) for code, row in rows.items()},
        "filed_social_orgs": {code: (row["social"], None) for code, row in rows.items() if row["social"]},
    }


@metric(
    "respite_households",
    _("Respite service: elders served this year"),
    "count",
    _(
        "Elders with a respite-service record from 1 January to the end of the month (one elder read as one household)."
    ),
    sheet="care",
)
def respite_households(month: Month) -> Figures:
    _first, _last, start, _end = period_bounds(f"{month.last.year}-01")
    records = ServiceRecord.objects.filter(
        kind=ServiceKind.RESPITE, started_at__gte=start, started_at__lt=month.end
    )
    return {
        code: (row["n"], None)
        for code, row in _by_village(
            records, "elder__residence_id", n=Count("elder_id", distinct=True)
        ).items()
    }
