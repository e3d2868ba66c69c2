"""The monthly figures per scheme: recipients, amount paid, and 应享未享 counts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reports.models import MonthlyStat
from reports.services import compute_month
from subsidies.disbursement import run_disbursement
from subsidies.tests.helpers import months_ago, poor_disabled_in_institution

pytestmark = pytest.mark.django_db


def figure(region, metric, period):
    return MonthlyStat.objects.filter(period=period, region_id=region, metric=metric, is_current=True).first()


def test_per_scheme_figures_and_unclaimed(approved):
    elder, jl = approved
    period = months_ago(1)
    run_disbursement(period=period)
    # A second poor disabled resident who never applied: eligible but not receiving.
    other = poor_disabled_in_institution(jl)
    other.registered_on = timezone.localdate() - timedelta(days=700)
    other.save()
    other.recognised_results.update(assessed_on=timezone.localdate() - timedelta(days=80))
    compute_month(period)
    village = jl["village"].code
    recipients = figure(village, "subsidy_recipients.JL-INSTITUTION-STAY", period)
    amount = figure(village, "subsidy_amount.JL-INSTITUTION-STAY", period)
    assert recipients.numerator == 1
    assert amount.value > 0 and amount.value == figure(village, "subsidy_amount", period).value
    # Eligible at the end of that month without an entitlement: the other elder only.
    assert figure(village, "subsidy_unclaimed.JL-INSTITUTION-STAY", period).numerator == 1
    assert figure("220100000000", "subsidy_unclaimed", period).numerator >= 1
    assert figure("220100000000", "subsidy_recipients.JL-INSTITUTION-STAY", period).numerator == 1
