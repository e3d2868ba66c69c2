"""Reads of home services that pages, API, settlement and metrics share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from core.periods import parse_period, period_bounds
from core.scope import restrict
from subsidies.choices import EntitlementStatus, PaymentForm

from .choices import LineStatus, OrderStatus
from .models import AllowanceMonth, ContractPrice, Order, StatementLine
from .policy import homecare_settings
from .rules import consumption


def price_for(*, item, provider, region_code: str, on: date) -> ContractPrice | None:
    """The provider's contract price in force in the elder's region (nearest region first),
    else the pack's price there."""
    from regions.rules import candidate_ancestor_codes

    ancestors = [*candidate_ancestor_codes(region_code), region_code]
    rows = list(
        ContractPrice.objects.filter(
            Q(provider=provider) | Q(provider__isnull=True),
            item=item,
            region_id__in=ancestors,
            effective_from__lte=on,
        )
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .order_by("-effective_from")
    )
    if not rows:
        return None
    depth = {code: i for i, code in enumerate(ancestors)}
    # A contract price beats the pack's; within each, the nearest region; then the newest.
    rows.sort(key=lambda r: (r.provider_id is None, -depth.get(r.region_id, 0)))
    return rows[0]


def allowance_entitlement(*, elder, item, on: date):
    """The elder's live service-credit entitlement whose allowance covers this item, or None."""
    from subsidies.models import Entitlement

    found = homecare_settings(elder.residence_id)
    schemes = [a.scheme for a in found.allowances if item.code in a.items]
    if not schemes:
        return None
    return (
        Entitlement.objects.filter(
            elder=elder,
            scheme__code__in=schemes,
            scheme__payment_form=PaymentForm.SERVICE_CREDIT,
            status=EntitlementStatus.ACTIVE,
        )
        .select_related("scheme")
        .first()
    )


@dataclass(frozen=True)
class AllowanceView:
    scheme: str
    scheme_name: str
    unit: str
    granted: Decimal
    carried_in: Decimal
    settled: Decimal
    pending: Decimal
    unused_rule: str

    @property
    def left(self) -> Decimal:
        return max(Decimal(0), self.granted + self.carried_in - self.settled - self.pending)


def allowances_of(elder, period: str) -> list[AllowanceView]:
    """What each of the elder's allowances gives this month and what is left: settled services,
    and confirmed or delivered ones not settled yet, both count."""
    from subsidies.models import Entitlement

    settings = homecare_settings(elder.residence_id)
    out = []
    _first, _last, start, end = period_bounds(period)
    for ent in Entitlement.objects.filter(
        elder=elder, scheme__payment_form=PaymentForm.SERVICE_CREDIT, status=EntitlementStatus.ACTIVE
    ).select_related("scheme"):
        rule = settings.allowance_of(ent.scheme.code)
        if rule is None:
            continue
        month = AllowanceMonth.objects.filter(entitlement=ent, period=period).first()
        granted = month.granted if month else (rule.hours if rule.unit == "hours" else ent.amount)
        carried = month.carried_in if month else Decimal(0)
        settled = StatementLine.objects.filter(order__entitlement=ent, statement__period=period).aggregate(
            s=Sum("used")
        )["s"] or Decimal(0)
        pending = Decimal(0)
        for amount, cin, cout in Order.objects.filter(
            entitlement=ent,
            status__in=(OrderStatus.DONE, OrderStatus.CONFIRMED),
            checked_in_at__gte=start,
            checked_in_at__lt=end,
            line__isnull=True,
        ).values_list("amount", "checked_in_at", "checked_out_at"):
            pending += consumption(
                allowance_unit=rule.unit,
                amount=amount or Decimal(0),
                minutes=int((cout - cin).total_seconds() // 60),
            )
        out.append(
            AllowanceView(
                ent.scheme.code, ent.scheme.name, rule.unit, granted, carried, settled, pending, rule.unused
            )
        )
    return out


def orders_in_scope(user) -> QuerySet[Order]:
    return restrict(Order.objects.all(), user)


def provider_orders(user, provider) -> QuerySet[Order]:
    """A provider's orders that the account's region covers."""
    return orders_in_scope(user).filter(provider=provider).select_related("elder", "item", "caregiver")


def caregiver_day(user, caregiver, day: date) -> QuerySet[Order]:
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    start = timezone.make_aware(datetime.combine(day, time.min))
    return (
        orders_in_scope(user)
        .filter(caregiver=caregiver, wanted_at__gte=start, wanted_at__lt=start + timedelta(days=1))
        .exclude(status=OrderStatus.CANCELLED)
        .select_related("elder", "item")
        .order_by("wanted_at", "id")
    )


def line_totals(statement) -> dict[str, Decimal]:
    rows = statement.lines.values("status").annotate(claimed=Sum("claimed"), paid=Sum("paid"))
    return {r["status"]: r for r in rows}


def held_lines(statement) -> QuerySet[StatementLine]:
    return statement.lines.filter(status=LineStatus.HELD)


def check_period(period: str) -> str:
    parse_period(period)
    return period
