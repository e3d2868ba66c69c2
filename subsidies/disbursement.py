"""Monthly payment rolls: idempotent, set-based, one payment per entitlement and month."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

import conditions
from core.periods import _months_between, parse_period, period_of
from core.scope import require
from eldercare.celery import app as celery_app
from elders.models import Elder
from regions.choices import Level as RegionLevel
from regions.models import Region
from services.models import Visit

from .choices import (
    NOT_COUNTED,
    CheckCode,
    CheckDecision,
    EntitlementStatus,
    PaymentForm,
    PaymentStatus,
    RollRunStatus,
    StopReason,
)
from .models import DisbursementBatch, Entitlement, Payment, RollCheck, RollRun, Suspension
from .policy import scheme_settings
from .rules import due_months, mask_account, unsuspended_months

log = logging.getLogger(__name__)

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


# --- runs from the pages: the same roll, as a background job with progress ---------------------


def roll_region(region_code: str) -> str:
    """The region a roll (a batch) belongs to: the beneficiary's city, as run_disbursement files it."""
    return region_code[:4].ljust(12, "0")


@transaction.atomic
def request_roll(*, acting_user, period: str, region: Region) -> RollRun:
    """Queue a run (or re-run) of a month's roll for a city or a district; the run is idempotent, so
    running it again only adds what is new (latecomers, arrears) and never pays twice."""
    require(acting_user, "subsidies.add_rollrun", message=_("You may not run payment rolls."))
    require(acting_user, region=region)
    if region.level not in (RegionLevel.CITY, RegionLevel.COUNTY):
        raise ValidationError({"region": _("A roll is run for a city or a district.")})
    try:
        parse_period(period)
    except ValueError as exc:
        raise ValidationError({"period": str(exc)}) from None
    if period > period_of(timezone.localdate()):
        raise ValidationError({"period": _("A month still to come cannot be paid yet.")})
    if RollRun.objects.filter(
        period=period, region=region, status__in=(RollRunStatus.QUEUED, RollRunStatus.RUNNING)
    ).exists():
        raise ValidationError(_("This month's roll is already being run for this region."))
    run = RollRun.objects.create(
        period=period, region=region, requested_by=acting_user, requested_at=timezone.now()
    )
    # The task module imports this one, hence the import here; the task is taken from the project's
    # app because `current_app` is thread-local, and a threaded server's request thread would get
    # Celery's unconfigured default app. After commit, so the worker finds the row.
    from . import tasks

    task = celery_app.tasks[tasks.run_roll_task.name]
    transaction.on_commit(lambda: task.delay(run.pk))
    return run


def run_roll(run_id: int, *, progress: Callable[[RollRun], None] | None = None) -> RollRun:
    """Carry out a queued run: the payments, then each roll's cross-checks, saving progress as it goes.

    Idempotent like the roll itself: a run that is not waiting (already done, or taken by another
    worker) is left as it is.
    """
    taken = RollRun.objects.filter(pk=run_id, status=RollRunStatus.QUEUED).update(
        status=RollRunStatus.RUNNING, steps=1
    )
    run = RollRun.objects.get(pk=run_id)
    if not taken:
        return run
    try:
        result = run_disbursement(period=run.period, region_code=run.region_id)
        batches = list(
            DisbursementBatch.objects.filter(
                period=run.period, region_id=roll_region(run.region_id), status="draft"
            ).select_related("scheme")
        )
        run.batches, run.payments, run.stopped = result.batches, result.payments, result.stopped
        run.step, run.steps = 1, 1 + len(batches)
        # Saved per roll, so the page shows the run advance.
        run.save(update_fields=["batches", "payments", "stopped", "step", "steps"])
        checks = 0
        for batch in batches:
            checks += record_checks(batch)
            run.step += 1
            run.save(update_fields=["step"])
            if progress:
                progress(run)
        run.checks = checks
        run.status = RollRunStatus.DONE
    except Exception as exc:  # the run's page must say it failed, whatever failed
        log.exception("payment roll run %s failed", run_id)
        run.status = RollRunStatus.FAILED
        run.error = str(exc)[:2000]
    run.finished_at = timezone.now()
    run.save(update_fields=["checks", "status", "error", "finished_at"])
    return run


