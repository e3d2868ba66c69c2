"""The assessment API: server-side scoring, item-level errors, two signatures, scope."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.instrument import ITEMS
from assessments.models import Assessment, AssessmentRequest, RecognisedResult
from assessments.services import queue_due_reassessments
from tests.factories import LONGWAN, WUMA, WUMA_GULOU, WUMA_MOCHI, ElderFactory, api_client, make_staff

pytestmark = pytest.mark.django_db
FULL = {item.code: item.max_score for item in ITEMS}


def client_for(user):
    return api_client(user)


@pytest.fixture
def team(staff):
    second = make_staff("assessor2", "assessor", WUMA)
    far = make_staff("assessor_lw", "assessor", LONGWAN)
    return staff["assessor"], second, far


def payload(elder, assessors, **extra):
    items = dict(FULL)
    items.update({"B.1.1": 2, "B.1.3": 0, "B.2.3": 1, "B.3.4": 2})  # total 90 - 2 - 4 - 3 - 2 = 79
    body = {
        "elder": elder.pk,
        "assessed_on": str(timezone.localdate() - timedelta(days=1)),
        "reason": "first",
        "items": items,
        "conditions": {"coma": False, "dementia": True, "psychiatric": False, "risk_events_30d": 0},
        "assessors": [a.pk for a in assessors],
    }
    body.update(extra)
    return body


def test_post_scores_on_the_server_and_confirm_by_the_second_assessor(team):
    first, second, _far = team
    elder = ElderFactory()
    resp = client_for(first).post("/api/v1/assessments/", payload(elder, [first, second]), format="json")
    assert resp.status_code == 201, resp.json()
    body = resp.json()
    assert body["status"] == "submitted"
    assert body["subtotals"] == {"B.1": 26, "B.2": 12, "B.3": 26, "B.4": 15}
    assert body["total_score"] == 79 and body["preliminary_grade"] == 1
    assert body["grade"] == 2  # dementia raises one grade
    assert (
        body["valid_until"] == str(timezone.localdate() - timedelta(days=1) + timedelta(days=365))
        or body["valid_until"]
    )
    assert client_for(first).post(f"/api/v1/assessments/{body['id']}/confirm/").status_code == 403
    confirmed = client_for(second).post(f"/api/v1/assessments/{body['id']}/confirm/")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    elder_body = client_for(first).get(f"/api/v1/elders/{elder.pk}/").json()
    assert elder_body["ability_grade"] == 2
    listed = client_for(first).get("/api/v1/elders/").json()["results"]
    assert [row["ability_grade"] for row in listed if row["id"] == elder.pk] == [2]


def test_client_sent_scores_are_ignored(team):
    first, second, _ = team
    body = payload(ElderFactory(), [first, second], grade=0, total_score=90)
    resp = client_for(first).post("/api/v1/assessments/", body, format="json")
    assert resp.json()["grade"] == 2 and resp.json()["total_score"] == 79


@pytest.mark.parametrize("change, item", [({"B.2.4": 4}, "B.2.4"), ({"B.3.7": -1}, "B.3.7")])
def test_out_of_range_item_is_400_naming_it(team, change, item):
    first, second, _ = team
    body = payload(ElderFactory(), [first, second])
    body["items"].update(change)
    resp = client_for(first).post("/api/v1/assessments/", body, format="json")
    assert resp.status_code == 400
    assert item in resp.json()["items"]
    assert Assessment.objects.count() == 0


def test_missing_item_is_400_naming_it(team):
    first, second, _ = team
    body = payload(ElderFactory(), [first, second])
    del body["items"]["B.4.5"]
    resp = client_for(first).post("/api/v1/assessments/", body, format="json")
    assert resp.status_code == 400 and "B.4.5" in resp.json()["items"]


def test_two_assessors_required_by_default(team):
    first, _second, _ = team
    resp = client_for(first).post("/api/v1/assessments/", payload(ElderFactory(), [first]), format="json")
    assert resp.status_code == 400 and "assessors" in resp.json()


def test_assessor_outside_the_region_cannot_create_or_read(team):
    first, second, far = team
    elder = ElderFactory()
    resp = client_for(far).post("/api/v1/assessments/", payload(elder, [far, first]), format="json")
    assert resp.status_code == 400 and "elder" in resp.json()
    created = (
        client_for(first).post("/api/v1/assessments/", payload(elder, [first, second]), format="json").json()
    )
    assert client_for(far).get(f"/api/v1/assessments/{created['id']}/").status_code == 404
    assert client_for(far).get("/api/v1/assessments/").json()["count"] == 0


def test_community_worker_cannot_assess(team, staff):
    first, second, _ = team
    resp = client_for(staff["community_worker"]).post(
        "/api/v1/assessments/", payload(ElderFactory(), [first, second]), format="json"
    )
    assert resp.status_code == 403


def test_coma_needs_no_items(team):
    first, second, _ = team
    body = payload(ElderFactory(), [first, second], items={}, conditions={"coma": True})
    resp = client_for(first).post("/api/v1/assessments/", body, format="json")
    assert resp.status_code == 201 and resp.json()["grade"] == 4


def test_expired_result_does_not_count_and_recognised_one_does(team, staff):
    first, second, _ = team
    elder = ElderFactory()
    old = payload(elder, [first, second], assessed_on=str(timezone.localdate() - timedelta(days=400)))
    created = client_for(first).post("/api/v1/assessments/", old, format="json").json()
    client_for(second).post(f"/api/v1/assessments/{created['id']}/confirm/")
    assert client_for(first).get(f"/api/v1/elders/{elder.pk}/").json()["ability_grade"] is None
    RecognisedResult.objects.create(
        elder=elder,
        source="ltc_insurance",
        assessed_on=timezone.localdate() - timedelta(days=10),
        grade=3,
        valid_until=timezone.localdate() + timedelta(days=300),
        recorded_by=staff["street_officer"],
    )
    assert client_for(first).get(f"/api/v1/elders/{elder.pk}/").json()["ability_grade"] == 3


def test_due_list_schedule_queues_expiring_results_once(team):
    first, second, _ = team
    soon = ElderFactory()
    later = ElderFactory(residence_id=WUMA_MOCHI)
    for elder, days in ((soon, 350), (later, 10)):
        body = payload(elder, [first, second], assessed_on=str(timezone.localdate() - timedelta(days=days)))
        created = client_for(first).post("/api/v1/assessments/", body, format="json").json()
        client_for(second).post(f"/api/v1/assessments/{created['id']}/confirm/")
    counts = queue_due_reassessments(on=timezone.localdate())
    assert counts == {WUMA_GULOU[:9]: 1}
    assert list(AssessmentRequest.objects.values_list("elder_id", flat=True)) == [soon.pk]
    queue_due_reassessments(on=timezone.localdate())
    assert AssessmentRequest.objects.count() == 1


def test_list_query_count_is_constant(team, django_assert_max_num_queries):
    first, second, _ = team
    c = client_for(first)
    for _i in range(3):
        c.post("/api/v1/assessments/", payload(ElderFactory(), [first, second]), format="json")
    with django_assert_max_num_queries(10) as few:
        assert c.get("/api/v1/assessments/").json()["count"] == 3
    baseline = len(few.captured_queries)  # read now: every request clears the query log
    for _i in range(8):
        c.post("/api/v1/assessments/", payload(ElderFactory(), [first, second]), format="json")
    with django_assert_max_num_queries(baseline):
        assert c.get("/api/v1/assessments/").json()["count"] == 11


def test_daily_task_runs_through_celery(team):
    from assessments.tasks import queue_due_reassessments_task

    first, second, _ = team
    elder = ElderFactory()
    body = payload(elder, [first, second], assessed_on=str(timezone.localdate() - timedelta(days=364)))
    created = client_for(first).post("/api/v1/assessments/", body, format="json").json()
    client_for(second).post(f"/api/v1/assessments/{created['id']}/confirm/")
    result = queue_due_reassessments_task.delay()
    assert result.get() == {WUMA_GULOU[:9]: 1}
    assert AssessmentRequest.objects.get().elder == elder


def test_an_own_assessment_newer_than_a_recognised_result_wins_and_vice_versa(team, staff):
    first, second, _ = team
    elder = ElderFactory()
    today = timezone.localdate()
    RecognisedResult.objects.create(
        elder=elder,
        source="health",
        assessed_on=today - timedelta(days=30),
        grade=4,
        valid_until=today + timedelta(days=300),
        recorded_by=staff["street_officer"],
    )
    body = payload(elder, [first, second], assessed_on=str(today - timedelta(days=5)))
    created = client_for(first).post("/api/v1/assessments/", body, format="json").json()
    client_for(second).post(f"/api/v1/assessments/{created['id']}/confirm/")
    row = client_for(first).get(f"/api/v1/elders/?q={elder.id_number}").json()["results"][0]
    assert row["ability_grade"] == 2  # own, newer
    RecognisedResult.objects.create(
        elder=elder,
        source="ltc_insurance",
        assessed_on=today - timedelta(days=1),
        grade=3,
        valid_until=today + timedelta(days=300),
        recorded_by=staff["street_officer"],
    )
    row = client_for(first).get(f"/api/v1/elders/?q={elder.id_number}").json()["results"][0]
    assert row["ability_grade"] == 3  # recognised, newer
    assert client_for(first).get(f"/api/v1/elders/{elder.pk}/").json()["ability_grade"] == 3


def test_grade_counts_from_the_results_side_equal_the_per_elder_expression(team, staff):
    from collections import Counter

    from django.db.models import Q

    from assessments.selectors import annotate_grade, grades_by_residence
    from elders.models import Elder

    first, second, _ = team
    today = timezone.localdate()
    cases = [(5, None), (400, None), (20, (10, 3)), (10, (30, 4)), (None, (15, 1)), (None, None), (3, (3, 4))]
    for own_days, recognised in cases:
        elder = ElderFactory()
        if own_days is not None:
            body = payload(elder, [first, second], assessed_on=str(today - timedelta(days=own_days)))
            created = client_for(first).post("/api/v1/assessments/", body, format="json").json()
            client_for(second).post(f"/api/v1/assessments/{created['id']}/confirm/")
        if recognised is not None:
            days, grade = recognised
            RecognisedResult.objects.create(
                elder=elder,
                source="health",
                assessed_on=today - timedelta(days=days),
                grade=grade,
                valid_until=today + timedelta(days=100),
                recorded_by=staff["street_officer"],
            )
    per_elder = Counter(
        g
        for g in annotate_grade(Elder.objects.all(), today).values_list("ability_grade", flat=True)
        if g is not None
    )
    from_results = grades_by_residence(today, Q())[WUMA_GULOU]
    assert dict(per_elder) == from_results == {2: 3, 3: 1, 1: 1}  # expired and none: ungraded
