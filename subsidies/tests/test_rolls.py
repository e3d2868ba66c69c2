"""Payment-roll review in the pages: a roll run from the UI with its progress, every payee listed and
searchable, each cross-check decided (pay, or exclude the payee) before an approval that asks for
confirmation, and the bank account captured on the application."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AccessLog
from core.periods import period_of
from subsidies.disbursement import record_checks, run_roll
from subsidies.models import Application, DisbursementBatch, Entitlement, Payment, RollRun
from subsidies.selectors import batch_totals
from subsidies.tasks import run_disbursement_task
from subsidies.tests.helpers import months_ago, poor_disabled_in_institution
from subsidies.tests.test_pages import as_user, text
from tests.factories import make_staff

pytestmark = pytest.mark.django_db
CITY = "220100000000"


def _run(client, period, region=CITY, capture=None):
    with capture(execute=True):
        return client.post("/subsidies/runs/", {"period": period, "region": region})


def test_the_city_runs_a_roll_from_the_page_and_follows_it_to_the_end(
    approved, django_capture_on_commit_callbacks
):
    elder, jl = approved
    city_user = make_staff("jc", "city_admin", CITY)
    city = as_user(city_user)
    page = text(city.get("/subsidies/batches/"))
    assert 'data-testid="run-roll"' in page and months_ago(1) in page  # last month proposed
    response = _run(city, months_ago(2), capture=django_capture_on_commit_callbacks)
    run = RollRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/subsidies/runs/{run.pk}/"
    assert (run.status, run.requested_by, run.percent) == ("done", city_user, 100)
    # Two months: the first and its arrears month; the cross-checks are stored for the approver.
    assert run.payments == Payment.objects.count() == 2 and run.checks >= 1
    page = text(city.get(f"/subsidies/runs/{run.pk}/"))
    assert 'data-status="done"' in page and "2 new payments" in page and "hx-trigger" not in page
    batch = DisbursementBatch.objects.get(period=months_ago(2))
    assert f"/subsidies/batches/{batch.pk}/" in page
    # Run again: nobody is paid twice.
    _run(city, months_ago(2), capture=django_capture_on_commit_callbacks)
    assert RollRun.objects.latest("pk").payments == 0 and Payment.objects.count() == 2
    # A page still waiting asks again every two seconds.
    waiting = RollRun.objects.create(
        period=months_ago(1), region_id=CITY, requested_by=city_user, requested_at=run.requested_at
    )
    assert 'hx-trigger="every 2s"' in text(city.get(f"/subsidies/runs/{waiting.pk}/"))
    assert run_roll(waiting.pk).status == "done"
    assert run_roll(waiting.pk).payments == RollRun.objects.get(pk=waiting.pk).payments  # not run twice


def test_who_may_run_which_region_and_month(approved, django_capture_on_commit_callbacks):
    _elder, jl = approved
    district_code = jl["village"].code[:6].ljust(12, "0")
    district = as_user(jl["district"])
    response = _run(district, months_ago(2), region=district_code, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302, response
    from django.contrib.messages import get_messages

    assert RollRun.objects.filter(region_id=district_code).exists(), [
        str(m) for m in get_messages(response.wsgi_request)
    ]
    # Not the whole city, not a month to come, not twice at once.
    refused = district.post("/subsidies/runs/", {"period": months_ago(2), "region": CITY}, follow=True)
    assert RollRun.objects.count() == 1 and "Select a valid choice" in text(refused)
    future = period_of(timezone.localdate().replace(day=1) + timedelta(days=40))
    refused = district.post("/subsidies/runs/", {"period": future, "region": district_code}, follow=True)
    assert "still to come" in text(refused) and RollRun.objects.count() == 1
    RollRun.objects.create(
        period=months_ago(1),
        region_id=district_code,
        requested_by=jl["district"],
        requested_at=RollRun.objects.get().requested_at,
    )
    refused = district.post(
        "/subsidies/runs/", {"period": months_ago(1), "region": district_code}, follow=True
    )
    assert "already being run" in text(refused) and RollRun.objects.count() == 2
    # A community worker runs nothing; a street officer neither.
    assert (
        as_user(jl["worker"]).post("/subsidies/runs/", {"period": months_ago(2), "region": CITY}).status_code
        == 403
    )
    assert as_user(jl["street"]).get("/subsidies/runs/1/").status_code in (403, 404)


def test_each_check_is_decided_before_approval_and_an_excluded_payee_is_not_paid(approved):
    elder, jl = approved
    city_user = make_staff("jc", "city_admin", CITY)
    city = as_user(city_user)
    run_disbursement_task(period=months_ago(2))  # the monthly task stores the checks as well
    batch = DisbursementBatch.objects.get(period=months_ago(2))
    checks = {c.code: c for c in batch.checks.all()}
    assert {"no_visit", "no_account"} <= set(checks)  # never visited; no bank account captured
    before = batch_totals(batch)
    city.post(f"/subsidies/batches/{batch.pk}/approve/", {"confirm": "on"})
    batch.refresh_from_db()
    assert batch.status == "draft"  # two checks open
    # Excluding needs a reason.
    response = city.post(
        f"/subsidies/batches/{batch.pk}/checks/",
        {"checks": [checks["no_account"].pk], "decision": "excluded"},
        follow=True,
    )
    assert "Say why" in text(response) and not Payment.objects.filter(status="excluded").exists()
    city.post(
        f"/subsidies/batches/{batch.pk}/checks/",
        {"checks": [checks["no_account"].pk], "decision": "excluded", "comment": "无银行账户，待补录"},
    )
    assert set(Payment.objects.filter(entitlement__elder=elder).values_list("status", flat=True)) == {
        "excluded"
    }
    assert batch_totals(batch)["payments"] == 0 and before["payments"] == 2
    page = text(city.get(f"/subsidies/batches/{batch.pk}/"))
    assert "无银行账户，待补录" in page and "Excluded from the roll" in page
    # Out of the roll, its other finding (no visit) needs no decision any more; approval goes through.
    assert not batch.checks.filter(decision="open").exists()
    city.post(f"/subsidies/batches/{batch.pk}/approve/", {"confirm": "on"})
    batch.refresh_from_db()
    assert batch.status == "approved"
    roster = load_workbook(BytesIO(city.get(f"/subsidies/batches/{batch.pk}/roster.xlsx").content)).active
    assert roster.max_row == 1  # only the header: the excluded payee goes nowhere
    # An approved roll's decisions are final.
    response = city.post(
        f"/subsidies/batches/{batch.pk}/checks/",
        {"checks": [checks["no_account"].pk], "decision": "acknowledged"},
        follow=True,
    )
    assert "already approved" in text(response)


def test_a_re_run_keeps_decisions_and_drops_findings_that_no_longer_hold(approved):
    elder, jl = approved
    city_user = make_staff("jc", "city_admin", CITY)
    run_disbursement_task(period=months_ago(2))
    batch = DisbursementBatch.objects.get(period=months_ago(2))
    others = list(batch.checks.exclude(code="no_account").values_list("pk", flat=True))
    as_user(city_user).post(
        f"/subsidies/batches/{batch.pk}/checks/",
        {"checks": others, "decision": "acknowledged", "comment": "电话核实"},
    )
    decided = set(batch.checks.exclude(code="no_account").values_list("code", "decision", "comment"))
    assert decided and {d[1:] for d in decided} == {("acknowledged", "电话核实")}
    Entitlement.objects.filter(elder=elder).update(payee_account="6222000011113333")
    assert record_checks(batch) == 0  # the account is there now: nothing left open
    assert set(batch.checks.values_list("code", "decision", "comment")) == decided


def test_payees_listed_searched_and_exported_masked_for_a_leader(approved):
    elder, jl = approved
    Entitlement.objects.filter(elder=elder).update(payee_name="郑家人", payee_account="6222000011114444")
    other = poor_disabled_in_institution(jl)
    Entitlement.objects.create(
        elder=other,
        scheme=Entitlement.objects.get(elder=elder).scheme,
        first_period=months_ago(2),
        amount=Decimal("300.00"),
        payee_account="6222000099995555",
    )
    run_disbursement_task(period=months_ago(2))
    batch = DisbursementBatch.objects.get(period=months_ago(2))
    city = as_user(make_staff("jc", "city_admin", CITY))
    page = text(city.get(f"/subsidies/batches/{batch.pk}/"))
    payees = page.split('data-testid="payees"')[1].split("</table>")[0]
    assert elder.name in payees and other.name in payees and "6222000011114444" in payees
    assert "3 payments" in page
    found = text(city.get(f"/subsidies/batches/{batch.pk}/", {"q": elder.id_number[-4:]}))
    found = found.split('data-testid="payees"')[1].split("</table>")[0]
    assert elder.name in found and other.name not in found
    by_account = text(city.get(f"/subsidies/batches/{batch.pk}/", {"q": "9995555"}))
    assert (
        other.name in by_account.split('data-testid="payees"')[1]
        and elder.name not in by_account.split('data-testid="payees"')[1].split("</table>")[0]
    )

    leader_user = make_staff("jl", "leader", CITY)
    leader = as_user(leader_user)
    page = text(leader.get(f"/subsidies/batches/{batch.pk}/"))
    assert "6222000011114444" not in page and "****4444" in page and elder.id_number not in page
    assert 'data-testid="approve-form"' not in page
    book = load_workbook(BytesIO(leader.get(f"/subsidies/batches/{batch.pk}/payees.xlsx").content)).active
    values = [str(c.value) for row in book.iter_rows() for c in row if c.value is not None]
    assert "****4444" in values and "6222000011114444" not in values
    assert elder.id_number not in values and any(v.endswith(elder.id_number[-4:]) for v in values)
    log = AccessLog.objects.get(user=leader_user, action="export")
    assert (log.rows, log.unmasked) == (3, False)
    # The leader may look but not decide or approve.
    assert leader.post(f"/subsidies/batches/{batch.pk}/approve/", {"confirm": "on"}).status_code == 403
    assert (
        leader.post(
            f"/subsidies/batches/{batch.pk}/checks/",
            {"checks": [batch.checks.first().pk], "decision": "acknowledged"},
        ).status_code
        == 403
    )


def test_the_bank_account_is_captured_on_the_application_and_reaches_the_roll(jl):
    elder = poor_disabled_in_institution(jl)
    worker = as_user(jl["worker"])
    page = text(worker.get(f"/subsidies/apply/{elder.pk}/", {"scheme": "JL-INSTITUTION-STAY"}))
    assert 'name="payee_account"' in page and elder.name in page
    bad = worker.post(
        f"/subsidies/apply/{elder.pk}/", {"scheme": "JL-INSTITUTION-STAY", "payee_account": "6222-ABC"}
    )
    assert bad.status_code == 200 and "8 to 30 digits" in bad.content.decode()
    assert not Application.objects.exists()
    good = worker.post(
        f"/subsidies/apply/{elder.pk}/",
        {"scheme": "JL-INSTITUTION-STAY", "payee_account": "6222 0000 1111 6666"},
    )
    assert good.status_code == 302
    application = Application.objects.get()
    assert (application.payee_name, application.payee_account) == (elder.name, "6222000011116666")
    from subsidies.tests.helpers import api

    for reviewer in ("street", "district"):
        api(jl[reviewer]).post(
            f"/api/v1/subsidy-applications/{application.pk}/review/", {"decision": "approve"}, format="json"
        )
    assert Entitlement.objects.get(elder=elder).payee_account == "6222000011116666"
    # The API masks it for a role without personal-data rights.
    leader = make_staff("jl", "leader", CITY)
    row = api(leader).get(f"/api/v1/subsidy-applications/{application.pk}/").json()
    assert row["payee_account"] == "****6666"
    assert api(jl["worker"]).get(f"/api/v1/subsidy-applications/{application.pk}/").json()[
        "payee_account"
    ] == ("6222000011116666")