def record_period_checks(period: str) -> int:
    """Store the cross-checks of every roll of a month still waiting for approval (after the monthly
    task's or the command's run); how many are open."""
    return sum(
        record_checks(batch)
        for batch in DisbursementBatch.objects.filter(period=period, status="draft").select_related("scheme")
    )


# --- before approval: cross-checks and the diff against last month -----------------------------


def cross_checks(batch: DisbursementBatch, *, no_visit_months: int | None = None) -> list[dict]:
    """Payments that deserve a second look before the roll is approved, each with its reason.

    One grouped query per check: the elder has died or moved, now lives in an institution
    while the scheme is for elders at home, was not visited for N months (N from the schemes
    section in force at the batch's region, `no_visit_months`), has no valid assessment though
    the scheme's amount depends on it, shares a bank account with another payee, or has no bank
    account although the scheme pays cash.
    """
    if no_visit_months is None:
        no_visit_months = scheme_settings(batch.region_id).no_visit_months
    _first, last = parse_period(batch.period)
    payments = Payment.objects.filter(batch=batch).exclude(status__in=NOT_COUNTED)
    found: list[dict] = []
    seen: set[tuple[int, str]] = set()

    def flag(qs, code: CheckCode, reason=None):
        rows = qs.values_list("pk", "entitlement_id", "entitlement__elder_id", BENEFICIARY_NAME)
        for pid, entitlement_id, elder_id, name in rows:
            if (entitlement_id, code) in seen:  # arrears: one finding per payee, not per month
                continue
            seen.add((entitlement_id, code))
            found.append(
                {
                    "payment": pid,
                    "entitlement": entitlement_id,
                    "elder": elder_id,
                    "name": name,
                    "code": str(code),
                    "reason": str(reason or code.label),
                }
            )

    if batch.scheme.beneficiary != "elder":
        _organisation_checks(batch, payments, last, flag)
        return found
    flag(payments.filter(entitlement__elder__status="deceased"), CheckCode.DECEASED)
    flag(payments.filter(entitlement__elder__status="moved"), CheckCode.MOVED)
    # NOT EXISTS (an anti-join), never NOT IN (subquery): PostgreSQL runs a NOT IN over a set larger
    # than work_mem as a nested loop, quadratic in the city's elders.
    this_elder = Elder.objects.filter(pk=OuterRef("entitlement__elder_id"))
    still = conditions.filter_queryset(this_elder, batch.scheme.eligibility, last)
    flag(payments.filter(~Exists(still)), CheckCode.INELIGIBLE)
    since = timezone.make_aware(datetime.combine(last - timedelta(days=30 * no_visit_months), time.min))
    recent = Visit.objects.filter(elder_id=OuterRef("entitlement__elder_id"), visited_at__gte=since)
    flag(
        payments.filter(~Exists(recent)),
        CheckCode.NO_VISIT,
        _("no visit in the last %(n)d months") % {"n": no_visit_months},
    )
    rule = batch.scheme.amount_rule.get("kind")
    if rule in ("by_grade", "by_self_care") or "ability_grade" in str(batch.scheme.eligibility):
        ungraded = conditions.with_fact(this_elder, "ability_grade", last, as_name="grade_then").filter(
            grade_then__isnull=True
        )
        flag(payments.filter(Exists(ungraded)), CheckCode.UNGRADED)
    shared = (
        Entitlement.objects.exclude(payee_account="")
        .values("payee_account")
        .annotate(n=Count("elder_id", distinct=True))
        .filter(n__gt=1)
        .values("payee_account")
    )
    flag(payments.filter(entitlement__payee_account__in=shared), CheckCode.SHARED_ACCOUNT)
    if batch.scheme.payment_form == PaymentForm.CASH:
        flag(payments.filter(entitlement__payee_account=""), CheckCode.NO_ACCOUNT)
    return found


