"""Each role's inbox counts what its lists hold, in a fixed number of queries, and links there."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.instrument import ITEMS
from assessments.services import confirm_assessment, create_assessment, request_assessment
from core.inbox import items_for
from core.periods import current_period
from facilities import services as facility_services
from facilities.tests.helpers import make_facility
from notifications import selectors
from plans import selectors as plan_selectors
from services import selectors as visit_selectors
from services.models import FollowUp, ProviderStaff
from services.services import record_visit
from services.tests.factories import make_provider
from subsidies.models import DisbursementBatch, Scheme
from subsidies.tests.helpers import api, poor_disabled_in_institution
from tests.factories import WUMA, ElderFactory, make_staff

pytestmark = pytest.mark.django_db
FULL = {item.code: item.max_score for item in ITEMS}


def counts(user, on: date | None = None) -> dict[str, int]:
    return {e.key: e.count for e in selectors.inbox(user, on)}


def hrefs(user) -> dict[str, str]:
    return {e.key: e.href for e in selectors.inbox(user)}


def test_every_role_has_its_kinds_of_waiting_work():
    assert [i.key for i in items_for("community_worker")] == [
        "visits_due",
        "follow_ups_overdue",
        "applications_returned",
    ]
    assert [i.key for i in items_for("assessor")] == ["assessment_requests", "awaiting_my_confirmation"]
    assert {
        "applications_to_review",
        "follow_ups_overdue",
        "inspections_to_record",
        "star_applications_to_score",
    } == {i.key for i in items_for("street_officer")}
    assert {
        "applications_to_review",
        "rolls_to_approve",
        "rectification_overdue",
        "inspections_to_record",
        "star_applications_to_score",
    } == {i.key for i in items_for("district_officer")}
    assert {"applications_to_review", "rolls_to_approve", "tasks_overdue", "rectification_overdue"} == {
        i.key for i in items_for("city_admin")
    }
    assert [i.key for i in items_for("provider_staff")] == ["waitlist_offers", "waitlist_waiting"]
    assert items_for(None) == []


def _problem_visit(worker, elder, *, days_overdue: int):
    record_visit(
        acting_user=worker,
        elder=elder,
        visited_at=timezone.now() - timedelta(hours=1),
        method="home",
        outcome="problem",
        problems=["safety"],
    )
    FollowUp.objects.filter(elder=elder).update(due_on=timezone.localdate() - timedelta(days=days_overdue))


def test_the_worker_and_the_street_count_due_visits_and_overdue_follow_ups(staff):
    worker, street = staff["community_worker"], staff["street_officer"]
    for n in range(3):
        ElderFactory(name=f"待访{n}", living_arrangement="alone")
    late = ElderFactory(name="逾期跟进", living_arrangement="alone")
    _problem_visit(worker, late, days_overdue=2)
    not_late = ElderFactory(name="未到期跟进", living_arrangement="alone")
    record_visit(
        acting_user=worker,
        elder=not_late,
        visited_at=timezone.now() - timedelta(hours=1),
        method="home",
        outcome="problem",
        problems=["health"],
        follow_up_by=timezone.localdate() + timedelta(days=5),
    )
    due = visit_selectors.due_list(worker, current_period()).count()
    assert due == 3  # the two visited this month left the list
    found = counts(worker)
    assert found == {"visits_due": 3, "follow_ups_overdue": 1, "applications_returned": 0}
    assert counts(street)["follow_ups_overdue"] == 1
    # The counts link to the lists that show the same items.
    assert hrefs(worker)["follow_ups_overdue"] == "/visits/follow-ups/?overdue=1"
    from django.test import Client

    client = Client()
    client.force_login(street)
    page = client.get("/visits/follow-ups/?overdue=1").content.decode()
    assert "逾期跟进" in page and "未到期跟进" not in page
    everything = client.get("/visits/follow-ups/").content.decode()
    assert "逾期跟进" in everything and "未到期跟进" in everything


def test_applications_returned_to_the_worker_and_waiting_for_the_street(jl):
    first, second = poor_disabled_in_institution(jl), poor_disabled_in_institution(jl)
    ids = []
    for elder in (first, second):
        made = api(jl["worker"]).post(
            "/api/v1/subsidy-applications/",
            {"elder": elder.pk, "scheme": "JL-INSTITUTION-STAY"},
            format="json",
        )
        ids.append(made.json()["id"])
    assert counts(jl["street"])["applications_to_review"] == 2
    assert counts(jl["district"])["applications_to_review"] == 0
    api(jl["street"]).post(
        f"/api/v1/subsidy-applications/{ids[0]}/review/",
        {"decision": "reject", "comment": "缺少材料"},
        format="json",
    )
    api(jl["street"]).post(
        f"/api/v1/subsidy-applications/{ids[1]}/review/", {"decision": "approve"}, format="json"
    )
    assert counts(jl["worker"])["applications_returned"] == 1
    assert counts(jl["street"])["applications_to_review"] == 0
    assert counts(jl["district"])["applications_to_review"] == 1
    assert hrefs(jl["worker"])["applications_returned"] == "/subsidies/applications/?status=returned"


def test_the_city_counts_rolls_to_approve_and_overdue_tasks(jl):
    scheme = Scheme.objects.filter(region_id="220000000000").first() or Scheme.objects.first()
    DisbursementBatch.objects.create(period="2026-01", scheme=scheme, region_id="220100000000")
    DisbursementBatch.objects.create(
        period="2025-12", scheme=scheme, region_id="220100000000", status="approved"
    )
    found = counts(jl["city"])
    assert found["rolls_to_approve"] == 1
    expected = plan_selectors.assignments_in_scope(jl["city"]).filter(
        plan_selectors.overdue_q(timezone.localdate())
    )
    assert found["tasks_overdue"] == expected.count()
    from django.test import Client

    client = Client()
    client.force_login(jl["city"])
    page = client.get(hrefs(jl["city"])["rolls_to_approve"]).content.decode()
    assert "2026-01" in page and "2025-12" not in page


def test_overdue_tasks_of_the_citys_units(staff):
    from policies.services import load_policy_pack

    load_policy_pack(name="wenzhou", region_code="3303", only=["targets", "tasks"])
    far = date(2100, 1, 1)
    chief = staff["city_admin"]
    parts = plan_selectors.assignments_in_scope(chief).filter(plan_selectors.overdue_q(far)).count()
    assert parts > 0 and counts(chief, far)["tasks_overdue"] == parts


def test_the_assessor_counts_requests_and_what_waits_for_their_signature(staff):
    first, second = staff["assessor"], make_staff("assessor2", "assessor", WUMA)
    waiting = ElderFactory(name="待评估")
    request_assessment(acting_user=staff["community_worker"], elder=waiting, reason="first")
    assessed = ElderFactory(name="待确认")
    request_assessment(acting_user=staff["community_worker"], elder=assessed, reason="first")
    assessment = create_assessment(
        acting_user=first,
        elder=assessed,
        assessed_on=timezone.localdate() - timedelta(days=1),
        reason="first",
        items=FULL,
        assessors=[first, second],
    )
    assert counts(first) == {"assessment_requests": 1, "awaiting_my_confirmation": 0}
    assert counts(second) == {"assessment_requests": 1, "awaiting_my_confirmation": 1}
    from django.test import Client

    client = Client()
    client.force_login(second)
    page = client.get(hrefs(second)["awaiting_my_confirmation"]).content.decode()
    assert "待确认" in page
    confirm_assessment(acting_user=second, assessment=assessment)
    assert counts(second)["awaiting_my_confirmation"] == 0


def test_the_facility_counts_its_offers_and_applicants_and_links_to_its_page(staff):
    provider = make_provider()
    ProviderStaff.objects.create(user=staff["provider_staff"], provider=provider)
    home = make_facility(operator=provider, beds=2, nursing_beds=1)
    for n in range(3):
        facility_services.apply_for_bed(
            acting_user=staff["community_worker"],
            facility=home,
            elder=ElderFactory(name=f"轮候{n}"),
            applied_on=timezone.localdate() - timedelta(days=10 - n),
        )
    facility_services.offer_vacancy(acting_user=staff["street_officer"], facility=home)
    assert counts(staff["provider_staff"]) == {"waitlist_offers": 1, "waitlist_waiting": 2}
    assert hrefs(staff["provider_staff"])["waitlist_offers"] == f"/facilities/{home.pk}/#waitlist"
    # Another provider's account sees none of them.
    other = make_staff("other-provider", "provider_staff", "330302000000")
    ProviderStaff.objects.create(user=other, provider=make_provider(name="别家养老服务中心"))
    assert counts(other) == {"waitlist_offers": 0, "waitlist_waiting": 0}


@pytest.mark.parametrize(
    "role",
    ["community_worker", "street_officer", "district_officer", "assessor", "city_admin", "provider_staff"],
)
def test_the_inbox_page_costs_the_same_queries_whatever_the_data(
    client, staff, role, django_assert_max_num_queries
):
    user = staff[role]
    client.force_login(user)
    client.get("/")  # the session and the policy cache are warm

    def measured() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return len(queries)

    before = measured()
    for n in range(5):
        elder = ElderFactory(name=f"更多{n}", living_arrangement="alone")
        request_assessment(acting_user=staff["community_worker"], elder=elder, reason="first")
    _problem_visit(staff["community_worker"], ElderFactory(living_arrangement="alone"), days_overdue=1)
    assert measured() == before
    # One query per count, beside the page's own: the session (read, saved in a savepoint), the
    # account, its profile and permissions (2), the reminders.
    with django_assert_max_num_queries(9 + len(items_for(user.staff_profile.role))):
        client.get("/")


def test_the_badge_is_the_total_and_kept_briefly(client, staff):
    worker = staff["community_worker"]
    ElderFactory(living_arrangement="alone")
    client.force_login(worker)
    assert client.get("/inbox/badge/").json() == {"total": 1}
    ElderFactory(living_arrangement="alone")
    assert client.get("/inbox/badge/").json() == {"total": 1}  # cached for INBOX_BADGE_SECONDS
    page = client.get("/").content.decode()  # the inbox counts afresh, and the badge follows
    assert 'data-testid="inbox-total">2<' in page
    assert client.get("/inbox/badge/").json() == {"total": 2}


def test_every_role_lands_on_its_inbox(client, staff):
    for role, user in staff.items():
        client.force_login(user)
        page = client.get("/")
        assert page.status_code == 200, role
        assert 'data-testid="nav-inbox"' in page.content.decode()
