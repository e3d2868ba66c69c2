"""Worker pages: apply from the eligibility list, track, review per level, review and approve a roll."""

import pytest
from django.test import Client

from audit.models import AccessLog
from subsidies.disbursement import run_disbursement
from subsidies.models import Application, DisbursementBatch
from subsidies.tests.helpers import months_ago, poor_disabled_in_institution
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def as_user(user) -> Client:
    from django.conf import settings

    c = Client()
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # English pages, so the tests read their wording
    c.force_login(user)
    return c


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_worker_applies_from_the_eligibility_list_and_tracks_it(jl):
    elder = poor_disabled_in_institution(jl)
    worker = as_user(jl["worker"])
    page = text(worker.get("/subsidies/eligible/"))
    section = page.split('data-testid="scheme-JL-INSTITUTION-STAY"')[1].split("</section>")[0]
    assert elder.name in section
    response = worker.post(f"/subsidies/apply/{elder.pk}/", {"scheme": "JL-INSTITUTION-STAY"})
    assert response.status_code == 302 and response["Location"] == "/subsidies/applications/"
    application = Application.objects.get(elder=elder)
    assert (application.status, application.level, application.submitted_by) == (
        "under_review",
        "street",
        jl["worker"],
    )
    listing = text(worker.get("/subsidies/applications/"))
    assert elder.name in listing and "Under review" in listing
    assert elder.name not in text(worker.get("/subsidies/eligible/"))  # applied: no longer waiting
    # Another community's worker cannot apply for this elder.
    stranger = make_staff("jw2", "community_worker", "220102001002")
    assert (
        as_user(stranger).post(f"/subsidies/apply/{elder.pk}/", {"scheme": "JL-INSTITUTION-STAY"}).status_code
        == 404
    )


def test_review_queues_per_level_with_comments(jl):
    elder = poor_disabled_in_institution(jl)
    as_user(jl["worker"]).post(f"/subsidies/apply/{elder.pk}/", {"scheme": "JL-INSTITUTION-STAY"})
    application = Application.objects.get(elder=elder)
    street, district = as_user(jl["street"]), as_user(jl["district"])
    assert f"application-{application.pk}" in text(street.get("/subsidies/review/"))
    assert f"application-{application.pk}" not in text(as_user(jl["other_street"]).get("/subsidies/review/"))
    assert f"application-{application.pk}" not in text(district.get("/subsidies/review/"))  # not its turn
    assert as_user(jl["worker"]).get("/subsidies/review/").status_code == 403

    street.post(f"/subsidies/review/{application.pk}/", {"decision": "approve", "comment": "材料齐全"})
    assert f"application-{application.pk}" not in text(street.get("/subsidies/review/"))
    queue = text(district.get("/subsidies/review/"))
    assert f"application-{application.pk}" in queue and "材料齐全" in queue

    refused = district.post(f"/subsidies/review/{application.pk}/", {"decision": "reject"}, follow=True)
    assert "Give the reason" in text(refused)
    application.refresh_from_db()
    assert application.status == "under_review"  # a rejection without a reason changes nothing
    district.post(f"/subsidies/review/{application.pk}/", {"decision": "reject", "comment": "缺少入住协议"})
    application.refresh_from_db()
    assert application.status == "returned"
    worker = as_user(jl["worker"])
    listing = text(worker.get("/subsidies/applications/"))
    assert "缺少入住协议" in listing and "Returned with a reason" in listing
    worker.post(f"/subsidies/applications/{application.pk}/resubmit/")
    assert f"application-{application.pk}" in text(street.get("/subsidies/review/"))


def test_batch_review_page_checks_diff_approval_and_roster(approved):
    elder, jl = approved
    city_user = make_staff("jc", "city_admin", "220100000000")
    run_disbursement(period=months_ago(2))
    batch = DisbursementBatch.objects.get(period=months_ago(2))
    city = as_user(city_user)
    assert f"/subsidies/batches/{batch.pk}/" in text(city.get("/subsidies/batches/"))
    page = text(city.get(f"/subsidies/batches/{batch.pk}/"))
    checks = page.split('data-testid="checks"')[1].split("</table>")[0]
    assert elder.name in checks and "no visit in the last 3 months" in checks
    diff = page.split('data-testid="diff"')[1]
    assert elder.name in diff.split("No longer paid")[0]  # added since last month
    assert 'data-testid="roster"' not in page  # no roster before approval
    # A street officer neither sees the city's roll nor may approve it.
    assert as_user(jl["street"]).post(f"/subsidies/batches/{batch.pk}/approve/").status_code in (403, 404)
    batch.refresh_from_db()
    assert batch.status == "draft"

    # Approval asks for confirmation, and waits for every cross-check to be decided.
    city.post(f"/subsidies/batches/{batch.pk}/approve/")
    batch.refresh_from_db()
    assert batch.status == "draft"
    refused = city.post(f"/subsidies/batches/{batch.pk}/approve/", {"confirm": "on"}, follow=True)
    assert "not decided" in text(refused)
    batch.refresh_from_db()
    assert batch.status == "draft"
    ids = list(batch.checks.values_list("pk", flat=True))
    city.post(f"/subsidies/batches/{batch.pk}/checks/", {"checks": ids, "decision": "acknowledged"})
    assert not batch.checks.filter(decision="open").exists()
    city.post(f"/subsidies/batches/{batch.pk}/approve/", {"confirm": "on"})
    batch.refresh_from_db()
    assert batch.status == "approved" and batch.approved_by == city_user
    page = text(city.get(f"/subsidies/batches/{batch.pk}/"))
    assert 'data-testid="roster"' in page and "Approve the roll" not in page
    roster = city.get(f"/subsidies/batches/{batch.pk}/roster.xlsx")
    assert roster.status_code == 200 and roster["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AccessLog.objects.filter(user=city_user, action="roster_download").exists()
