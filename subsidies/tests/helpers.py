"""Small builders shared by the subsidy tests."""

from datetime import timedelta

from django.utils import timezone
from rest_framework.test import APIClient

from assessments.models import RecognisedResult
from core.periods import period_of
from tests.factories import ElderFactory


def api(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


def poor_disabled_in_institution(jl):
    elder = ElderFactory(
        residence_id=jl["village"].code, economic_status="dibao", living_arrangement="institution"
    )
    RecognisedResult.objects.create(
        elder=elder,
        source="health",
        assessed_on=timezone.localdate() - timedelta(days=2),
        grade=3,
        valid_until=timezone.localdate() + timedelta(days=300),
        recorded_by=jl["worker"],
    )
    return elder


def months_ago(n: int) -> str:
    day = timezone.localdate().replace(day=1)
    for _ in range(n):
        day = (day - timedelta(days=1)).replace(day=1)
    return period_of(day)


def load_pack_for_today(name: str, region_code: str) -> None:
    """Load a city pack whose schemes the mechanics tests use today.

    The packs end their schemes with the document's period (吉林's plan in 2020, 咸宁's pilot in
    2021): these tests exercise applications and rolls in the present, so the end dates are
    lifted here; policies/tests/test_packs.py tests the real periods.
    """
    from policies.services import load_policy_pack
    from subsidies.models import Scheme

    result = load_policy_pack(name=name, region_code=region_code)
    Scheme.objects.filter(region=result.region).update(effective_to=None)


def decide_all(batch, user, decision: str = "acknowledged") -> int:
    """Decide every open cross-check of a roll (the approver's step before approval)."""
    from subsidies.disbursement import decide_checks, record_checks

    record_checks(batch)
    ids = list(batch.checks.filter(decision="open").values_list("pk", flat=True))
    if not ids:
        return 0
    return decide_checks(acting_user=user, batch=batch, checks=ids, decision=decision, comment="核实无误")
