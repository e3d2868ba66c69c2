"""Monthly payment rolls: idempotent, set-based, one payment per entitlement and month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

import conditions
from core.periods import _months_between, parse_period, period_of
from regions.models import Region

from .choices import EntitlementStatus, StopReason
from .models import DisbursementBatch, Entitlement, Payment, Suspension
from .rules import due_months, unsuspended_months

# The name of whoever a payment is for: the elder, the facility or the caregiver.
BENEFICIARY_NAME = Coalesce(
    "entitlement__elder__name", "entitlement__facility__name", "entitlement__caregiver__name"
)


@dataclass
class RunResult:
    period: str
    batches: int
    payments: int
    stopped: int


def _insert_payments(rows: list[tuple[int, int, str, Decimal]]) -> int:
    """Insert (batch, entitlement, month, amount) rows as pending payments; return how many were new.

    A row whose entitlement and month are already paid (the unique constraint) is skipped by
    ON CONFLICT DO NOTHING, so two runs never pay twice and each run counts only what it wrote
    (RETURNING). Plain SQL rather than model instances: a city's roll is hundreds of
    thousands of rows, and building a model object per row costs more than the insert itself.
    """
    table = Payment._meta.db_table
    columns = "batch_id, entitlement_id, period, amount, status, return_reason"
    made = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Four arrays per statement instead of four parameters per row: PostgreSQL unpacks
            # them server-side, which is several times faster at city size.
            for start in range(0, len(rows), 50_000):
                batch, entitlement, month, amount = zip(*rows[start : start + 50_000], strict=True)
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) "  # noqa: S608 - our table
                    "SELECT b, e, m, a, 'pending', '' FROM unnest(%s::bigint[], %s::bigint[], %s::varchar[], "
                    "%s::numeric[]) AS u(b, e, m, a) ON CONFLICT DO NOTHING RETURNING id",
                    [list(batch), list(entitlement), list(month), list(amount)],
                )
                made += len(cursor.fetchall())
            return made
        for start in range(0, len(rows), _INSERT_CHUNK):
            chunk = rows[start : start + _INSERT_CHUNK]
            values = ", ".join(["(%s, %s, %s, %s, 'pending', '')"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {values} "  # noqa: S608 - our table
                "ON CONFLICT DO NOTHING RETURNING id",
                [value for row in chunk for value in row],
            )
            made += len(cursor.fetchall())
    return made


# Rows per INSERT elsewhere: four parameters each stays under SQLite's limit of 32,766 variables.
_INSERT_CHUNK = 5_000


@transaction.atomic
def apply_registry_changes(*, on) -> int:
    """Death or moving away stops an entitlement (active or suspended); the month of death (or
    move) is still paid unless suspended. An open suspension ends with the entitlement."""
    from .services import close_suspensions_of_stopped

    changed = [
        Entitlement(
            pk=pk,
            status=EntitlementStatus.STOPPED,
            last_period=period_of(left_on),
            stopped_on=left_on,
            stop_reason=StopReason.DEATH if status == "deceased" else StopReason.MOVED,
        )
        for pk, left_on, status in Entitlement.objects.filter(
            elder__status__in=("deceased", "moved"),
            status__in=(EntitlementStatus.ACTIVE, EntitlementStatus.SUSPENDED),
            elder__status_date__lte=on,
        ).values_list("pk", "elder__status_date", "elder__status")
    ]
    Entitlement.objects.bulk_update(
        changed, ["status", "last_period", "stopped_on", "stop_reason"], batch_size=5_000
    )
    close_suspensions_of_stopped(on=on)
    return len(changed)


@transaction.atomic
def run_disbursement(*, period: str, region_code: str | None = None) -> RunResult:
    """Create the month's payments (pending approval), with arrears for earlier unpaid months.

    Months inside a suspension are not paid, then or later. Running it twice changes nothing:
    payments are inserted with ON CONFLICT DO NOTHING on the (entitlement, period) constraint,
    which also keeps two concurrent runs apart.
    """
    _first, last = parse_period(period)
    stopped = apply_registry_changes(on=last)
    payable = Entitlement.objects.filter(
        Q(last_period="") | Q(last_period__gte=period),
        first_period__lte=period,
    ).exclude(status=EntitlementStatus.STOPPED, last_period="")
    # The region of the beneficiary: the elder's residence, the facility's region, the region of
    # the caregiver's employer (one of them is set).
    home = Coalesce("elder__residence_id", "facility__region_id", "caregiver__provider__region_id")
    if region_code:
        region = Region.objects.get(code=region_code.ljust(12, "0"))
        payable = payable.filter(
            Q(elder__residence__code__startswith=region.prefix)
            | Q(facility__region__code__startswith=region.prefix)
            | Q(caregiver__provider__region__code__startswith=region.prefix)
        )
    rows = list(
        payable.values(
            "pk",
            "scheme_id",
            "amount",
            "first_period",
            "last_period",
            frequency=F("scheme__frequency"),
            scheme_end=F("scheme__effective_to"),
            city=home,
        )
    )
    # A returned payment does not count as paid: its month is paid again in this run.
    paid = set(
        Payment.objects.filter(entitlement__in=payable.values("pk"))
        .exclude(status="returned")
        .values_list("entitlement_id", "period")
    )
    spans: dict[int, list[tuple[str, str]]] = {}
    for pk, first_month, last_month in Suspension.objects.filter(
        entitlement__in=payable.values("pk"), from_period__lte=period
    ).values_list("entitlement_id", "from_period", "to_period"):
        spans.setdefault(pk, []).append((first_month, last_month))
    batches: dict[tuple[int, str], DisbursementBatch] = {}
    new: list[tuple[int, int, str, Decimal]] = []
    for row in rows:
        city = row["city"][:4].ljust(12, "0")
        key = (row["scheme_id"], city)
        if key not in batches:
            batches[key], _created = DisbursementBatch.objects.get_or_create(
                period=period, scheme_id=row["scheme_id"], region_id=city
            )
        if batches[key].status == "approved":
            continue  # an approved roll is locked: latecomers are paid as arrears next month
        end = min(period, row["last_period"]) if row["last_period"] else period
        if row["scheme_end"] is not None:
            # Nothing is paid past the end a scheme's document gives (a pilot, a plan's years).
            end = min(end, period_of(row["scheme_end"]))
        # A yearly scheme pays in its first month and every twelfth after it, a one-off only once.
        months = due_months(
            _months_between(row["first_period"], end),
            frequency=row["frequency"],
            first_period=row["first_period"],
        )
        if row["pk"] in spans:
            months = unsuspended_months(months, spans[row["pk"]])
        for month in months:
            if (row["pk"], month) not in paid:
                new.append((batches[key].pk, row["pk"], month, row["amount"]))
    made = _insert_payments(new)
    return RunResult(period=period, batches=len(batches), payments=made, stopped=stopped)


# --- before approval: cross-checks and the diff against last month -----------------------------


def cross_checks(batch: DisbursementBatch, *, no_visit_months: int | None = None) -> list[dict]:
    """Payments that deserve a second look before the roll is approved, each with its reason.

    One grouped query per check: the elder has died or moved, now lives in an institution
    while the scheme is for elders at home, was not visited for N months (N from the schemes
    section in force at the batch's region, `no_visit_months`), has no valid assessment though
    the scheme's amount depends on it, or shares a bank account with another payee.
    """
    from datetime import timedelta

    from django.db.models import Count, Exists, OuterRef
    from django.utils.translation import gettext as _

    from services.models import Visit

    from .policy import scheme_settings

    if no_visit_months is None:
        no_visit_months = scheme_settings(batch.region_id).no_visit_months
    _first, last = parse_period(batch.period)
    payments = Payment.objects.filter(batch=batch).exclude(status="returned")
    found: list[dict] = []

    def flag(qs, reason):
        for pid, elder_id, name in qs.values_list("pk", "entitlement__elder_id", BENEFICIARY_NAME):
            found.append({"payment": pid, "elder": elder_id, "name": name, "reason": str(reason)})

    if batch.scheme.beneficiary != "elder":
        _organisation_checks(batch, payments, last, flag)
        return found
    flag(payments.filter(entitlement__elder__status="deceased"), _("the elder has died"))
    flag(payments.filter(entitlement__elder__status="moved"), _("the elder has moved away"))
    from elders.models import Elder

    # NOT EXISTS (an anti-join), never NOT IN (subquery): PostgreSQL runs a NOT IN over a set larger
    # than work_mem as a nested loop, quadratic in the city's elders.
    this_elder = Elder.objects.filter(pk=OuterRef("entitlement__elder_id"))
    still = conditions.filter_queryset(this_elder, batch.scheme.eligibility, last)
    flag(
        payments.filter(~Exists(still)),
        _("no longer meets the scheme's conditions (for example now lives in an institution)"),
    )
    since = timezone.make_aware(datetime.combine(last - timedelta(days=30 * no_visit_months), time.min))
    recent = Visit.objects.filter(elder_id=OuterRef("entitlement__elder_id"), visited_at__gte=since)
    flag(payments.filter(~Exists(recent)), _("no visit in the last %(n)d months") % {"n": no_visit_months})
    rule = batch.scheme.amount_rule.get("kind")
    if rule in ("by_grade", "by_self_care") or "ability_grade" in str(batch.scheme.eligibility):
        ungraded = conditions.with_fact(this_elder, "ability_grade", last, as_name="grade_then").filter(
            grade_then__isnull=True
        )
        flag(payments.filter(Exists(ungraded)), _("no valid ability assessment"))
    shared = (
        Entitlement.objects.exclude(payee_account="")
        .values("payee_account")
        .annotate(n=Count("elder_id", distinct=True))
        .filter(n__gt=1)
        .values("payee_account")
    )
    flag(payments.filter(entitlement__payee_account__in=shared), _("bank account used by several people"))
    return found


def _organisation_checks(batch: DisbursementBatch, payments, last, flag) -> None:
    """The cross-checks of a facility or caregiver roll: the elder checks (death, moving, visits,
    assessment, shared account) do not apply; what does is that the facility (or caregiver) no
    longer meets the scheme's conditions at the end of the month."""
    from django.db.models import Exists, OuterRef
    from django.utils.translation import gettext as _

    from facilities.models import Facility
    from services.models import Caregiver

    if batch.scheme.beneficiary == "facility":
        this = Facility.objects.filter(pk=OuterRef("entitlement__facility_id"))
    else:
        this = Caregiver.objects.filter(pk=OuterRef("entitlement__caregiver_id"))
    still = conditions.filter_queryset(this, batch.scheme.eligibility, last)
    flag(payments.filter(~Exists(still)), _("no longer meets the scheme's conditions"))


def diff_against_previous(batch: DisbursementBatch) -> dict[str, list[dict]]:
    """Added, stopped and changed entitlements compared with last month's roll of the same scheme."""
    from datetime import timedelta

    first, _last = parse_period(batch.period)
    previous = period_of(first - timedelta(days=1))

    def rows(period):
        return {
            r["entitlement_id"]: r
            for r in Payment.objects.filter(
                batch__scheme=batch.scheme, batch__region=batch.region, batch__period=period
            )
            .exclude(status="returned")
            .values(
                "entitlement_id",
                "amount",
                "entitlement__status",
                "entitlement__last_period",
                beneficiary_name=BENEFICIARY_NAME,
            )
        }

    now, before = rows(batch.period), rows(previous)
    return {
        "added": [
            {"entitlement": k, "name": v["beneficiary_name"], "amount": v["amount"]}
            for k, v in now.items()
            if k not in before
        ],
        "stopped": [
            {
                "entitlement": k,
                "name": v["beneficiary_name"],
                "reason": v["entitlement__status"],
                "last_period": v["entitlement__last_period"],
            }
            for k, v in before.items()
            if k not in now
        ],
        "changed": [
            {
                "entitlement": k,
                "name": v["beneficiary_name"],
                "before": before[k]["amount"],
                "after": v["amount"],
            }
            for k, v in now.items()
            if k in before and before[k]["amount"] != v["amount"]
        ],
    }


@transaction.atomic
def approve_batch(*, acting_user, batch: DisbursementBatch) -> DisbursementBatch:
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.utils.translation import gettext as _

    from core.scope import require

    if not acting_user.has_perm("subsidies.change_disbursementbatch"):
        raise PermissionDenied(_("You may not approve payment rolls."))
    require(acting_user, region=batch.region_id)
    batch = DisbursementBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status == "approved":
        raise ValidationError(_("This roll is already approved."))
    batch.status = "approved"
    batch.approved_by = acting_user
    batch.approved_at = timezone.now()
    batch.save()
    return batch


@transaction.atomic
def mark_returned(*, acting_user, payment: Payment, reason: str) -> Payment:
    """The bank returned a payment: it no longer counts and is re-issued in a later run."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if not reason.strip():
        raise ValidationError({"reason": _("Say why the bank returned it.")})
    payment.status = "returned"
    payment.return_reason = reason.strip()
    payment.save(update_fields=["status", "return_reason"])
    return payment


def roster_workbook(*, acting_user, batch: DisbursementBatch) -> bytes:
    """The approved roll for the bank, as Excel; the export is logged.

    It carries every payee's full ID number and bank account, so only the roles that approve
    rolls may take it.
    """
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.utils.translation import gettext as _
    from openpyxl import Workbook

    from audit.choices import AccessAction
    from audit.services import record_access
    from eldercare.spreadsheets import append_row, workbook_bytes

    if not acting_user.has_perm("subsidies.change_disbursementbatch"):
        raise PermissionDenied(_("Only the roles that approve payment rolls may download the bank roster."))
    if batch.status != "approved":
        raise ValidationError(_("Only an approved roll goes to the bank."))
    book = Workbook()
    sheet = book.active
    sheet.title = batch.period
    append_row(
        sheet,
        [_("ID number"), _("Name"), _("Payee"), _("Bank account"), _("Month"), _("Amount"), _("Scheme")],
    )
    rows = (
        Payment.objects.filter(batch=batch)
        .exclude(status="returned")
        .values_list(
            # The facility's operator and a caregiver are identified by credit code / ID number.
            Coalesce(
                "entitlement__elder__id_number",
                "entitlement__facility__operator__credit_code",
                "entitlement__caregiver__id_number",
            ),
            BENEFICIARY_NAME,
            "entitlement__payee_name",
            "entitlement__payee_account",
            "period",
            "amount",
            "entitlement__scheme__code",
        )
    )
    count = 0
    for row in rows.iterator():
        append_row(sheet, row, money_columns=(5,))
        count += 1
    record_access(
        user=acting_user,
        action=AccessAction.ROSTER_DOWNLOAD,
        what=_("bank roster %(scheme)s %(period)s") % {"scheme": batch.scheme.code, "period": batch.period},
        object_id=batch.pk,
        rows=count,
        unmasked=True,
    )
    return workbook_bytes(book)