def _organisation_checks(batch: DisbursementBatch, payments, last, flag) -> None:
    """The cross-checks of a facility or caregiver roll: the elder checks (death, moving, visits,
    assessment, shared account) do not apply; what does is that the facility (or caregiver) no
    longer meets the scheme's conditions at the end of the month."""
    from facilities.models import Facility
    from services.models import Caregiver

    if batch.scheme.beneficiary == "facility":
        this = Facility.objects.filter(pk=OuterRef("entitlement__facility_id"))
    else:
        this = Caregiver.objects.filter(pk=OuterRef("entitlement__caregiver_id"))
    still = conditions.filter_queryset(this, batch.scheme.eligibility, last)
    flag(payments.filter(~Exists(still)), CheckCode.INELIGIBLE, _("no longer meets the scheme's conditions"))


@transaction.atomic
def record_checks(batch: DisbursementBatch) -> int:
    """Store the roll's cross-checks for the approver to decide; return how many are open.

    A re-run keeps every decision already taken, adds what is new and drops the open findings
    that no longer hold (a visit was recorded since, an account was captured).
    """
    with transaction.atomic():
        # Two runs of the same month (the monthly task and a re-run from the page) would otherwise
        # insert the same findings in different orders and deadlock: the roll's row is the lock.
        status = (
            DisbursementBatch.objects.select_for_update(of=("self",))
            .order_by()
            .values_list("status", flat=True)
            .get(pk=batch.pk)
        )
        if status == "approved":
            return 0
        found = {(row["entitlement"], row["code"]) for row in cross_checks(batch)}
        open_checks = RollCheck.objects.filter(batch=batch, decision=CheckDecision.OPEN)
        gone = [
            pk for pk, e, c in open_checks.values_list("pk", "entitlement_id", "code") if (e, c) not in found
        ]
        RollCheck.objects.filter(pk__in=gone).delete()
        RollCheck.objects.bulk_create(
            [RollCheck(batch=batch, entitlement_id=e, code=c) for e, c in sorted(found)],
            ignore_conflicts=True,
            batch_size=5_000,
        )
        return open_checks.count()


@transaction.atomic
def decide_checks(
    *, acting_user, batch: DisbursementBatch, checks: Iterable[int], decision: str, comment: str = ""
) -> int:
    """The approver's decision on cross-checks of a roll: pay after all (acknowledged), or take the
    payee out of this roll (excluded: its payments in the roll are not sent). Returns how many."""
    require_batch_approver(acting_user, batch)
    if batch.status == "approved":
        raise ValidationError(_("This roll is already approved."))
    if decision not in (CheckDecision.ACKNOWLEDGED, CheckDecision.EXCLUDED, CheckDecision.OPEN):
        raise ValidationError({"decision": _("Choose to pay or to exclude.")})
    comment = comment.strip()
    if decision == CheckDecision.EXCLUDED and not comment:
        raise ValidationError({"comment": _("Say why the payee is taken out of the roll.")})
    rows = RollCheck.objects.filter(batch=batch, pk__in=list(checks))
    entitlements = set(
        rows.select_for_update(of=("self",)).order_by("pk").values_list("entitlement_id", flat=True)
    )
    if not entitlements:
        raise ValidationError(_("Choose at least one payee."))
    done = rows.update(
        decision=decision,
        comment=comment[:500],
        decided_by=acting_user if decision != CheckDecision.OPEN else None,
        decided_at=timezone.now() if decision != CheckDecision.OPEN else None,
    )
    # A payee is out of the roll while any of its findings says so.
    excluded = set(
        RollCheck.objects.filter(
            batch=batch, entitlement_id__in=entitlements, decision=CheckDecision.EXCLUDED
        ).values_list("entitlement_id", flat=True)
    )
    payments = Payment.objects.filter(batch=batch, entitlement_id__in=entitlements)
    payments.filter(entitlement_id__in=excluded, status=PaymentStatus.PENDING).update(
        status=PaymentStatus.EXCLUDED
    )
    payments.exclude(entitlement_id__in=excluded).filter(status=PaymentStatus.EXCLUDED).update(
        status=PaymentStatus.PENDING
    )
    return done


def require_batch_approver(acting_user, batch: DisbursementBatch) -> None:
    require(
        acting_user, "subsidies.change_disbursementbatch", message=_("You may not approve payment rolls.")
    )
    require(acting_user, region=batch.region_id)


