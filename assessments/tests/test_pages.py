"""Assessor pages: the form scores live, drafts, submission, the second signature, the file."""

import pytest

from assessments.forms import item_field_name
from assessments.instrument import ITEMS
from assessments.models import Assessment, AssessmentRequest
from tests.factories import WUMA, ElderFactory, make_staff

pytestmark = pytest.mark.django_db


def form_post(second=None, action="submit", **overrides):
    data = {"assessed_on": "2026-11-01", "reason": "first", "action": action, "agency": "鹿城评估中心"}
    for item in ITEMS:
        data[item_field_name(item.code)] = str(item.max_score)
    if second is not None:
        data["second_assessor"] = str(second.pk)
    data.update(overrides)
    return data


@pytest.fixture
def second(staff):
    return make_staff("assessor2", "assessor", WUMA)


def test_live_panel_scores_in_the_page_with_the_servers_numbers(client, staff, second):
    # The page scores in the browser (tests/test_browser_offline.py compares it with the
    # server); here: the page carries the rule's numbers and no per-tap request to the server.
    elder = ElderFactory()
    client.force_login(staff["assessor"])
    page = client.get(f"/assessments/new/{elder.pk}/").content.decode()
    assert 'id="assessment-scoring"' in page and '"floors": [[90, 0], [66, 1]' in page
    assert "hx-post" not in page


def test_a_refused_form_shows_the_servers_live_panel(client, staff, second):
    elder = ElderFactory()
    data = form_post(second, **{item_field_name("B.1.1"): "0"})
    del data[item_field_name("B.2.3")]
    client.force_login(staff["assessor"])
    page = client.post(f"/assessments/new/{elder.pk}/", data).content.decode()
    assert 'data-subtotal="B.1">28<' in page
    assert not Assessment.objects.exists()


def test_missing_items_are_marked_and_nothing_is_saved(client, staff, second):
    elder = ElderFactory()
    data = form_post(second)
    del data[item_field_name("B.2.3")]
    client.force_login(staff["assessor"])
    page = client.post(f"/assessments/new/{elder.pk}/", data).content.decode()
    assert f'data-error-for="{item_field_name("B.2.3")}"' in page
    assert not Assessment.objects.exists()


def test_draft_then_submit_then_confirm_and_the_file_shows_the_grade(client, staff, second):
    elder = ElderFactory()
    client.force_login(staff["assessor"])
    data = form_post(second, action="draft")
    del data[item_field_name("B.4.5")]
    resp = client.post(f"/assessments/new/{elder.pk}/", data)
    draft = Assessment.objects.get()
    assert resp.status_code == 302 and draft.status == "draft" and draft.grade is None
    resp = client.post(
        f"/assessments/{draft.pk}/edit/", form_post(action="submit", **{item_field_name("B.4.5"): "1"})
    )
    draft.refresh_from_db()
    assert draft.status == "submitted" and draft.total_score == 87
    client.post(f"/assessments/{draft.pk}/confirm/")
    draft.refresh_from_db()
    assert draft.status == "submitted"  # the creator cannot confirm
    client.force_login(second)
    client.post(f"/assessments/{draft.pk}/confirm/")
    draft.refresh_from_db()
    assert draft.status == "confirmed" and draft.confirmed_by == second
    client.force_login(staff["community_worker"])
    page = client.get(f"/elders/{elder.pk}/").content.decode()
    assert "轻度失能" in page and 'data-section="assessments"' in page


def test_worker_requests_an_assessment_onto_the_queue(client, staff):
    elder = ElderFactory()
    client.force_login(staff["community_worker"])
    client.post(f"/assessments/request/{elder.pk}/")
    client.post(f"/assessments/request/{elder.pk}/")
    assert AssessmentRequest.objects.filter(elder=elder, status="open").count() == 1
    client.force_login(staff["assessor"])
    page = client.get("/assessments/due/").content.decode()
    assert elder.name in page


def test_worker_cannot_open_the_assessor_form(client, staff):
    client.force_login(staff["community_worker"])
    assert client.get(f"/assessments/new/{ElderFactory().pk}/").status_code == 403


def test_a_draft_opens_with_the_navigators_counts_of_what_it_holds(client, staff, second):
    # The counts are the server's as the page is served (no script needed to see how far the
    # draft got); static/js/assessment.js keeps them current as the assessor taps.
    elder = ElderFactory()
    client.force_login(staff["assessor"])
    data = form_post(second, action="draft")
    for code in ("B.4.4", "B.4.5", "B.2.1"):
        del data[item_field_name(code)]
    client.post(f"/assessments/new/{elder.pk}/", data)
    page = client.get(f"/assessments/{Assessment.objects.get().pk}/edit/").content.decode()
    assert 'data-progress-for="B.1" data-of="8">8/8<' in page
    assert 'data-progress-for="B.2" data-of="4">3/4<' in page
    assert 'data-progress-for="B.4" data-of="5">3/5<' in page
    assert 'max="26" value="23"' in page and "已评23项，共26项" in page
    # Every part is in the page and the navigator links to each.
    for anchor in ("part-details", "part-B1", "part-B2", "part-B3", "part-B4", "part-adjustments"):
        assert f'id="{anchor}" data-tab-panel' in page and f'href="#{anchor}"' in page
