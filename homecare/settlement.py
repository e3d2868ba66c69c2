"""Monthly settlement: per provider, a statement of the month's confirmed services drawn on an
allowance, priced and capped by each elder's allowance; flagged services held until the district
decides. Set-based SQL; a service is settled exactly once (StatementLine.order is unique and the
insert skips settled orders), whatever is re-run."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.periods import parse_period, period_bounds, previous_period
from core.scope import in_scope
from services.models import Provider
from services.services import provider_of
from subsidies.choices import PaymentForm
from subsidies.models import Entitlement

from . import rules
from .choices import FlagDecision, LineStatus, OrderStatus, StatementStatus
from .models import AllowanceMonth, Flag, Order, Statement, StatementLine
from .policy import homecare_settings
from .services import cross_check


@dataclass
class SettlementResult:
    period: str
    statements: int
    lines: int
    flags: int
    allowance_months: int


def _tables() -> dict[str, str]:
    return {
        "order": Order._meta.db_table,
        "line": StatementLine._meta.db_table,
        "statement": Statement._meta.db_table,
        "month": AllowanceMonth._meta.db_table,
        "flag": Flag._meta.db_table,
        "entitlement": Entitlement._meta.db_table,
        "scheme": Entitlement._meta.get_field("scheme").related_model._meta.db_table,
        "elder": Entitlement._meta.get_field("elder").related_model._meta.db_table,
    }


# Open the month of every live allowance of one scheme in one city; a carried-over rule brings in
# what last month left. Existing months are kept (a re-run changes nothing).
_OPEN_MONTHS = """
INSERT INTO {month} (entitlement_id, elder_id, period, unit, granted, carried_in, used, unused_rule)
SELECT e.id, e.elder_id, %(period)s, %(unit)s, COALESCE(%(hours)s, e.amount),
       CASE WHEN %(rule)s = 'carry' THEN COALESCE((
           SELECT CASE WHEN p.granted + p.carried_in - p.used > 0 THEN p.granted + p.carried_in - p.used ELSE 0 END
           FROM {month} p WHERE p.entitlement_id = e.id AND p.period = %(previous)s), 0) ELSE 0 END,
       0, %(rule)s
FROM {entitlement} e JOIN {scheme} sc ON sc.id = e.scheme_id JOIN {elder} el ON el.id = e.elder_id
WHERE sc.code = %(scheme)s AND el.residence_id LIKE %(city)s AND e.status = 'active'
  AND e.first_period <= %(period)s AND (e.last_period = '' OR e.last_period >= %(period)s)
ON CONFLICT (entitlement_id, period) DO NOTHING
"""

# The month's confirmed, unsettled services, in order of delivery per allowance: each takes what
# is left of its allowance (`room`), held and rejected ones take nothing. An order whose
# allowance has no month (suspended, stopped) has no room: not paid.
# A service of an earlier month still unsettled (confirmed after its month's statement was
# approved, or its provider had none that month) is `late`: it goes on this month's statement,
# after this month's own services, within this month's allowance (its own month is closed: its
# unused allowance has lapsed or been carried over). The unique order of a line settles it once.
# Every join and probe goes through an index (the order's statement by provider, its allowance
# month, its findings by order): the rows this transaction just wrote have stale statistics
# however often they are analysed (a rolled-back run leaves its row counts behind), and a join
# without an index under a "one row" estimate is a nested loop over every pair (the 100,000-line
# run that never finished).
_LINES = """
INSERT INTO {line} (statement_id, order_id, elder_id, entitlement_id, claimed, paid, used, status, late, dispute_reason, disputed_at)
WITH c AS MATERIALIZED (
    SELECT o.id, o.elder_id, o.entitlement_id, o.amount, o.checked_in_at, s.id AS statement_id,
           o.checked_in_at < %(start)s AS late,
           COALESCE(a.granted + a.carried_in - a.used, 0) AS avail,
           CASE WHEN a.unit = 'hours' THEN ROUND(o.minutes / 60.0, 2) ELSE o.amount END AS takes,
           -- The order's worst finding (2 rejected, 1 pending, 0 none or accepted): one probe of
           -- the findings' order index; MATERIALIZED so it is probed once, not once per use below.
           COALESCE((SELECT MAX(CASE WHEN f.decision = 'rejected' THEN 2 WHEN f.decision = 'pending' THEN 1
                                     ELSE 0 END)
                     FROM {flag} f WHERE f.order_id = o.id), 0) AS finding
    FROM {order} o
    JOIN {statement} s ON s.provider_id = o.provider_id AND s.period = %(period)s AND s.status = 'draft'
    LEFT JOIN {month} a ON a.entitlement_id = o.entitlement_id AND a.period = %(period)s
    WHERE o.status = 'confirmed' AND o.entitlement_id IS NOT NULL
      AND o.checked_in_at < %(end)s
      AND NOT EXISTS (SELECT 1 FROM {line} l WHERE l.order_id = o.id)
      {provider_filter}
)
SELECT w.statement_id, w.id, w.elder_id, w.entitlement_id, w.amount,
       CASE WHEN w.finding > 0 OR w.room <= 0 THEN 0
            WHEN w.room >= w.takes THEN w.amount
            ELSE ROUND(w.amount * w.room / w.takes, 2) END,
       CASE WHEN w.finding > 0 OR w.room <= 0 THEN 0
            WHEN w.room >= w.takes THEN w.takes ELSE w.room END,
       CASE WHEN w.finding = 2 THEN 'rejected' WHEN w.finding = 1 THEN 'held'
            WHEN w.room >= w.takes THEN 'payable' ELSE 'beyond' END,
       w.late, '', NULL
