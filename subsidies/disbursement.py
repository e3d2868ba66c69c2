"""Monthly payment rolls: idempotent, set-based, one payment per entitlement and month."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from regions.models import Region
from services.rules import parse_period, period_of

from .choices import EntitlementStatus
from .models import DisbursementBatch, Entitlement, Payment


@dataclass
class RunResult:
    period: str
    batches: int
    payments: int
    stopped: int


def months_between(first: str, last: str) -> list[str]:
    start, _end = parse_period(first)
    stop, _end2 = parse_period(last)
    out, day = [], start
    while day <= stop:
        out.append(period_of(day))
        day = day.replace(year=day.year + day.month // 12, month=day.month % 12 + 1)
    return out


@transaction.atomic
def apply_registry_changes(*, on) -> int:
    """Death or moving away stops an entitlement; the month of death (or move) is still paid."""
    changed = [
        Entitlement(pk=pk, status=EntitlementStatus.STOPPED, last_period=period_of(left_on))
        for pk, left_on in Entitlement.objects.filter(
            elder__status__in=("deceased", "moved"),
            status=EntitlementStatus.ACTIVE,
            elder__status_date__lte=on,
        ).values_list("pk", "elder__status_date")
    ]
    Entitlement.objects.bulk_update(changed, ["status", "last_period"], batch_size=5_000)
    return len(changed)


@transaction.atomic
def run_disbursement(*, period: str, region_code: str | None = None) -> RunResult:
    """Create the month's payments (pending approval), with arrears for earlier unpaid months.

    Running it twice changes nothing: payments are inserted with ON CONFLICT DO NOTHING on
    the (entitlement, period) constraint, which also keeps two concurrent runs apart.
    """
    _first, last = parse_period(period)
    stopped = apply_registry_changes(on=last)
    payable = (
        Entitlement.objects.filter(
            Q(last_period="") | Q(last_period__gte=period),
            first_period__lte=period,
        )
        .exclude(status=EntitlementStatus.SUSPENDED)
        .exclude(status=EntitlementStatus.STOPPED, last_period="")
    )
    if region_code:
        region = Region.objects.get(code=region_code.ljust(12, "0"))
        payable = payable.filter(elder__residence__code__startswith=region.prefix)
    rows = list(
        payable.values(
            "pk", "scheme_id", "amount", "first_period", "last_period", city=F("elder__residence_id")
        )
    )
    paid = set(
        Payment.objects.filter(entitlement_id__in=[r["pk"] for r in rows]).values_list(
            "entitlement_id", "period"
        )
    )
    batches: dict[tuple[int, str], DisbursementBatch] = {}
    new: list[Payment] = []
    for row in rows:
        city = row["city"][:4].ljust(12, "0")
        key = (row["scheme_id"], city)
        if key not in batches:
            batches[key], _created = DisbursementBatch.objects.get_or_create(
                period=period, scheme_id=row["scheme_id"], region_id=city
            )
        end = min(period, row["last_period"]) if row["last_period"] else period
        for month in months_between(row["first_period"], end):
            if (row["pk"], month) not in paid:
                new.append(
                    Payment(batch=batches[key], entitlement_id=row["pk"], period=month, amount=row["amount"])
                )
    Payment.objects.bulk_create(new, batch_size=5_000, ignore_conflicts=True)
    return RunResult(period=period, batches=len(batches), payments=len(new), stopped=stopped)


def current_period() -> str:
    return period_of(timezone.localdate())
