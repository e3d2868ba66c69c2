"""Home services' monthly figures: orders, delivery, verification and settlement against the
elders' allowances, and emergency calls (registered with reports.metrics where they are defined;
the monthly job computes them)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from reports.metrics import Figures, Month, _by_village, declare, metrics

from .models import AllowanceMonth, EmergencyCall, Flag, Order, StatementLine

_BY_ELDER = _("Per the elder's community; a service counts in the month it began.")


@metrics(
    declare(
        "homecare_ordered",
        _("Home services ordered"),
        "count",
        _("Orders wanted in the month, not cancelled."),
        sheet="homecare",
        card="homecare",
    ),
    declare(
        "homecare_delivered",
        _("Home services delivered"),
        "count",
        _("Services checked in and out in the month."),
        sheet="homecare",
        card="homecare",
    ),
    declare(
        "homecare_verified",
        _("Home services verified"),
        "count",
        _("Delivered services the elder or family confirmed with their PIN."),
        sheet="homecare",
        card="homecare",
    ),
    declare("homecare_minutes", _("Minutes of home service delivered"), "count", _BY_ELDER, sheet="homecare"),
    declare(
        "homecare_flagged",
        _("Home services flagged by a cross-check"),
        "count",
        _("Delivered services with at least one cross-check finding."),
        sheet="homecare",
        card="homecare",
    ),
)
def homecare_orders(month: Month) -> dict[str, Figures]:
    out: dict[str, Figures] = defaultdict(dict)
    wanted = Order.objects.filter(wanted_at__gte=month.start, wanted_at__lt=month.end).exclude(
        status="cancelled"
    )
    for code, row in _by_village(wanted, "elder__residence_id", n=Count("id")).items():
        out["homecare_ordered"][code] = (row["n"], None)
    delivered = Order.objects.filter(
        checked_in_at__gte=month.start, checked_in_at__lt=month.end, checked_out_at__isnull=False
    ).alias(flagged=Exists(Flag.objects.filter(order_id=OuterRef("pk"))))
    for code, row in _by_village(
        delivered,
        "elder__residence_id",
        n=Count("id"),
        verified=Count("id", filter=Q(status="confirmed")),
        minutes=Coalesce(Sum("minutes"), 0),
        flagged=Count("id", filter=Q(flagged=True)),
    ).items():
        out["homecare_delivered"][code] = (row["n"], None)
        out["homecare_verified"][code] = (row["verified"], None)
        out["homecare_minutes"][code] = (row["minutes"], None)
        out["homecare_flagged"][code] = (row["flagged"], None)
    return out


@metrics(
    declare(
        "homecare_settled",
        _("Home services settled"),
        "count",
        _("Lines of the month's settlement statements."),
        sheet="homecare",
        card="homecare",
    ),
    declare(
        "homecare_paid",
        _("Paid to providers for home services"),
        "money",
        _("What the month's statements pay, within each elder's allowance."),
        sheet="homecare",
        card="homecare",
    ),
    declare(
        "homecare_allowance_granted",
        _("Home-service allowance granted"),
        "money",
        _("Allowances in yuan of the month, with what was carried over."),
        sheet="homecare",
        card="homecare",
    ),
    declare(
        "homecare_allowance_used",
        _("Home-service allowance used"),
        "money",
        _("Allowance in yuan used by the month's settled services."),
        sheet="homecare",
        card="homecare",
    ),
    declare(
        "homecare_allowance_unused",
        _("Home-service allowance unused"),
        "money",
        _("Allowance in yuan not used by settled services (lapsing or carried over per the pack)."),
        sheet="homecare",
        card="homecare",
    ),
)
def homecare_settlement(month: Month) -> dict[str, Figures]:
    out: dict[str, Figures] = defaultdict(dict)
    lines = StatementLine.objects.filter(statement__period=month.period)
    for code, row in _by_village(
        lines, "elder__residence_id", n=Count("id"), paid=Coalesce(Sum("paid"), Decimal(0))
    ).items():
        out["homecare_settled"][code] = (row["n"], None)
        out["homecare_paid"][code] = (int(row["paid"] * 100), None)
    months = AllowanceMonth.objects.filter(period=month.period, unit="yuan")
    for code, row in _by_village(
        months,
        "elder__residence_id",
        granted=Coalesce(Sum(F("granted") + F("carried_in")), Decimal(0)),
        used=Coalesce(Sum("used"), Decimal(0)),
    ).items():
        out["homecare_allowance_granted"][code] = (int(row["granted"] * 100), None)
        out["homecare_allowance_used"][code] = (int(row["used"] * 100), None)
        out["homecare_allowance_unused"][code] = (int((row["granted"] - row["used"]) * 100), None)
    return out


@metrics(
    declare(
        "emergency_calls",
        _("Emergency calls"),
        "count",
        _("Calls of the month, from the API or the hotline."),
        sheet="homecare",
        card="homecare",
    ),
    declare(
        "emergency_calls_overdue",
        _("Emergency calls answered late or escalated"),
        "count",
        _("Calls of the month not answered by the pack's deadline."),
        sheet="homecare",
        card="homecare",
    ),
    declare(
        "emergency_response_minutes",
        _("Average response time to emergency calls (minutes)"),
        "average",
        _("Minutes from the call to the recorded response, over the answered calls of the month."),
        sheet="homecare",
        card="homecare",
    ),
)
def emergency_calls(month: Month) -> dict[str, Figures]:
    out: dict[str, Figures] = defaultdict(dict)
    calls = EmergencyCall.objects.filter(time__gte=month.start, time__lt=month.end)
    took = ExpressionWrapper(F("responded_at") - F("time"), output_field=DurationField())
    rows = (
        calls.values("elder__residence_id")
        .annotate(
            n=Count("id"),
            late=Count("id", filter=Q(status="escalated") | Q(responded_at__gt=F("deadline"))),
            answered=Count("id", filter=Q(responded_at__isnull=False)),
            took=Sum(took, filter=Q(responded_at__isnull=False)),
        )
        .order_by()
    )
    for row in rows:
        code = row["elder__residence_id"]
        out["emergency_calls"][code] = (row["n"], None)
        out["emergency_calls_overdue"][code] = (row["late"], None)
        if row["answered"]:
            out["emergency_response_minutes"][code] = (
                round(row["took"].total_seconds() / 60),
                row["answered"],
            )
    return out
