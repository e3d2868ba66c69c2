"""Every monthly metric: one declaration and the function that computes it.

A declaration says what the metric is called, what kind of figure it is (the kind fixes how
its value is scaled from numerator and denominator), how it is defined (the dashboard shows
the definition), on which sheet of the month's workbook it stands and whether it is a card
of the dashboard. The decorated function computes the month's figures per village (or per
street, for facilities and coverage of streets) as (numerator, denominator); the monthly job
(reports.services.compute_month) runs every registered function and sums the figures up the
region tree. A new metric is one decorated function here (and its translated label).

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
from facilities.selectors import operating_on, residents_at
from policies.grades import LEVELS, GradeMapping, grade_mapping
from regions.models import Region
from services.models import Caregiver, ServiceRecord, Visit
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
}

# The sheets of the month's workbook, in order.
SHEETS = {
    "visits": _("Visits"),
    "assessments": _("Assessments"),
    "care": _("9073"),
    "facilities": _("Facilities"),
    "subsidies": _("Subsidies"),
    "workforce": _("Workforce"),
}

# The dashboard's panels of metric cards.
CARDS = {"coverage": _("Coverage and beds")}


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


def registered_at(last: date) -> QuerySet[Elder]:
    """Elders registered (在册) at the end of a day: a later death or move does not remove them."""
    return Elder.objects.filter(registered_on__lte=last).filter(
        Q(status="registered") | Q(status_date__gt=last)
    )


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

    def per_elder(self, counts: Figures) -> Figures:
        """Counts of a region over its registered elders: every village with elders gets a
        figure (0 where nothing is counted); a count at a street keeps a zero denominator, so the
        street's own centre counts against its villages' elders once summed up the tree."""
        out = {code: (num, 0) for code, (num, _den) in counts.items()}
        for code, row in self.registered_by_village.items():
            out[code] = (counts.get(code, (0, None))[0], row["n"])
        return out


def _assessed_share(month: Month, elders: QuerySet[Elder]) -> Figures:
    """Per village: of these elders, those with a valid ability result at the month's end."""
    graded = grades_by_residence(month.last, elders)
    return {
        code: (sum(graded.get(code, {}).values()), row["n"])
        for code, row in _by_village(elders, "residence_id", n=Count("id")).items()
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
        "visit_target_group", _("Elders in the visit target group"), "count", _("The month's frozen list."),
        sheet="visits",
    ),
    declare("target_alone", _("Target group: living alone"), "count", _FROZEN, sheet="visits"),
    declare("target_empty_nest", _("Target group: empty nest"), "count", _FROZEN, sheet="visits"),
    declare("target_left_behind", _("Target group: left behind"), "count", _FROZEN, sheet="visits"),
    declare("target_severe_disability", _("Target group: severe disability"), "count", _FROZEN, sheet="visits"),
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


@metrics(*(declare(code, label, "count", _ALL_VISITS, sheet="visits") for code, (label, _q) in _VISIT_COUNTS.items()))
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
    grades = grades_by_residence(month.last, month.registered)
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
            out[f"level_{level}"][code] = (sum(counts.get(g, 0) for g in mappings[county].grades_of(level)), None)
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
        _("Streets and towns with an operating comprehensive (or county) elder-care centre, over all of them."),
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
    declare("day_care_centres", _("Day-care centres"), "count", _("Operating community day-care centres."), sheet="facilities"),
    declare(
        "home_care_stations", _("Home-care stations"), "count", _("Operating home-care service stations."),
        sheet="facilities",
    ),
    declare("canteens", _("Elder canteens"), "count", _("Operating elder canteens and meal points."), sheet="facilities"),
    declare("mutual_aid_points", _("Mutual-aid points"), "count", _("Operating rural mutual-aid points."), sheet="facilities"),
    declare(
        "street_centres",
        _("Comprehensive centres"),
        "count",
        _("Operating street/town comprehensive and county elder-care centres."),
        sheet="facilities",
    ),
    *(declare(f"star_rated_{n}", _STAR_LABELS[n - 1], "count", _BY_STAR, sheet="facilities") for n in range(1, 6)),
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
    for code, level, kind in towns_and_villages.values_list("code", "level", "kind").iterator(chunk_size=5000):
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
    return {code: (row["n"], None) for code, row in _by_village(beds, "elder__residence_id", n=Count("id")).items()}


@metric(
    "residents_assessed",
    _("Assessment coverage of institution residents"),
    "rate",
    _("Elders living in a facility at the end of the month who hold a valid ability assessment."),
    sheet="facilities",
    card="coverage",
)
def residents_assessed(month: Month) -> Figures:
    return _assessed_share(month, month.registered.filter(pk__in=residents_at(month.last).values("pk")))


# --- subsidies ----------------------------------------------------------------------------------


@metrics(
    declare(
        "subsidy_recipients",
        _("Subsidy recipients"),
        "count",
        _("Elders with at least one payment for the month (returned payments excluded)."),
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
        status="returned"
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
    recipients = month.registered.filter(
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
