"""The Jilin pack: eligibility with reasons and amounts for real schemes."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from assessments.models import RecognisedResult
from policies.services import load_policy_pack
from regions.models import Region
from regions.services import load_regions
from subsidies.models import Scheme
from subsidies.tests.helpers import load_pack_for_today
from tests.factories import ElderFactory, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def jilin(db):
    load_regions(prefix="2201")  # 长春市
    load_policy_pack(name="national")
    load_pack_for_today("jilin", "22")
    village = Region.objects.filter(code__startswith="2201", level="village").order_by("code").first()
    worker = make_staff("jl_worker", "community_worker", village.code)
    return village, worker


def graded(elder, grade, recorder):
    RecognisedResult.objects.create(
        elder=elder,
        source="ltc_insurance",
        assessed_on=timezone.localdate() - timedelta(days=3),
        grade=grade,
        valid_until=timezone.localdate() + timedelta(days=300),
        recorded_by=recorder,
    )


def rows_for(worker, elder):
    c = APIClient()
    c.force_authenticate(worker)
    resp = c.get(f"/api/v1/elders/{elder.pk}/eligibility/")
    assert resp.status_code == 200
    return {r["scheme"]: r for r in resp.json()}


def test_pack_loads_real_schemes_and_keeps_open_amounts_inactive(jilin):
    assert Scheme.objects.get(code="JL-INSTITUTION-STAY").active
    assert not Scheme.objects.get(code="NAT-HIGH-AGE").active


def test_poor_severely_disabled_elder_in_an_institution_gets_300_a_month(jilin):
    village, worker = jilin
    elder = ElderFactory(residence_id=village.code, economic_status="dibao", living_arrangement="institution")
    graded(elder, 3, worker)
    rows = rows_for(worker, elder)
    stay = rows["JL-INSTITUTION-STAY"]
    assert (
        stay["eligible"] and Decimal(stay["amount"]) == Decimal("300.00") and stay["frequency"] == "monthly"
    )
    assert not rows["JL-HOME-CARE"]["eligible"]  # lives in an institution
    assert "NAT-HIGH-AGE" not in rows  # inactive until the amount is set


def test_home_care_subsidy_wins_over_the_disabled_care_subsidy(jilin):
    village, worker = jilin
    elder = ElderFactory(
        residence_id=village.code,
        economic_status="extreme_poverty",
        living_arrangement="alone",
        disability_grade=1,
    )
    graded(elder, 4, worker)
    rows = rows_for(worker, elder)
    assert (
        Decimal(rows["JL-HOME-CARE"]["amount"]) == Decimal("100.00")
        and rows["JL-HOME-CARE"]["excluded_by"] is None
    )
    assert rows["JL-DISABLED-CARE"]["eligible"] and rows["JL-DISABLED-CARE"]["excluded_by"] == "JL-HOME-CARE"


def test_an_expired_assessment_does_not_count(jilin):
    village, worker = jilin
    elder = ElderFactory(
        residence_id=village.code, economic_status="dibao", living_arrangement="with_children"
    )
    RecognisedResult.objects.create(
        elder=elder,
        source="health",
        assessed_on=timezone.localdate() - timedelta(days=400),
        grade=4,
        valid_until=timezone.localdate() - timedelta(days=35),
        recorded_by=worker,
    )
    rows = rows_for(worker, elder)
    assert not rows["JL-HOME-CARE"]["eligible"]
    assert any("能力等级" in r or "ability grade" in r for r in rows["JL-HOME-CARE"]["reasons"])


def test_outside_the_region_is_404(jilin, staff):
    village, _worker = jilin
    elder = ElderFactory(residence_id=village.code)
    c = APIClient()
    c.force_authenticate(staff["community_worker"])
    assert c.get(f"/api/v1/elders/{elder.pk}/eligibility/").status_code == 404
