"""The month's settlement: capped by the allowance, flagged services held, settled once, approved."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from homecare import services
from homecare.choices import LineStatus
from homecare.models import AllowanceMonth, Flag, Statement, StatementLine
from homecare.selectors import allowances_of
from homecare.settlement import approve_statement, dispute_line, settle_month, statement_workbook

from .helpers import deliver, month, month_start


def test_beyond_the_allowance_is_not_paid(ny):
    # 200 yuan this month: 50 + 100 + 100 yuan of services; the last is paid only its 50 left,
    # and one more after it is not paid at all.
    start = month_start()
    deliver(ny, start=start, minutes=60)
    deliver(ny, start=start + timedelta(hours=2), minutes=120)
    third = deliver(ny, start=start + timedelta(hours=5), minutes=120)
    fourth = deliver(ny, start=start + timedelta(hours=8), minutes=60)
    result = settle_month(period=month())
    assert (result.statements, result.lines) == (1, 4)
    statement = Statement.objects.get(provider=ny["provider"], period=month())
    assert statement.claimed == Decimal("300.00") and statement.payable == Decimal("200.00")
    assert (third.line.paid, third.line.status) == (Decimal("50.00"), LineStatus.BEYOND)
    assert (fourth.line.paid, fourth.line.status) == (Decimal("0.00"), LineStatus.BEYOND)
    allowance = AllowanceMonth.objects.get(entitlement=ny["entitlement"], period=month())
    assert (allowance.used, allowance.left) == (Decimal("200.00"), Decimal("0.00"))
    [view] = allowances_of(ny["elder"], month())
    assert view.left == 0


def test_a_second_run_settles_nothing_new(ny):
    order = deliver(ny, start=month_start())
    first = settle_month(period=month())
    second = settle_month(period=month())
    assert (first.lines, second.lines) == (1, 0)
    assert StatementLine.objects.filter(order=order).count() == 1
    statement = Statement.objects.get()
    assert statement.payable == Decimal("50.00")
    # A later service of the same month joins the statement; the first is not paid again.
    deliver(ny, start=month_start() + timedelta(hours=3))
    assert settle_month(period=month()).lines == 1
    statement.refresh_from_db()
    assert statement.payable == Decimal("100.00")


def test_settlement_queries_do_not_grow_with_the_services(ny, django_assert_max_num_queries):
    # Set-based: one statement per kind of work, whatever the number of services.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    deliver(ny, start=month_start())
    with CaptureQueriesContext(connection) as one:
        settle_month(period=month())
    for hour in range(2, 12, 2):
        deliver(ny, start=month_start() + timedelta(hours=hour))
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert settle_month(period=month()).lines == 5


def test_flagged_is_held_until_the_district_decides(ny):
    start = month_start()
    good = deliver(ny, start=start, minutes=60)
    short = deliver(ny, start=start + timedelta(hours=2), minutes=10)  # outside 30-180 minutes
    settle_month(period=month())
    statement = Statement.objects.get()
    assert short.line.status == LineStatus.HELD and short.line.paid == 0
    assert good.line.status == LineStatus.PAYABLE
    with pytest.raises(ValidationError, match="暂缓"):
        approve_statement(acting_user=ny["officer"], statement=statement)
    flag = Flag.objects.get(order=short)
    with pytest.raises(PermissionDenied):
        services.decide_flag(acting_user=ny["worker"], flag=flag, accept=True, note="核实")
    services.decide_flag(acting_user=ny["officer"], flag=flag, accept=True, note="电话回访核实,老人确认")
    short.line.refresh_from_db()
    assert (short.line.status, short.line.paid) == (LineStatus.PAYABLE, Decimal("12.50"))
    statement.refresh_from_db()
    assert statement.payable == Decimal("62.50")
    dispute_line(acting_user=ny["staff"], line=good.line, reason="时长记录有误")
    with pytest.raises(PermissionDenied):
        approve_statement(acting_user=ny["staff"], statement=statement)
    approve_statement(acting_user=ny["officer"], statement=statement)
    statement.refresh_from_db()
    assert statement.status == "approved"
    book = load_workbook(
        __import__("io").BytesIO(statement_workbook(acting_user=ny["officer"], statement=statement))
    )
    rows = list(book.active.iter_rows(values_only=True))
    assert any(r[1] == "王奶奶" and r[6] == 50 for r in rows)
    assert rows[-1][6] == 62.5


def test_rejected_finding_is_not_paid(ny):
    order = deliver(ny, start=month_start(), minutes=240)
    settle_month(period=month())
    services.decide_flag(
        acting_user=ny["officer"], flag=Flag.objects.get(order=order), accept=False, note="超时不合理"
    )
    order.line.refresh_from_db()
    assert (order.line.status, order.line.paid) == (LineStatus.REJECTED, 0)


def test_carry_over(ny, settings):
    from homecare.settlement import open_allowance_months
    from policies.models import PolicySection
    from policies.selectors import invalidate

    row = PolicySection.objects.get(section="homecare", region_id="411300000000")
    data = dict(row.data)
    data["allowances"] = {
        "value": [{**data["allowances"]["value"][0], "unused": "carry"}],
        "source": data["allowances"]["value"][0]["source"],
    }
    row.data = data
    row.save()
    invalidate()
    deliver(ny, start=month_start(), minutes=60)
    settle_month(period=month())
    from core.periods import next_period

    following = next_period(month_start().date())
    entitlement = ny["entitlement"]
    assert open_allowance_months(following) == 1
    carried = AllowanceMonth.objects.get(entitlement=entitlement, period=following)
    assert (carried.granted, carried.carried_in) == (Decimal("200.00"), Decimal("150.00"))


def test_monthly_figures(ny):
    from homecare.metrics import emergency_calls, homecare_orders, homecare_settlement
    from reports.metrics import Month

    deliver(ny, start=month_start(), minutes=60)
    deliver(ny, start=month_start() + timedelta(hours=2), minutes=10)  # flagged: too short
    settle_month(period=month())
    village = ny["village"].code
    orders = homecare_orders(Month(month()))
    assert orders["homecare_delivered"][village] == (2, None) and orders["homecare_flagged"][village] == (
        1,
        None,
    )
    assert orders["homecare_minutes"][village] == (70, None)
    money = homecare_settlement(Month(month()))
    assert money["homecare_paid"][village] == (5000, None)  # fen: the flagged one is held
    assert money["homecare_allowance_unused"][village] == (15000, None)
    assert money["homecare_allowance_used"][village] == (5000, None)
    assert emergency_calls(Month(month())) == {}


def test_dashboard_cards_of_home_services(ny, client):
    from reports.services import compute_month

    deliver(ny, start=month_start(), minutes=60)
    settle_month(period=month())
    compute_month(month())
    client.force_login(ny["officer"])
    html = client.get(f"/dashboard/?region={ny['district']}&period={month()}").content.decode()
    assert 'data-testid="homecare-figures"' in html
    # Labels in Chinese, money in yuan (not fen): 50 paid of the 200 granted.
    assert "居家服务" in html and "50.00" in html and "150.00" in html


def test_confirmed_after_its_month_was_approved_goes_to_the_next_statement(ny):
    # Last month's service is checked out but confirmed only after last month's statement was
    # approved: it is not lost (the next month's statement pays it) and not paid twice.
    from io import BytesIO

    from django.utils.translation import gettext

    from core.periods import current_period
    from homecare.choices import StatementStatus

    on_time = deliver(ny, start=month_start())
    late = deliver(ny, start=month_start() + timedelta(hours=3), confirm=False)
    assert settle_month(period=month()).lines == 1
    first = Statement.objects.get(period=month())
    approve_statement(acting_user=ny["officer"], statement=first)
    services.confirm(acting_user=ny["staff"], order=late, pin="246810")
    # Its own month is closed: a re-run of it settles nothing.
    assert settle_month(period=month()).lines == 0
    assert settle_month(period=current_period()).lines == 1
    line = StatementLine.objects.get(order=late)
    assert line.statement.period == current_period() and line.statement.status == StatementStatus.DRAFT
    assert line.late and (line.paid, line.status) == (Decimal("50.00"), LineStatus.PAYABLE)
    assert not StatementLine.objects.get(order=on_time).late
    first.refresh_from_db()
    assert first.payable == Decimal("50.00")  # the approved statement is untouched
    # It draws on the allowance of the month it is paid with.
    this_month = AllowanceMonth.objects.get(entitlement=ny["entitlement"], period=current_period())
    assert this_month.used == Decimal("50.00")
    # Whatever is re-run, once.
    assert settle_month(period=current_period()).lines == 0
    assert settle_month(period=month()).lines == 0
    assert StatementLine.objects.filter(order=late).count() == 1
    # The finance office's export says so.
    book = load_workbook(BytesIO(statement_workbook(acting_user=ny["officer"], statement=line.statement)))
    marked = gettext("delivered in an earlier month")
    assert any(marked in str(c.value) for r in book.active.iter_rows() for c in r)