def diff_against_previous(batch: DisbursementBatch) -> dict[str, list[dict]]:
    """Added, stopped and changed entitlements compared with last month's roll of the same scheme."""
    first, _last = parse_period(batch.period)
    previous = period_of(first - timedelta(days=1))

    def rows(period):
        return {
            r["entitlement_id"]: r
            for r in Payment.objects.filter(
                batch__scheme=batch.scheme, batch__region=batch.region, batch__period=period
            )
            .exclude(status__in=NOT_COUNTED)
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
    """Approve and lock a roll: refused while a cross-check is undecided (pay or exclude)."""
    require_batch_approver(acting_user, batch)
    batch = DisbursementBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status == "approved":
        raise ValidationError(_("This roll is already approved."))
    # Checked again now: whatever changed since the run (a death reported, an account captured).
    undecided = record_checks(batch)
    if undecided:
        raise ValidationError(
            ngettext(
                "%(n)d cross-check is not decided yet: pay or exclude the payee first.",
                "%(n)d cross-checks are not decided yet: pay or exclude each payee first.",
                undecided,
            )
            % {"n": undecided}
        )
    batch.status = "approved"
    batch.approved_by = acting_user
    batch.approved_at = timezone.now()
    batch.save()
    freeze_payees(Payment.objects.filter(batch=batch))
    return batch


def freeze_payees(payments) -> int:
    """Copy each payment's payee from its entitlement as it stands now (one statement): what an
    approved roll sends to the bank stays what was approved."""
    current = Entitlement.objects.filter(pk=OuterRef("entitlement_id"))
    return payments.update(
        payee_name_at_approval=Subquery(current.values("payee_name")[:1]),
        payee_account_at_approval=Subquery(current.values("payee_account")[:1]),
    )


@transaction.atomic
def mark_returned(*, acting_user, payment: Payment, reason: str) -> Payment:
    """The bank returned a payment: it no longer counts and is re-issued in a later run."""
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
    from openpyxl import Workbook

    from audit.choices import AccessAction
    from audit.services import record_access
    from eldercare.spreadsheets import append_row, workbook_bytes

    if not acting_user.has_perm("subsidies.change_disbursementbatch"):
        raise PermissionDenied(_("Only the roles that approve payment rolls may download the bank roster."))
    require(acting_user, region=batch.region_id)
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
        .exclude(status__in=NOT_COUNTED)
        .values_list(
            # The facility's operator and a caregiver are identified by credit code / ID number.
            Coalesce(
                "entitlement__elder__id_number",
                "entitlement__facility__operator__credit_code",
                "entitlement__caregiver__id_number",
            ),
            BENEFICIARY_NAME,
            "payee_name_at_approval",
            "payee_account_at_approval",
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


def payee_workbook(*, acting_user, batch: DisbursementBatch, search: str = "") -> bytes:
    """The roll's payee list for review, as Excel: masked for roles without personal-data rights
    (the bank roster, unmasked, is for approved rolls only); the export is logged."""
    from openpyxl import Workbook

    from audit.choices import AccessAction
    from audit.services import record_access
    from eldercare.spreadsheets import append_row, workbook_bytes
    from elders.rules import mask_id_number
    from regions.scope import sees_personal_data

    from .selectors import batch_payees

    require(acting_user, region=batch.region_id)
    unmasked = sees_personal_data(acting_user)
    book = Workbook()
    sheet = book.active
    sheet.title = batch.period
    append_row(
        sheet,
        [_("Name"), _("ID number"), _("Payee"), _("Bank account"), _("Month"), _("Amount"), _("Status")],
    )
    labels = dict(PaymentStatus.choices)
    count = 0
    for row in (
        batch_payees(batch, search)
        .values_list("name", "id_number", "payee_name", "payee_account", "period", "amount", "status")
        .iterator()
    ):
        name, id_number, payee, account, month, amount, status = row
        if not unmasked:
            id_number, account = mask_id_number(id_number or ""), mask_account(account)
        append_row(
            sheet,
            [name, id_number, payee, account, month, amount, str(labels.get(status, status))],
            money_columns=(5,),
        )
        count += 1
    record_access(
        user=acting_user,
        action=AccessAction.EXPORT,
        what=_("payees of the roll %(scheme)s %(period)s")
        % {"scheme": batch.scheme.code, "period": batch.period},
        object_id=batch.pk,
        rows=count,
        unmasked=unmasked,
    )
    return workbook_bytes(book)
