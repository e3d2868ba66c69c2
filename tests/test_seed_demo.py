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
