"""Visits: validation, follow-ups, the due list, the API contract, scope and query counts."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.periods import current_period
from services.models import FollowUp, Visit
from services.selectors import due_list
from services.services import close_follow_up, record_visit
from tests.factories import WUMA_GULOU, WUMA_MOCHI, ElderFactory, api_client

pytestmark = pytest.mark.django_db


def api(user):
    return api_client(user)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())


def period_now() -> str:
    return current_period()


@pytest.mark.usefixtures("english")
class TestValidation:
    def test_future_visit_is_refused(self, staff):
        elder = ElderFactory()
        with pytest.raises(ValidationError, match="future"):
            record_visit(
                acting_user=staff["community_worker"],
                elder=elder,
                visited_at=timezone.now() + timedelta(days=1),
                method="home",
                outcome="normal",
            )

    def test_before_registration_refused_on_registration_day_accepted(self, staff):
        elder = ElderFactory(registered_on=timezone.localdate() - timedelta(days=3))
        with pytest.raises(ValidationError, match="registered"):
            record_visit(
                acting_user=staff["community_worker"],
                elder=elder,
                visited_at=at(elder.registered_on - timedelta(days=1)),
                method="phone",
                outcome="normal",
            )
        record_visit(
            acting_user=staff["community_worker"],
            elder=elder,
            visited_at=at(elder.registered_on, 9),
            method="phone",
            outcome="normal",
        )
        assert Visit.objects.count() == 1

    def test_after_death_refused(self, staff):
        elder = ElderFactory(
            status="deceased",
            death_date=timezone.localdate() - timedelta(days=5),
            registered_on=timezone.localdate() - timedelta(days=400),
        )
        with pytest.raises(ValidationError, match="death"):
            record_visit(
                acting_user=staff["community_worker"],
                elder=elder,
                visited_at=at(timezone.localdate() - timedelta(days=1)),
                method="home",
                outcome="normal",
            )

    def test_problem_needs_codes(self, staff):
        with pytest.raises(ValidationError, match="problems"):
            record_visit(
                acting_user=staff["community_worker"],
                elder=ElderFactory(),
                visited_at=timezone.now(),
                method="home",
                outcome="problem",
                problems=[],
            )


def test_problems_open_follow_ups_the_street_sees_until_closed(staff):
    visit = record_visit(
        acting_user=staff["community_worker"],
        elder=ElderFactory(),
        visited_at=timezone.now(),
        method="home",
        outcome="problem",
        problems=["health", "safety"],
        notes="腿脚不便，家中地滑",
    )
    assert set(FollowUp.objects.values_list("problem", flat=True)) == {"health", "safety"}
    rows = api(staff["street_officer"]).get("/api/v1/follow-ups/?status=open").json()["results"]
    assert {r["problem"] for r in rows} == {"health", "safety"}
    close_follow_up(
        acting_user=staff["street_officer"], follow_up=visit.follow_ups.first(), resolution="已联系家属"
    )
    assert api(staff["street_officer"]).get("/api/v1/follow-ups/?status=open").json()["count"] == 1


def test_due_list_excludes_visited_deceased_moved_and_counts_only_counted_visits(staff):
    alone = ElderFactory(living_arrangement="alone")
    visited = ElderFactory(living_arrangement="alone")
    not_found = ElderFactory(living_arrangement="alone")
    ElderFactory(living_arrangement="with_children")  # not in the target group
    ElderFactory(
        living_arrangement="alone", status="deceased", death_date=timezone.localdate() - timedelta(days=40)
    )
    ElderFactory(living_arrangement="alone", status="moved")
    worker = staff["community_worker"]
    record_visit(
        acting_user=worker, elder=visited, visited_at=timezone.now(), method="video", outcome="normal"
    )
    record_visit(
        acting_user=worker, elder=not_found, visited_at=timezone.now(), method="home", outcome="not_found"
    )
    due = list(due_list(worker, period_now()))
    assert {e.pk for e in due} == {alone.pk, not_found.pk}
    assert due[0].pk == alone.pk  # never visited comes first


def test_due_list_includes_the_disabled_by_ability_grade(staff):
    from assessments.models import RecognisedResult

    elder = ElderFactory(living_arrangement="with_children")
    assert not list(due_list(staff["community_worker"], period_now()))
    RecognisedResult.objects.create(
        elder=elder,
        source="ltc_insurance",
        assessed_on=timezone.localdate() - timedelta(days=5),
        grade=3,
        valid_until=timezone.localdate() + timedelta(days=300),
        recorded_by=staff["street_officer"],
    )
    assert [e.pk for e in due_list(staff["community_worker"], period_now())] == [elder.pk]


def test_api_post_and_list_contract(staff):
    elder = ElderFactory()
    c = api(staff["community_worker"])
    resp = c.post(
        "/api/v1/visits/",
        {
            "elder": elder.pk,
            "visited_at": timezone.now().isoformat(),
            "method": "phone",
            "outcome": "problem",
            "problems": ["mental"],
            "notes": "情绪低落",
        },
        format="json",
    )
    assert resp.status_code == 201, resp.json()
    assert resp.json()["problems"] == ["mental"]
    bad = c.post(
        "/api/v1/visits/",
        {
            "elder": elder.pk,
            "visited_at": timezone.now().isoformat(),
            "method": "phone",
            "outcome": "problem",
        },
        format="json",
    )
    assert bad.status_code == 400 and "problems" in bad.json()
    listed = c.get(f"/api/v1/visits/?elder={elder.pk}&period={period_now()}").json()
    assert listed["count"] == 1
    assert c.get("/api/v1/visits/?period=2026-13").status_code == 400


def test_api_due_rows_carry_the_elder_id_and_risks(staff):
    elder = ElderFactory(living_arrangement="alone", born=date(1935, 1, 1))
    body = api(staff["community_worker"]).get(f"/api/v1/visits/due/?period={period_now()}").json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["elder"] == elder.pk and row["residence"] == WUMA_GULOU
    assert {"high_age", "alone", "never_visited"} <= set(row["risks"])


def test_other_communitys_elder_is_out_of_reach(staff):
    other = ElderFactory(residence_id=WUMA_MOCHI, living_arrangement="alone")
    c = api(staff["community_worker"])
    resp = c.post(
        "/api/v1/visits/",
        {"elder": other.pk, "visited_at": timezone.now().isoformat(), "method": "home", "outcome": "normal"},
        format="json",
    )
    assert resp.status_code == 400 and "elder" in resp.json()
    assert c.get(f"/api/v1/visits/due/?period={period_now()}").json()["count"] == 0
    visit = record_visit(
        acting_user=staff["street_officer"],
        elder=other,
        visited_at=timezone.now(),
        method="home",
        outcome="normal",
    )
    assert c.get(f"/api/v1/visits/{visit.pk}/").status_code == 404


def test_due_list_and_visit_list_query_counts_are_constant(staff, django_assert_max_num_queries):
    c = api(staff["street_officer"])
    ElderFactory.create_batch(3, living_arrangement="alone")
    for e in ElderFactory.create_batch(3, living_arrangement="empty_nest"):
        record_visit(
            acting_user=staff["street_officer"],
            elder=e,
            visited_at=timezone.now(),
            method="home",
            outcome="normal",
        )
    # The pack's visits section, grade mapping and 高龄 ages are read once here, then cached.
    with django_assert_max_num_queries(9) as few:
        c.get(f"/api/v1/visits/due/?period={period_now()}")
        c.get("/api/v1/visits/")
    baseline = len(few.captured_queries)
    ElderFactory.create_batch(20, living_arrangement="alone", residence_id=WUMA_MOCHI)
    for e in ElderFactory.create_batch(10, living_arrangement="empty_nest"):
        record_visit(
            acting_user=staff["street_officer"],
            elder=e,
            visited_at=timezone.now(),
            method="phone",
            outcome="normal",
        )
    with django_assert_max_num_queries(baseline):
        assert c.get(f"/api/v1/visits/due/?period={period_now()}").json()["count"] == 23
        assert c.get("/api/v1/visits/").json()["count"] == 13


def test_follow_up_date_and_assignee_can_be_given(staff):
    day = timezone.localdate() + timedelta(days=3)
    resp = api(staff["community_worker"]).post(
        "/api/v1/visits/",
        {
            "elder": ElderFactory().pk,
            "visited_at": timezone.now().isoformat(),
            "method": "home",
            "outcome": "problem",
            "problems": ["subsidy"],
            "follow_up_by": str(day),
            "follow_up_assignee": staff["street_officer"].pk,
        },
        format="json",
    )
    assert resp.status_code == 201, resp.json()
    follow_up = FollowUp.objects.get()
    assert follow_up.due_on == day and follow_up.assigned_to == staff["street_officer"]


def test_street_officer_closes_a_follow_up_through_the_api(staff):
    record_visit(
        acting_user=staff["community_worker"],
        elder=ElderFactory(),
        visited_at=timezone.now(),
        method="home",
        outcome="problem",
        problems=["living"],
    )
    follow_up = FollowUp.objects.get()
    c = api(staff["street_officer"])
    resp = c.post(f"/api/v1/follow-ups/{follow_up.pk}/close/", {"resolution": "已协调修缮"}, format="json")
    assert resp.status_code == 200 and resp.json()["status"] == "closed"
    assert (
        api(staff["leader"])
        .post(f"/api/v1/follow-ups/{follow_up.pk}/close/", {"resolution": "x"}, format="json")
        .status_code
        == 403
    )


def test_one_follow_up_per_problem_and_the_page_says_so(staff):
    from django.test import Client

    # Registered a month ago: a visit two hours ago must not fall before it near local midnight.
    elder = ElderFactory(registered_on=timezone.localdate() - timedelta(days=30))
    worker = staff["community_worker"]
    first = record_visit(
        acting_user=worker,
        elder=elder,
        visited_at=timezone.now() - timedelta(hours=2),
        method="home",
        outcome="problem",
        problems=["health", "health", "safety"],
    )
    assert sorted(first.follow_ups.values_list("problem", flat=True)) == ["health", "safety"]
    # A later visit finding the same health problem while it is followed up opens no second one;
    # a new problem opens its own.
    c = Client()
    c.force_login(worker)
    resp = c.post(
        f"/visits/new/{elder.pk}/",
        {
            "visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "method": "phone",
            "outcome": "problem",
            "problems": ["health", "mental"],
            "notes": "",
        },
        follow=True,
    )
    page = resp.content.decode()
    assert "已为街道生成跟进事项：精神状态。" in page
    assert "以下问题已在跟进中，未重复生成：健康。" in page
    open_rows = FollowUp.objects.filter(elder=elder, status="open")
    assert sorted(open_rows.values_list("problem", flat=True)) == ["health", "mental", "safety"]
    # Once closed, the same problem found again is a new follow-up.
    close_follow_up(
        acting_user=staff["street_officer"],
        follow_up=open_rows.get(problem="health"),
        resolution="已就医",
    )
    again = record_visit(
        acting_user=worker,
        elder=elder,
        visited_at=timezone.now(),
        method="home",
        outcome="problem",
        problems=["health"],
    )
    assert list(again.follow_ups.values_list("problem", flat=True)) == ["health"]