FROM (
    SELECT c.*, c.avail - SUM(CASE WHEN c.finding > 0 THEN 0 ELSE c.takes END)
           OVER (PARTITION BY c.entitlement_id ORDER BY c.late, c.checked_in_at, c.id ROWS UNBOUNDED PRECEDING)
           + CASE WHEN c.finding > 0 THEN 0 ELSE c.takes END AS room
    FROM c
) w
WHERE TRUE
ON CONFLICT (order_id) DO NOTHING
"""

# Set-based (a grouped join, never a subquery per row): the lines were just written in this
# transaction, so the planner has no statistics for them.
_USED = """
UPDATE {month} SET used = t.used FROM (
    SELECT l.entitlement_id, SUM(l.used) AS used FROM {line} l JOIN {statement} s ON s.id = l.statement_id
    WHERE s.period = %(period)s GROUP BY l.entitlement_id
) t
WHERE {month}.entitlement_id = t.entitlement_id AND {month}.period = %(period)s AND {month}.used <> t.used
"""

_TOTALS = """
UPDATE {statement} SET claimed = t.claimed, payable = t.paid FROM (
    SELECT l.statement_id, SUM(l.claimed) AS claimed, SUM(l.paid) AS paid FROM {line} l
    JOIN {statement} s ON s.id = l.statement_id WHERE s.period = %(period)s GROUP BY l.statement_id
) t
WHERE {statement}.id = t.statement_id AND {statement}.status = 'draft' {provider_only}
"""


def month_orders(period: str, provider_id: int | None = None):
    """The confirmed, unsettled services this month's run settles: its own and late ones."""
    _first, _last, _start, end = period_bounds(period)
    orders = Order.objects.filter(
        status=OrderStatus.CONFIRMED,
        entitlement__isnull=False,
        checked_in_at__lt=end,
        line__isnull=True,
    )
    return orders.filter(provider_id=provider_id) if provider_id else orders


def open_allowance_months(period: str) -> int:
    """The month of every live service-credit allowance, one INSERT per scheme and city."""
    t = _tables()
    pairs = set()
    for code, residence in (
        Entitlement.objects.filter(
            scheme__payment_form=PaymentForm.SERVICE_CREDIT, status="active", elder__isnull=False
        )
        .values_list("scheme__code", "elder__residence_id")
        .distinct()
        .order_by()
        .iterator()
    ):
        pairs.add((code, residence[:4]))
    made = 0
    with connection.cursor() as cursor:
        for code, city in sorted(pairs):
            rule = homecare_settings(city.ljust(12, "0")).allowance_of(code)
            if rule is None:
                continue
            cursor.execute(
                _OPEN_MONTHS.format(**t),
                {
                    "period": period,
                    "previous": previous_period(parse_period(period)[0]),
                    "unit": rule.unit,
                    "hours": rule.hours,
                    "rule": rule.unused,
                    "scheme": code,
                    "city": f"{city}%",
                },
            )
            made += cursor.rowcount
    return made


