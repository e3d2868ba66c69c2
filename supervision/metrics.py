"""Supervision's monthly figures (registered with reports.metrics; the monthly job computes them).

Facilities count at their own region, operators at the provider's region, ratings at the
provider's region (so a provider's own region shows its monthly score), complaints at theirs,
estates' room checks at the estate's community, operator reviews at the facility's region.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from facilities.selectors import operating_on
from reports.metrics import Figures, Month, _by_village, declare, metrics
from services.choices import CreditKind
from services.models import CreditRecord

from .choices import InspectionStatus, RoomStatus, SafetyRisk
from .models import (
    Complaint,
    EstateRoomCheck,
    Finding,
    Inspection,
    OperatorReview,
    RectificationOrder,
    ServiceRating,
)

_RISK_METRICS = {risk: f"findings_{risk}" for risk in SafetyRisk.values}


def judged_on(month: Month, today: date | None = None) -> date:
    """The day a month's lateness is judged on: its last day once it is over, today while it is
    in progress (a deadline later this month has not passed yet and is not late)."""
    return min(month.last, today or timezone.localdate())


@metrics(
    declare(
        "inspection_coverage",
        _("Inspection coverage this year"),
        "rate",
        _("Facilities operating at the end of the month that were inspected since 1 January."),
        sheet="supervision",
        card="supervision",
    ),
    declare(
        "findings",
        # Not "Findings": the re-inspection form's field has that word (复查情况).
        _("Inspection findings"),
        "count",
        _("Checklist items found not met in the month's inspections."),
        sheet="supervision",
        card="supervision",
    ),
    *[
        declare(
            code,
            format_lazy(_("Findings: {risk}"), risk=SafetyRisk(risk).label),
            "count",
            _("Findings of the month on this safety risk of GB 38600-2019."),
            sheet="supervision",
        )
        for risk, code in _RISK_METRICS.items()
    ],
)
def inspections(month: Month) -> dict[str, Figures]:
    year_start = date(month.last.year, 1, 1)
    done = Inspection.objects.filter(
        facility_id=OuterRef("pk"),
        status=InspectionStatus.DONE,
        inspected_on__gte=year_start,
        inspected_on__lte=month.last,
    )
    coverage = {
        code: (row["inspected"], row["n"])
        for code, row in _by_village(
            operating_on(month.last).alias(inspected=Exists(done)),
            "region_id",
            n=Count("id"),
            inspected=Count("id", filter=Q(inspected=True)),
        ).items()
    }
    found = Finding.objects.filter(found_on__gte=month.first, found_on__lte=month.last)
    by_region = _by_village(
        found,
        "inspection__facility__region_id",
        n=Count("id"),
        **{code: Count("id", filter=Q(risk=risk)) for risk, code in _RISK_METRICS.items()},
    )
    out: dict[str, Figures] = {"inspection_coverage": coverage, "findings": {}}
    for code in _RISK_METRICS.values():
        out[code] = {}
    for region, row in by_region.items():
        out["findings"][region] = (row["n"], None)
        for code in _RISK_METRICS.values():
            out[code][region] = (row[code], None)
    return out


@metrics(
    declare(
        "rectifications_open",
        _("Rectification orders open"),
        "count",
        _("Rectification orders issued by the end of the month and not closed or escalated by then."),
        sheet="supervision",
        card="supervision",
    ),
    declare(
        "rectifications_overdue",
        _("Rectification orders overdue"),
        "count",
        _(
            "Open rectification orders whose deadline passed before the end of the month (for the "
            "month in progress: before today)."
        ),
        sheet="supervision",
        card="supervision",
    ),
)
def rectifications(month: Month) -> dict[str, Figures]:
    open_ = RectificationOrder.objects.filter(issued_on__lte=month.last).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=month.last)
    )
    rows = _by_village(
        open_,
        "facility__region_id",
        n=Count("id"),
        overdue=Count("id", filter=Q(deadline__lt=judged_on(month))),
    )
    return {
        "rectifications_open": {c: (r["n"], None) for c, r in rows.items()},
        "rectifications_overdue": {c: (r["overdue"], None) for c, r in rows.items()},
    }


@metrics(
    declare(
        "complaints_received",
        _("Complaints received"),
        "count",
        _("Complaints taken in during the month, by the region of what they are about."),
        sheet="supervision",
        card="supervision",
    ),
    declare(
        "complaints_on_time",
        _("Complaints handled on time"),
        "rate",
        _(
            "Of the complaints due in the month, those replied to by their deadline (for the month "
            "in progress: of those whose deadline has passed or that were replied to)."
        ),
        sheet="supervision",
        card="supervision",
    ),
)
def complaints(month: Month) -> dict[str, Figures]:
    received = _by_village(
        Complaint.objects.filter(received_at__gte=month.start, received_at__lt=month.end),
        "region_id",
        n=Count("id"),
    )
    # While the month is in progress a complaint due later on (or today) and not yet replied to is
    # not late: it is judged once its deadline has passed or its reply is in. (A month that is over
    # has every deadline behind it.)
    due = _by_village(
        Complaint.objects.filter(deadline__gte=month.first, deadline__lte=month.last).filter(
            Q(deadline__lt=timezone.localdate()) | Q(replied_at__isnull=False)
        ),
        "region_id",
        n=Count("id"),
        on_time=Count("id", filter=Q(replied_at__date__lte=F("deadline"))),
    )
    return {
        "complaints_received": {c: (r["n"], None) for c, r in received.items()},
        "complaints_on_time": {c: (r["on_time"], r["n"]) for c, r in due.items()},
    }


@metrics(
    declare(
        "service_satisfaction",
        _("Service satisfaction"),
        "average",
        _("Mean score (1-5) of the month's ratings of providers' services, at the provider's region."),
        sheet="supervision",
        card="supervision",
    ),
)
def satisfaction(month: Month) -> dict[str, Figures]:
    rows = _by_village(
        ServiceRating.objects.filter(
            provider__isnull=False, rated_on__gte=month.first, rated_on__lte=month.last
        ),
        "provider__region_id",
        n=Count("id"),
        total=Sum("score"),
    )
    return {"service_satisfaction": {c: (r["total"], r["n"]) for c, r in rows.items()}}


@metrics(
    declare(
        "operators_warned",
        _("Operators under a credit warning"),
        "count",
        _("Providers with a credit warning in force at the end of the month."),
        sheet="supervision",
        card="supervision",
    ),
    declare(
        "operators_blacklisted",
        _("Operators blacklisted"),
        "count",
        _("Providers blacklisted at the end of the month."),
        sheet="supervision",
        card="supervision",
    ),
)
def credit(month: Month) -> dict[str, Figures]:
    in_force = CreditRecord.objects.filter(starts_on__lte=month.last).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=month.last)
    )
    rows = _by_village(
        in_force,
        "provider__region_id",
        warned=Count("provider", distinct=True, filter=Q(kind=CreditKind.WARNING)),
        blacklisted=Count("provider", distinct=True, filter=Q(kind=CreditKind.BLACKLIST)),
    )
    return {
        "operators_warned": {c: (r["warned"], None) for c, r in rows.items()},
        "operators_blacklisted": {c: (r["blacklisted"], None) for c, r in rows.items()},
    }


# The yearly checks of estates' rooms and reviews of operators are figures of the year so far: a
# month counts what was checked (reviewed) for its own year by its last day.


@metrics(
    declare(
        "estates_checked",
        _("Estates checked this year"),
        "count",
        _(
            "Residential estates whose elder-care room (配建) was checked for the year of the month, "
            "by the end of the month, at the estate's community."
        ),
        sheet="supervision",
        card="supervision",
    ),
    declare(
        "estate_rooms_in_use",
        _("Estate rooms in use"),
        "count",
        _("Of the estates checked this year, those whose room was handed over and is in use."),
        sheet="supervision",
        card="supervision",
    ),
    declare(
        "estate_rooms_diverted",
        _("Estate rooms demolished or diverted"),
        "count",
        _("Of the estates checked this year, those whose room was demolished or put to another use."),
        sheet="supervision",
        card="supervision",
    ),
    declare(
        "estate_rooms_compliant",
        _("Estate rooms meeting the standard"),
        "rate",
        _(
            "Of the estates checked this year whose room could be judged against the space standard, "
            "those that met it."
        ),
        sheet="supervision",
        card="supervision",
    ),
)
def estate_rooms(month: Month) -> dict[str, Figures]:
    rows = _by_village(
        EstateRoomCheck.objects.filter(year=month.last.year, checked_on__lte=month.last),
        "estate__region_id",
        n=Count("id"),
        in_use=Count("id", filter=Q(status=RoomStatus.IN_USE)),
        diverted=Count("id", filter=Q(status=RoomStatus.DIVERTED)),
        judged=Count("id", filter=Q(meets_standard__isnull=False)),
        met=Count("id", filter=Q(meets_standard=True)),
    )
    return {
        "estates_checked": {c: (r["n"], None) for c, r in rows.items()},
        "estate_rooms_in_use": {c: (r["in_use"], None) for c, r in rows.items()},
        "estate_rooms_diverted": {c: (r["diverted"], None) for c, r in rows.items()},
        "estate_rooms_compliant": {c: (r["met"], r["judged"]) for c, r in rows.items() if r["judged"]},
    }


@metrics(
    declare(
        "operator_reviews",
        _("公建民营 operators reviewed this year"),
        "count",
        _("Yearly performance reviews of 公建民营 operators for the year of the month, made by its end."),
        sheet="supervision",
        card="supervision",
    ),
    declare(
        "operator_reviews_passed",
        _("公建民营 operators passing their review"),
        "count",
        _("Of this year's reviews of 公建民营 operators, those reaching the pack's pass score."),
        sheet="supervision",
        card="supervision",
    ),
    declare(
        "operator_reviews_pass_rate",
        _("Share of 公建民营 reviews passed"),
        "rate",
        _("Of this year's reviews of 公建民营 operators, the share reaching the pack's pass score."),
        sheet="supervision",
        card="supervision",
    ),
)
def operator_reviews(month: Month) -> dict[str, Figures]:
    rows = _by_village(
        OperatorReview.objects.filter(year=month.last.year, reviewed_on__lte=month.last),
        "facility__region_id",
        n=Count("id"),
        passed=Count("id", filter=Q(passed=True)),
    )
    return {
        "operator_reviews": {c: (r["n"], None) for c, r in rows.items()},
        "operator_reviews_passed": {c: (r["passed"], None) for c, r in rows.items()},
        "operator_reviews_pass_rate": {c: (r["passed"], r["n"]) for c, r in rows.items()},
    }
