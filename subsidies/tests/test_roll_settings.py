"""The payment roll's settings come from the pack in force at the batch's region."""

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.periods import parse_period
from policies.models import PolicySection
from policies.selectors import invalidate
from services.models import Visit
from subsidies.disbursement import cross_checks, run_disbursement
from subsidies.models import DisbursementBatch
from subsidies.policy import parse, scheme_settings
from subsidies.tests.helpers import months_ago

pytestmark = pytest.mark.django_db


def no_visit_reasons(batch):
    return [c["reason"] for c in cross_checks(batch) if "visit" in c["reason"] or "探访" in c["reason"]]


def test_no_visit_window_is_read_from_the_pack_of_the_batch_region(approved, english):
    elder, jl = approved
    run_disbursement(period=months_ago(1))
    batch = DisbursementBatch.objects.get(period=months_ago(1))
    assert scheme_settings(batch.region_id).no_visit_months == 3  # Jilin's pack keeps the national 3
    _first, last = parse_period(batch.period)
    visited = timezone.make_aware(datetime.combine(last - timedelta(days=50), time(10)))
    Visit.objects.create(
        elder=elder, visitor=jl["worker"], visited_at=visited, method="home", outcome="normal"
    )
    assert no_visit_reasons(batch) == []  # visited 50 days before the month's end: within 3 months

    section = PolicySection.objects.get(region_id="220000000000", section="schemes")
    section.data["no_visit_months"] = {"value": 1, "source": "测试：吉林改为1个月"}
    section.save()
    invalidate()
    assert set(no_visit_reasons(batch)) == {"no visit in the last 1 months"}  # each month paid is flagged


def test_a_bad_window_is_refused_naming_the_key():
    with pytest.raises(ValidationError, match="no_visit_months"):
        parse({"schemes": {"value": [], "source": "x"}, "no_visit_months": {"value": 0, "source": "x"}})
    assert parse({"schemes": {"value": [], "source": "x"}}).no_visit_months == 3
