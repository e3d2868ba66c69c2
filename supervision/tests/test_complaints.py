"""Complaints from intake to reply and satisfaction, overdue past the deadline; ratings and the
supervision tasks a low score or repeated complaints open."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from services import services as service_writes
from supervision import services
from supervision.models import Complaint, SupervisionTask
from supervision.selectors import provider_month_scores
from supervision.tasks import flag_overdue_task
from tests.factories import WUMA_GULOU, ElderFactory

from .helpers import supervision_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(wenzhou, staff):
    return {**supervision_world(), **staff}


def _service(world, hours_ago=2):
    return service_writes.record_service(
        acting_user=world["operator_account"],
        elder=ElderFactory(residence_id=WUMA_GULOU),
        kind="meal",
        provider=world["operator"],
        started_at=timezone.now() - timedelta(hours=hours_ago),
        duration_minutes=30,
        funding="government",
        amount=Decimal("15.00"),
    )


def test_a_complaint_from_intake_to_reply_and_satisfaction(world):
    record = _service(world)
    complaint = services.file_complaint(
        acting_user=world["community_worker"],
        channel="worker_page",
        subject="service",
        service_record=record,
        complainant="张阿姨（女儿）",
        complainant_phone="13900001111",
        content="送餐迟到一小时，饭菜已凉",
    )
    assert complaint.region_id == WUMA_GULOU and complaint.provider == world["operator"]
    assert complaint.deadline == timezone.localdate() + timedelta(days=15)  # the pack's handling days
    with pytest.raises(PermissionDenied):  # a community worker takes complaints in, the office handles them
        services.reply_complaint(acting_user=world["community_worker"], complaint=complaint, reply="已处理")
    with pytest.raises(ValidationError):
        services.record_satisfaction(
            acting_user=world["street_officer"], complaint=complaint, satisfaction="satisfied"
        )
    services.reply_complaint(
        acting_user=world["street_officer"], complaint=complaint, reply="已约谈服务商，调整送餐路线"
    )
    services.record_satisfaction(
        acting_user=world["street_officer"], complaint=complaint, satisfaction="satisfied"
    )
    complaint.refresh_from_db()
    assert (
        complaint.status == "closed"
        and complaint.satisfaction == "satisfied"
        and complaint.overdue_since is None
    )


def test_a_complaint_not_replied_by_its_deadline_is_flagged_overdue(world):
    complaint = services.file_complaint(
        acting_user=world["street_officer"],
        channel="hotline",
        subject="facility",
        facility=world["homes"][0],
        complainant="李先生",
        content="护理员态度恶劣",
        received_at=timezone.now() - timedelta(days=16),
    )
    replied = services.file_complaint(
        acting_user=world["street_officer"],
        channel="hotline",
        subject="facility",
        facility=world["homes"][1],
        complainant="王女士",
        content="伙食差",
        received_at=timezone.now() - timedelta(days=16),
    )
    services.reply_complaint(acting_user=world["street_officer"], complaint=replied, reply="已督促整改")
    flag_overdue_task()
    assert list(Complaint.objects.exclude(overdue_since=None).values_list("pk", flat=True)) == [complaint.pk]
    inspection = services.inspect_on_complaint(
        acting_user=world["district"], complaint=complaint, inspectors=[world["street"]]
    )
    assert inspection.kind == "complaint" and inspection.facility == world["homes"][0]


def test_a_low_monthly_rating_opens_a_supervision_task_for_the_district(world):
    records = [_service(world, hours_ago=h) for h in (2, 3, 4)]
    for record, score in zip(records[:2], (2, 3), strict=True):
        services.rate_service(
            acting_user=world["community_worker"],
            service_record=record,
            score=score,
            rater="elder",
            reasons=["on_time"],
        )
    assert not SupervisionTask.objects.exists()  # two ratings are not yet a monthly score
    services.rate_service(
        acting_user=world["operator_account"], service_record=records[2], score=3, rater="family"
    )
    period = timezone.localdate().strftime("%Y-%m")
    assert provider_month_scores(period)[world["operator"].pk] == {"count": 3, "average": Decimal("2.67")}
    task = SupervisionTask.objects.get()
    assert task.reason == "low_rating" and task.provider == world["operator"] and task.period == period
    with pytest.raises(ValidationError):
        services.rate_service(
            acting_user=world["community_worker"], service_record=records[0], score=5, rater="elder"
        )


def test_repeated_complaints_open_a_task_and_the_api_takes_complaints_in(world):
    client = APIClient()
    client.force_authenticate(world["district"])
    for i in range(3):
        response = client.post(
            "/api/v1/complaints/",
            {
                "subject": "provider",
                "provider": world["operator"].pk,
                "complainant": f"居民{i}",
                "content": "上门服务未到",
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
    assert Complaint.objects.filter(channel="api").count() == 3
    assert SupervisionTask.objects.get().reason == "repeated_complaints"
    bad = client.post(
        "/api/v1/complaints/", {"subject": "provider", "complainant": "x", "content": "y"}, format="json"
    )
    assert bad.status_code == 400 and "provider" in bad.json()


def test_the_complaint_pages_take_in_reply_and_close_and_mask_the_phone_for_a_leader(world, client):
    client.force_login(world["community_worker"])
    facility = world["homes"][0]
    response = client.post(
        "/supervision/complaints/new/",
        {
            "channel": "hotline",
            "subject": "facility",
            "facility": facility.pk,
            "complainant": "赵先生",
            "complainant_phone": "13912345678",
            "content": "夜间无人值班",
        },
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and complaint.channel == "hotline" and complaint.facility == facility
    client.force_login(world["street_officer"])
    assert "13912345678" in client.get(f"/supervision/complaints/{complaint.pk}/").content.decode()
    client.post(f"/supervision/complaints/{complaint.pk}/", {"action": "reply", "reply": "已安排夜班护理员"})
    client.post(
        f"/supervision/complaints/{complaint.pk}/", {"action": "satisfaction", "satisfaction": "basically"}
    )
    complaint.refresh_from_db()
    assert complaint.status == "closed" and complaint.satisfaction == "basically"
    client.force_login(world["leader"])
    page = client.get(f"/supervision/complaints/{complaint.pk}/").content.decode()
    assert "已安排夜班护理员" in page and "13912345678" not in page and "139****5678" in page


def test_the_rating_page_records_who_rated_and_who_recorded(world, client):
    record = _service(world)
    client.force_login(world["community_worker"])
    response = client.post(
        f"/supervision/rate/service/{record.pk}/", {"score": "4", "rater": "family", "reasons": ["attitude"]}
    )
    assert response.status_code == 302
    rating = record.rating
    assert (rating.score, rating.rater, rating.recorded_by, rating.provider) == (
        4,
        "family",
        world["community_worker"],
        world["operator"],
    )


def test_the_api_gives_each_provider_s_monthly_score(world):
    record = _service(world)
    services.rate_service(
        acting_user=world["community_worker"], service_record=record, score=2, rater="elder"
    )
    client = APIClient()
    client.force_authenticate(world["district"])
    rows = client.get("/api/v1/service-ratings/monthly/").json()
    assert rows == [
        {
            "provider": world["operator"].pk,
            "name": world["operator"].name,
            "period": timezone.localdate().strftime("%Y-%m"),
            "count": 1,
            "average": "2.00",
        }
    ]
    assert client.get("/api/v1/service-ratings/monthly/?period=2026-13").status_code == 400