@transaction.atomic
def settle_month(*, period: str, provider_id: int | None = None) -> SettlementResult:
    """Settle a month: cross-check its confirmed services, open the allowance months, make each
    provider's statement and insert one line per service not yet settled. Idempotent."""
    t = _tables()
    _first, _last, start, end = period_bounds(period)
    if connection.vendor == "postgresql":
        # The run is index probes and one sort; PostgreSQL's JIT compiles its big cost estimates
        # for seconds (3 of 7 at 100,000 services) and gains nothing. For this transaction only.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
    orders = month_orders(period, provider_id)
    flags = cross_check(orders)
    months = open_allowance_months(period)
    providers = Provider.objects.filter(pk__in=orders.values("provider_id")).values_list("pk", "region_id")
    made = Statement.objects.bulk_create(
        [
            Statement(provider_id=pk, period=period, region_id=rules.district_of(region))
            for pk, region in providers
        ],
        ignore_conflicts=True,
    )
    del made
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The findings, months and statements this run just wrote have no statistics yet: without
            # them PostgreSQL plans the insert below as nested loops over "one row" (minutes, not
            # seconds, at city size). ANALYZE samples them inside this transaction.
            cursor.execute(f"ANALYZE {t['flag']}, {t['month']}, {t['statement']}")
        cursor.execute(
            _LINES.format(**t, provider_filter="AND o.provider_id = %(provider)s" if provider_id else ""),
            {
                "period": period,
                # As the ORM stores them (SQLite: UTC text, compared as text).
                "start": connection.ops.adapt_datetimefield_value(start),
                "end": connection.ops.adapt_datetimefield_value(end),
                "provider": provider_id,
            },
        )
        lines = cursor.rowcount
        cursor.execute(_USED.format(**t), {"period": period})
        cursor.execute(
            _TOTALS.format(
                **t, provider_only=f"AND {t['statement']}.provider_id = %(provider)s" if provider_id else ""
            ),
            {"period": period, "provider": provider_id},
        )
    statements = Statement.objects.filter(period=period)
    if provider_id:
        statements = statements.filter(provider_id=provider_id)
    return SettlementResult(period, statements.count(), max(lines, 0), flags, max(months, 0))


def _refresh(statement_id: int, entitlement_id: int, period: str) -> None:
    used = StatementLine.objects.filter(entitlement_id=entitlement_id, statement__period=period).aggregate(
        s=Sum("used")
    )["s"] or Decimal(0)
    AllowanceMonth.objects.filter(entitlement_id=entitlement_id, period=period).update(used=used)
    totals = StatementLine.objects.filter(statement_id=statement_id).aggregate(
        c=Sum("claimed"), p=Sum("paid")
    )
    Statement.objects.filter(pk=statement_id).update(claimed=totals["c"] or 0, payable=totals["p"] or 0)


def reprice_line(*, order_id: int) -> StatementLine | None:
    """A held line after a decision: still held while a finding is pending; rejected, not paid;
    otherwise paid within what is left of the allowance now."""
    line = (
        StatementLine.objects.select_for_update()
        .select_related("statement", "order")
        .filter(order_id=order_id, status=LineStatus.HELD)
        .first()
    )
    if line is None or line.statement.status != StatementStatus.DRAFT:
        return line
    decisions = set(Flag.objects.filter(order_id=order_id).values_list("decision", flat=True))
    if FlagDecision.PENDING in decisions:
        return line
    if FlagDecision.REJECTED in decisions:
        line.status, line.paid, line.used = LineStatus.REJECTED, Decimal(0), Decimal(0)
    else:
        month = (
            AllowanceMonth.objects.select_for_update()
            .filter(entitlement_id=line.entitlement_id, period=line.statement.period)
            .first()
        )
        left = month.left if month else Decimal(0)
        takes = rules.consumption(
            allowance_unit=month.unit if month else "yuan",
            amount=line.claimed,
            minutes=line.order.minutes or 0,
        )
        line.paid, line.used = rules.capped(amount=line.claimed, takes=takes, left=left)
        line.status = LineStatus.PAYABLE if line.paid == line.claimed else LineStatus.BEYOND
    line.save(update_fields=["status", "paid", "used"])
    _refresh(line.statement_id, line.entitlement_id, line.statement.period)
    return line


