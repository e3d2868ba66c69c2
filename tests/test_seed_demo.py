"""The demo city: deterministic, valid, spread like a real registry, every role can log in."""

from collections import Counter

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from assessments.models import Assessment
from elders.demo import DEMO_PASSWORD, seed
from elders.models import Elder
from elders.rules import age_on, parse_id_number
from regions.choices import Role

pytestmark = pytest.mark.django_db


def test_seed_builds_a_valid_spread_city_and_is_rerunnable(wenzhou, capsys):
    call_command("seed_demo", "--elders", "300")
    out = capsys.readouterr().out
    elders = list(Elder.objects.select_related("residence"))
    assert len(elders) == 300
    today = timezone.localdate()
    for e in elders:
        parsed = parse_id_number(e.id_number, today=today)
        assert (parsed.birth_date, parsed.sex) == (e.birth_date, e.sex)
        assert 60 <= age_on(e.birth_date, today) <= 106
        assert e.residence.level == "village" and e.residence_id.startswith("3303")
    assert len(Counter(e.living_arrangement for e in elders)) >= 4
    assert len(Counter(e.economic_status for e in elders)) >= 2
    assert len({e.residence.parent_id for e in elders}) >= 5  # several streets
    assert Assessment.objects.filter(status="confirmed").count() > 50
    for role in Role.values:
        assert role in out
    assert DEMO_PASSWORD in out

    call_command("seed_demo", "--elders", "300")
    assert Elder.objects.count() == 300


def test_every_demo_account_logs_in(wenzhou):
    seed(elders=20)
    request = RequestFactory().post("/accounts/login/")
    for username in (
        "city",
        "district",
        "street",
        "worker",
        "worker2",
        "assessor",
        "leader",
        "provider",
        "admin",
    ):
        assert authenticate(request, username=username, password=DEMO_PASSWORD) is not None, username
    roles = set(
        get_user_model()
        .objects.filter(staff_profile__isnull=False)
        .values_list("staff_profile__role", flat=True)
    )
    assert roles == set(Role.values)


def test_same_seed_same_city(wenzhou):
    seed(elders=50, seed=7)
    first = list(Elder.objects.order_by("id_number").values_list("id_number", "name", "residence_id"))
    seed(elders=50, seed=7, reset=True)
    second = list(Elder.objects.order_by("id_number").values_list("id_number", "name", "residence_id"))
    assert first == second


def test_the_demo_has_schemes_with_marked_amounts_applications_at_every_step_and_a_roll_to_run(wenzhou, capsys):
    from subsidies.demo import DEMO_MARK
    from subsidies.disbursement import run_disbursement
    from subsidies.models import Application, Entitlement, Scheme
    from subsidies.tests.helpers import months_ago

    call_command("seed_demo", "--elders", "1500")
    out = capsys.readouterr().out
    assert "What to try" in out and "应享未享" in out
    schemes = {s.code: s for s in Scheme.objects.filter(code__in=["WZ-FREE-HOME-CARE", "NAT-HIGH-AGE"])}
    assert all(s.active and s.name.endswith(DEMO_MARK) and "演示金额" in s.legal_basis for s in schemes.values())
    steps = Counter((a.status, a.level) for a in Application.objects.filter(scheme=schemes["WZ-FREE-HOME-CARE"]))
    assert steps[("under_review", "street")] and steps[("under_review", "district")]
    assert {status for status, _level in steps} >= {"under_review", "returned", "approved"}
    assert Entitlement.objects.filter(scheme=schemes["NAT-HIGH-AGE"], first_period=months_ago(3)).exists()
    assert run_disbursement(period=months_ago(1)).payments > 0


def test_the_demo_city_has_a_year_of_supervision_and_its_figures(wenzhou):
    """Plans drawn with their seeds, orders at every stage with a 约谈, warnings and a blacklisting,
    complaints at every state, a low-rated provider's task, estates, reviews and stars; and the
    latest closed month's supervision figures of the city are not empty."""
    from core.periods import closed_periods
    from reports.metrics import METRICS
    from reports.models import MonthlyStat
    from services.models import CreditRecord
    from supervision import models as sv
    from supervision.services import reproduce_draw

    seed(elders=300)
    plans = list(sv.InspectionPlan.objects.order_by("region_id"))
    assert [p.region_id for p in plans] == ["330302000000", "330303000000", "330304000000"]
    for plan in plans:
        drawn = sorted(d.facility for d in reproduce_draw(plan))
        assert drawn == sorted(plan.inspections.values_list("facility_id", flat=True))
    assert sv.InspectionResult.objects.count() > 1000 and sv.Finding.objects.exists()
    orders = sv.RectificationOrder.objects.all()
    assert {o.status for o in orders} == {"open", "closed", "escalated"}
    assert orders.filter(status="open", overdue_since__isnull=False).exists()
    assert orders.filter(status="open", overdue_since__isnull=True).exists()
    closed = orders.get(status="closed")
    assert closed.answer and closed.reinspection.status == "done"
    assert set(sv.CaseAction.objects.values_list("kind", flat=True)) == {"interview", "penalty_referral"}
    assert set(CreditRecord.objects.values_list("kind", flat=True)) == {"warning", "blacklist"}
    complaints = sv.Complaint.objects.all()
    assert {c.status for c in complaints} == {"open", "replied", "closed"}
    assert complaints.filter(overdue_since__isnull=False).exists()
    assert {c.satisfaction for c in complaints} >= {"satisfied", "basically", "unsatisfied"}
    assert complaints.filter(inspection__status="done").exists()
    assert sv.SupervisionTask.objects.filter(reason="low_rating", provider__name="温州颐乐护理服务中心").exists()
    assert sv.ServiceRating.objects.filter(visit__isnull=False).exists()
    assert sv.EstateRoomCheck.objects.count() == 8
    assert sv.OperatorReview.objects.filter(passed=True).exists()
    assert set(sv.StarApplication.objects.values_list("status", flat=True)) == {"evaluating", "published"}

    latest = closed_periods(timezone.localdate(), 1)[0]
    city = {
        s.metric: s.value
        for s in MonthlyStat.objects.filter(period=latest, region_id="330300000000", is_current=True)
    }
    codes = [code for code, m in METRICS.items() if m.sheet == "supervision"]
    assert all(code in city for code in codes if not code.startswith("findings_")), set(codes) - set(city)
    for code in (
        "inspection_coverage",
        "findings",
        "rectifications_open",
        "rectifications_overdue",
        "complaints_received",
        "complaints_on_time",
        "service_satisfaction",
        "operators_warned",
        "operators_blacklisted",
        "estates_checked",
        "estate_rooms_compliant",
        "operator_reviews",
        "operator_reviews_pass_rate",
    ):
        assert city[code] > 0, code
