"""A resent submission with the same idempotency key records nothing new (visits, assessments,
registrations; API header and page form field alike)."""

import uuid
from datetime import date, timedelta

import pytest
from django.utils import timezone

from assessments.models import Assessment
from assessments.tests.test_api import payload as assessment_payload
from elders.models import Elder
from elders.rules import make_id_number
from services.models import Visit
from tests.factories import WUMA, WUMA_GULOU, ElderFactory, api_client, make_staff

pytestmark = pytest.mark.django_db


def api(user):
    return api_client(user)


def visit_body(elder):
    return {
        "elder": elder.pk,
        "visited_at": timezone.now().isoformat(),
        "method": "home",
        "outcome": "normal",
    }


def test_api_resend_with_the_same_key_returns_the_first_visit(staff):
    elder = ElderFactory()
    client = api(staff["community_worker"])
    key = str(uuid.uuid4())
    body = visit_body(elder)
    first = client.post("/api/v1/visits/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    again = client.post("/api/v1/visits/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"] and again["Idempotent-Replayed"] == "true"
    assert Visit.objects.filter(elder=elder).count() == 1
    # Without a key, or with a new one, a second visit is a second visit.
    other = client.post(
        "/api/v1/visits/", visit_body(elder), format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4())
    )
    assert other.status_code == 201 and Visit.objects.filter(elder=elder).count() == 2


def test_the_same_key_for_another_submission_is_refused(staff):
    elder = ElderFactory()
    client = api(staff["community_worker"])
    key = str(uuid.uuid4())
    body = visit_body(elder)
    client.post("/api/v1/visits/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    changed = body | {"method": "phone"}
    resp = client.post("/api/v1/visits/", changed, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert resp.status_code == 422 and Visit.objects.filter(elder=elder).count() == 1


def test_a_refused_submission_keeps_no_key_so_the_corrected_resend_goes_through(staff):
    elder = ElderFactory()
    client = api(staff["community_worker"])
    key = str(uuid.uuid4())
    bad = visit_body(elder) | {"outcome": "problem"}  # a problem needs its codes
    assert client.post("/api/v1/visits/", bad, format="json", HTTP_IDEMPOTENCY_KEY=key).status_code == 400
    fixed = bad | {"problems": ["health"]}
    assert client.post("/api/v1/visits/", fixed, format="json", HTTP_IDEMPOTENCY_KEY=key).status_code == 201
    assert Visit.objects.filter(elder=elder).count() == 1


def test_keys_belong_to_their_account(staff):
    elder = ElderFactory()
    key = str(uuid.uuid4())
    api(staff["community_worker"]).post(
        "/api/v1/visits/", visit_body(elder), format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    resp = api(staff["street_officer"]).post(
        "/api/v1/visits/", visit_body(elder), format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    assert resp.status_code == 201 and "Idempotent-Replayed" not in resp
    assert Visit.objects.filter(elder=elder).count() == 2


def test_a_malformed_key_is_a_400_naming_the_header(staff):
    resp = api(staff["community_worker"]).post(
        "/api/v1/visits/", visit_body(ElderFactory()), format="json", HTTP_IDEMPOTENCY_KEY="x y"
    )
    assert resp.status_code == 400 and "Idempotency-Key" in resp.json()


def test_registration_and_assessment_resends_create_one_record(staff):
    worker = api(staff["community_worker"])
    body = {
        "id_number": make_id_number("330302", date(1944, 2, 3), 51),
        "name": "陈阿公",
        "residence": WUMA_GULOU,
        "living_arrangement": "alone",
        "economic_status": "ordinary",
    }
    key = str(uuid.uuid4())
    answers = [
        worker.post("/api/v1/elders/", body, format="json", HTTP_IDEMPOTENCY_KEY=key) for _ in range(2)
    ]
    assert [a.status_code for a in answers] == [201, 201]
    assert Elder.objects.filter(id_number=body["id_number"]).count() == 1

    first, second = staff["assessor"], make_staff("assessor2", "assessor", WUMA)
    elder = ElderFactory()
    key = str(uuid.uuid4())
    body = assessment_payload(elder, [first, second])
    answers = [
        api(first).post("/api/v1/assessments/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)
        for _ in range(2)
    ]
    assert [a.status_code for a in answers] == [201, 201] and answers[0].json()["id"] == answers[1].json()[
        "id"
    ]
    assert Assessment.objects.filter(elder=elder).count() == 1


def _visit_form(client, elder):
    page = client.get(f"/visits/new/{elder.pk}/")
    assert page.status_code == 200
    key = page.context["request"].POST.get("idempotency_key")  # nothing posted yet
    assert key is None
    html = page.content.decode()
    marker = 'name="idempotency_key" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def test_a_double_tapped_visit_form_records_one_visit(client, staff):
    elder = ElderFactory()
    client.force_login(staff["community_worker"])
    key = _visit_form(client, elder)
    uuid.UUID(key)
    form = {
        "idempotency_key": key,
        "visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "method": "home",
        "outcome": "normal",
    }
    first = client.post(f"/visits/new/{elder.pk}/", form)
    second = client.post(f"/visits/new/{elder.pk}/", form)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"] and second["Idempotent-Replayed"] == "true"
    assert Visit.objects.filter(elder=elder).count() == 1
    # A fresh form has a fresh key.
    assert _visit_form(client, elder) != key


def test_a_refused_form_keeps_its_key_for_the_corrected_resend(client, staff):
    elder = ElderFactory()
    client.force_login(staff["community_worker"])
    key = _visit_form(client, elder)
    future = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    form = {"idempotency_key": key, "visited_at": future, "method": "home", "outcome": "normal"}
    refused = client.post(f"/visits/new/{elder.pk}/", form)
    assert refused.status_code == 200 and f'value="{key}"' in refused.content.decode()
    form["visited_at"] = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    assert client.post(f"/visits/new/{elder.pk}/", form).status_code == 302
    assert Visit.objects.filter(elder=elder).count() == 1


def test_a_form_key_replayed_for_another_submission_is_a_422_not_a_server_error(client, staff):
    elder = ElderFactory()
    client.force_login(staff["community_worker"])
    key = _visit_form(client, elder)
    form = {
        "idempotency_key": key,
        "visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "method": "home",
        "outcome": "normal",
    }
    assert client.post(f"/visits/new/{elder.pk}/", form).status_code == 302
    reused = client.post(f"/visits/new/{elder.pk}/", {**form, "method": "phone"})
    assert reused.status_code == 422
    assert reused["Content-Type"].startswith("text/plain")
    assert Visit.objects.filter(elder=elder).count() == 1


def test_old_keys_are_purged_by_the_daily_job(staff, settings):
    from eldercare.models import IdempotencyKey
    from eldercare.tasks import purge_idempotency_keys_task

    client = api(staff["community_worker"])
    for _ in range(2):
        client.post(
            "/api/v1/visits/",
            visit_body(ElderFactory()),
            format="json",
            HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        )
    IdempotencyKey.objects.filter(pk=IdempotencyKey.objects.order_by("pk").first().pk).update(
        created_at=timezone.now() - timedelta(days=settings.IDEMPOTENCY_KEY_DAYS + 1)
    )
    assert purge_idempotency_keys_task.delay().get() == 1
    assert IdempotencyKey.objects.count() == 1
