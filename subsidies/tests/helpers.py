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
