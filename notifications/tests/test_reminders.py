"""The daily reminders through the one notification service, the gateway backends, and the rules."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.instrument import ITEMS
from assessments.services import confirm_assessment, create_assessment
from notifications import rules
from notifications.backends import DatabaseBackend, HttpSmsBackend
from notifications.models import Message
from notifications.services import Draft, notify
from notifications.tasks import send_reminders_task
from subsidies.tests.helpers import api, poor_disabled_in_institution
from tests.factories import WUMA, ElderFactory, make_staff

from .conftest import with_phone

pytestmark = pytest.mark.django_db
FULL = {item.code: item.max_score for item in ITEMS}


def test_an_id_number_never_leaves_in_a_message():
    text = rules.safe_text("老人 330302194503081234 的申请被退回；电话 13905771234")
    assert "330302194503081234" not in text and "330302********1234" in text
    assert "13905771234" in text  # not an ID number


def test_counts_are_handed_to_the_accounts_whose_region_holds_them():
    counts = {"330302006044": 3, "330302006045": 2, "330302026001": 4}
    accounts = [(1, "330302006044"), (2, "330302006"), (3, "330302"), (4, "330303")]
    assert rules.totals_under(counts, accounts) == {1: 3, 2: 5, 3: 9}


def _returned(jl):
    elder = poor_disabled_in_institution(jl)
    made = api(jl["worker"]).post(
        "/api/v1/subsidy-applications/", {"elder": elder.pk, "scheme": "JL-INSTITUTION-STAY"}, format="json"
    )
    api(jl["street"]).post(
        f"/api/v1/subsidy-applications/{made.json()['id']}/review/",
        {"decision": "reject", "comment": "缺少材料"},
        format="json",
    )
    return elder


def test_the_beat_task_reminds_each_worker_once_a_day(jl, staff):
    # Wenzhou: a worker with elders due this month (no phone: the inbox only).
    worker = staff["community_worker"]
    for _ in range(2):
        ElderFactory(living_arrangement="alone")
    # Jilin: a worker with a phone whose application came back.
    _returned(jl)
    result = send_reminders_task.delay().get()  # eager: the beat's own entry point
    assert result["applications_returned"] == 1 and result["visits_due"] >= 1
    wz = Message.objects.get(recipient=worker, kind="visits_due")
    assert wz.channel == "inbox" and wz.status == "recorded" and "2" in wz.text and wz.link == "/visits/due/"
    returned = Message.objects.get(recipient=jl["worker"], kind="applications_returned")
    assert returned.channel == "sms" and returned.phone == "13900000001" and returned.status == "recorded"
    assert "退回" in returned.text  # the bureau's language
    total = Message.objects.count()
    send_reminders_task.delay().get()  # the same day again: nothing twice
    assert Message.objects.count() == total
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    send_reminders_task.delay(tomorrow).get()
    assert Message.objects.filter(recipient=worker, kind="visits_due").count() == 2


def test_re_assessments_due_reach_the_assessors_of_the_region(staff):
    first, second = staff["assessor"], make_staff("assessor2", "assessor", WUMA)
    with_phone(first, "13900000002")
    elder = ElderFactory()
    made = create_assessment(
        acting_user=first,
        elder=elder,
        assessed_on=timezone.localdate() - timedelta(days=360),
        reason="first",
        items=FULL,
        assessors=[first, second],
    )
    confirm_assessment(acting_user=second, assessment=made)
    send_reminders_task.delay().get()
    got = Message.objects.get(recipient=first, kind="reassessments_due")
    assert got.channel == "sms" and "1" in got.text
    assert Message.objects.filter(recipient=second, kind="reassessments_due", channel="inbox").exists()
    assert not Message.objects.filter(recipient=staff["community_worker"], kind="reassessments_due").exists()


def test_one_message_per_recipient_kind_and_day_is_a_database_rule(staff):
    worker = staff["community_worker"]
    day = timezone.localdate()
    Message.objects.create(recipient=worker, kind="other", day=day, channel="inbox", text="一")
    with pytest.raises(IntegrityError), transaction.atomic():
        Message.objects.create(recipient=worker, kind="other", day=day, channel="inbox", text="二")


def test_staff_read_their_own_messages_in_the_inbox(client, staff):
    worker, street = staff["community_worker"], staff["street_officer"]
    notify([Draft(recipient_id=worker.pk, kind="other", text="本周请完成探访台账")], on=timezone.localdate())
    client.force_login(worker)
    assert "本周请完成探访台账" in client.get("/").content.decode()
    client.force_login(street)
    assert "本周请完成探访台账" not in client.get("/").content.decode()


class _Gateway(BaseHTTPRequestHandler):
    received: list = []
    answer = 200

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Gateway.received.append((self.headers["Authorization"], json.loads(body)))
        self.send_response(_Gateway.answer)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    server = HTTPServer(("127.0.0.1", 0), _Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Gateway.received, _Gateway.answer = [], 200
    settings.NOTIFY_SMS_BACKEND = "notifications.backends.HttpSmsBackend"
    settings.NOTIFY_SMS_URL = f"http://127.0.0.1:{server.server_port}/send"
    settings.NOTIFY_SMS_KEY = "test-key"
    settings.NOTIFY_SMS_SIGN = "温州民政"
    settings.NOTIFY_SMS_TIMEOUT = 5
    yield _Gateway
    server.shutdown()


def test_the_http_gateway_gets_each_text_message_and_its_answer_is_recorded(gateway, staff):
    worker = with_phone(staff["community_worker"], "13900000003")
    street = staff["street_officer"]  # no phone: never sent to the gateway
    day = timezone.localdate()
    delivered = notify(
        [
            Draft(recipient_id=worker.pk, kind="other", phone="13900000003", text="请于本月完成探访"),
            Draft(recipient_id=street.pk, kind="other", text="有待审核的申请"),
        ],
        on=day,
    )
    assert delivered == 2
    assert gateway.received == [
        ("Bearer test-key", {"phone": "13900000003", "text": "请于本月完成探访", "sign": "温州民政"})
    ]
    sent = Message.objects.get(recipient=worker)
    assert sent.status == "sent" and sent.sent_at is not None
    assert Message.objects.get(recipient=street).status == "recorded"


def test_a_gateway_that_refuses_leaves_the_message_failed_and_readable(gateway, staff):
    gateway.answer = 500
    worker = staff["community_worker"]
    notify(
        [Draft(recipient_id=worker.pk, kind="other", phone="13900000003", text="提醒")],
        on=timezone.localdate(),
    )
    failed = Message.objects.get(recipient=worker)
    assert failed.status == "failed" and "500" in failed.error and failed.sent_at is None


def test_the_database_backend_records_without_sending(staff):
    message = Message(recipient=staff["community_worker"], kind="other", day=timezone.localdate(), text="x")
    DatabaseBackend().send([message])
    assert message.status == "recorded" and message.sent_at is not None


def test_the_http_backend_needs_its_url(settings):
    settings.NOTIFY_SMS_URL = "http://127.0.0.1:9/unused"
    assert HttpSmsBackend().url.endswith("/unused")
