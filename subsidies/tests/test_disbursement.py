"""Payment rolls: the Jilin case end to end, death mid-month, idempotence, arrears."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError
from django.utils import timezone
from rest_framework.test import APIClient

from core.periods import months_between
from elders.services import change_status
from subsidies.disbursement import run_disbursement
from subsidies.models import Entitlement, Payment
from subsidies.tests.helpers import decide_all, months_ago, poor_disabled_in_institution

pytestmark = pytest.mark.django_db


def test_jilin_month_death_mid_month_is_paid_and_the_next_is_not(approved):
    elder, jl = approved
    first = months_ago(3)
    result = run_disbursement(period=first)
    assert result.payments == 1
    payment = Payment.objects.get()
    assert (payment.period, payment.amount) == (first, Decimal("300.00"))
    again = run_disbursement(period=first)
    assert again.payments == 0 and Payment.objects.count() == 1
    # Died in the middle of the month before last.
    death_month_first = timezone.localdate().replace(day=1)
    for _ in range(2):
        death_month_first = (death_month_first - timedelta(days=1)).replace(day=1)
    change_status(
        elder=elder, status="deceased", on=death_month_first + timedelta(days=14), acting_user=jl["street"]
    )
    run_disbursement(period=months_ago(2))
    assert set(Payment.objects.values_list("period", flat=True)) == {months_ago(3), months_ago(2)}
    run_disbursement(period=months_ago(1))
    assert set(Payment.objects.values_list("period", flat=True)) == {months_ago(3), months_ago(2)}
    stopped = Entitlement.objects.get(elder=elder)
    assert stopped.status == "stopped" and stopped.stop_reason == "death"
    assert stopped.stopped_on == death_month_first + timedelta(days=14)


def test_arrears_are_paid_in_the_first_run_and_the_command_and_api_agree(approved, capsys):
    elder, jl = approved
    call_command("run_disbursement", "--period", months_ago(1))
    assert sorted(Payment.objects.values_list("period", flat=True)) == [
        months_ago(3),
        months_ago(2),
        months_ago(1),
    ]
    call_command("run_disbursement", "--period", months_ago(1))
    assert Payment.objects.count() == 3
    c = APIClient()
    c.force_authenticate(jl["worker"])
    rows = c.get(f"/api/v1/payments/?period={months_ago(2)}&elder={elder.pk}").json()["results"]
    assert [(r["scheme"], r["amount"]) for r in rows] == [("JL-INSTITUTION-STAY", "300.00")]


def test_the_database_refuses_a_second_payment_for_a_month(approved):
    run_disbursement(period=months_ago(3))
    payment = Payment.objects.get()
    with pytest.raises(IntegrityError):
        Payment.objects.create(
            batch=payment.batch, entitlement=payment.entitlement, period=payment.period, amount=payment.amount
        )


def test_months_between_crosses_years():
    assert months_between("2025-11", "2026-02") == ["2025-11", "2025-12", "2026-01", "2026-02"]


def test_checks_diff_approval_lock_roster_and_reissue(approved):
    from audit.models import AccessLog
    from subsidies.disbursement import approve_batch, cross_checks, diff_against_previous, mark_returned
    from subsidies.models import DisbursementBatch
    from tests.factories import make_staff

    elder, jl = approved
    city = make_staff("jc", "city_admin", "220100000000")
    run_disbursement(period=months_ago(3))
    run_disbursement(period=months_ago(2))
    batch = DisbursementBatch.objects.get(period=months_ago(2))
    reasons = {c["reason"] for c in cross_checks(batch)}
    assert any("visit" in r or "探访" in r for r in reasons)  # never visited
    Entitlement.objects.filter(elder=elder).update(payee_account="6222000011112222")
    other = poor_disabled_in_institution(jl)
    Entitlement.objects.create(
        elder=other,
        scheme=Entitlement.objects.get(elder=elder).scheme,
        first_period=months_ago(2),
        amount=Decimal("300.00"),
        payee_account="6222000011112222",
    )
    run_disbursement(period=months_ago(2))
    assert any("account" in c["reason"] or "账户" in c["reason"] for c in cross_checks(batch))
    diff = diff_against_previous(batch)
    assert (
        [d["name"] for d in diff["added"]] == [other.name] and diff["stopped"] == [] and diff["changed"] == []
    )
    c = APIClient()
    c.force_authenticate(jl["worker"])
    assert c.post(f"/api/v1/disbursement-batches/{batch.pk}/approve/").status_code == 403
    c.force_authenticate(city)
    assert c.get(f"/api/v1/disbursement-batches/{batch.pk}/roster/").status_code == 400  # not approved yet
    refused = c.post(f"/api/v1/disbursement-batches/{batch.pk}/approve/")
    assert refused.status_code == 400 and "核查未处理" in str(refused.json())  # the checks come first
    assert decide_all(batch, city) >= 2
    assert c.post(f"/api/v1/disbursement-batches/{batch.pk}/approve/").json()["status"] == "approved"
    late = poor_disabled_in_institution(jl)
    Entitlement.objects.create(
        elder=late, scheme=batch.scheme, first_period=months_ago(2), amount=Decimal("300.00")
    )
    run_disbursement(period=months_ago(2))
    assert not Payment.objects.filter(entitlement__elder=late).exists()  # the approved roll is locked
    roster = c.get(f"/api/v1/disbursement-batches/{batch.pk}/roster/")
    assert (
        roster.status_code == 200
        and AccessLog.objects.filter(user=city, action="roster_download", object_id=str(batch.pk)).exists()
    )
    returned = Payment.objects.get(entitlement__elder=elder, period=months_ago(2))
    mark_returned(acting_user=city, payment=returned, reason="账户已销户")
    run_disbursement(period=months_ago(1))
    reissued = (
        Payment.objects.filter(entitlement__elder=elder, period=months_ago(2)).exclude(pk=returned.pk).get()
    )
    assert reissued.batch.period == months_ago(1) and reissued.status == "pending"
    assert Payment.objects.filter(entitlement__elder=late, period=months_ago(2)).exists()  # paid as arrears
    _ = approve_batch


def test_monthly_figures_count_recipients_amounts_and_their_assessment_coverage(approved):
    from assessments.models import RecognisedResult
    from reports.models import MonthlyStat
    from reports.services import compute_month

    elder, jl = approved
    # Assessed well before the month being reported, so the result is valid at its end.
    RecognisedResult.objects.filter(elder=elder).update(assessed_on=timezone.localdate() - timedelta(days=90))
    run_disbursement(period=months_ago(1))
    compute_month(months_ago(1))
    village = elder.residence_id

    def stat(metric):
        return MonthlyStat.objects.get(
            period=months_ago(1), region_id=village, metric=metric, is_current=True
        )

    assert stat("subsidy_recipients").numerator == 1
    assert stat("subsidy_amount").numerator == 30000 and stat("subsidy_amount").value == Decimal("300.00")
    covered = stat("recipients_assessed")
    assert (covered.numerator, covered.denominator) == (1, 1)
    city = MonthlyStat.objects.get(
        period=months_ago(1), region_id="220100000000", metric="subsidy_amount", is_current=True
    )
    assert city.value == Decimal("300.00")