@transaction.atomic
def approve_statement(*, acting_user, statement: Statement) -> Statement:
    """The district (or city) approves a provider's month, as payment rolls are approved; lines
    still held on a finding must be decided first."""
    if not acting_user.has_perm("homecare.change_statement"):
        raise PermissionDenied(_("You may not approve settlement statements."))
    if not in_scope(acting_user, statement.region_id):
        raise PermissionDenied(_("This statement is outside your region of responsibility."))
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    if statement.status == StatementStatus.APPROVED:
        raise ValidationError(_("This statement is already approved."))
    held = statement.lines.filter(status=LineStatus.HELD).count()
    if held:
        raise ValidationError(
            _("%(n)d services are held on a cross-check finding: decide them before approving.") % {"n": held}
        )
    statement.status = StatementStatus.APPROVED
    statement.approved_by = acting_user
    statement.approved_at = timezone.now()
    statement.save(update_fields=["status", "approved_by", "approved_at"])
    return statement


@transaction.atomic
def dispute_line(*, acting_user, line: StatementLine, reason: str) -> StatementLine:
    """The provider disputes a line of its own statement, with a reason, before approval."""
    line = StatementLine.objects.select_for_update().select_related("statement").get(pk=line.pk)
    own = provider_of(acting_user)
    if own is None or own.pk != line.statement.provider_id:
        raise PermissionDenied(_("Only the provider's staff dispute its statement."))
    if line.statement.status != StatementStatus.DRAFT:
        raise ValidationError(_("This statement is already approved."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the line is disputed.")})
    line.dispute_reason = reason.strip()
    line.disputed_at = timezone.now()
    line.save(update_fields=["dispute_reason", "disputed_at"])
    return line


def statement_workbook(*, acting_user, statement: Statement) -> bytes:
    """The statement for the finance office, as Excel (formula-safe); the export is logged."""
    from openpyxl import Workbook

    from audit.choices import AccessAction
    from audit.services import record_access
    from eldercare.spreadsheets import append_row, workbook_bytes

    if not acting_user.has_perm("homecare.view_statement"):
        raise PermissionDenied(_("You may not read settlement statements."))
    if not in_scope(acting_user, statement.region_id):
        raise PermissionDenied(_("This statement is outside your region of responsibility."))
    book = Workbook()
    sheet = book.active
    sheet.title = statement.period
    append_row(
        sheet,
        [
            _("Provider"),
            str(statement.provider),
            _("Month"),
            statement.period,
            _("Status"),
            str(statement.get_status_display()),
        ],
    )
    append_row(
        sheet,
        [
            _("Order"),
            _("Elder"),
            _("Item"),
            _("Checked in at"),
            _("Minutes"),
            _("Claimed"),
            _("Paid"),
            _("Status"),
            _("Disputed because"),
        ],
    )
    labels = dict(LineStatus.choices)
    count = 0
    for row in (
        statement.lines.order_by("order__checked_in_at", "id")
        .values_list(
            "order_id",
            "elder__name",
            "order__item__name",
            "order__checked_in_at",
            "order__minutes",
            "claimed",
            "paid",
            "status",
            "dispute_reason",
            "late",
        )
        .iterator()
    ):
        values = list(row[:-1])
        values[3] = timezone.localtime(values[3]).strftime("%Y-%m-%d %H:%M")
        values[7] = str(labels.get(values[7], values[7]))
        if row[-1]:
            values[7] = f"{values[7]} ({_('delivered in an earlier month')})"
        append_row(sheet, values, money_columns=(5, 6))
        count += 1
    append_row(
        sheet, ["", "", "", "", _("Total"), statement.claimed, statement.payable], money_columns=(5, 6)
    )
    record_access(
        user=acting_user,
        action=AccessAction.EXPORT,
        what=_("settlement statement %(p)s %(m)s") % {"p": statement.provider, "m": statement.period},
        object_id=statement.pk,
        rows=count,
        unmasked=False,
    )
    return workbook_bytes(book)
