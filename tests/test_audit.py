"""The one audit log of personal data: what is logged, who reads it, and that it cannot be rewritten."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AccessLog
from audit.services import purge_expired, record_access
from tests.factories import LONGWAN, ElderFactory, first_village_of, make_staff
from tests.test_security import _manage

pytestmark = pytest.mark.django_db


def api(user, address="10.8.0.7"):
    client = APIClient(REMOTE_ADDR=address)
    client.force_authenticate(user)
    return client


def test_api_list_read_and_unmasked_detail_are_logged_with_who_what_rows_and_address(staff):
    elders = [ElderFactory() for _ in range(3)]
    city = api(staff["city_admin"])
    assert city.get("/api/v1/elders/").status_code == 200
    assert city.get(f"/api/v1/elders/{elders[0].pk}/").status_code == 200
    listed, viewed = AccessLog.objects.order_by("id")
    assert (listed.user, listed.action, listed.rows, listed.address) == (
        staff["city_admin"],
        "list_read",
        3,
        "10.8.0.7",
    )
    assert listed.unmasked and listed.path == "/api/v1/elders/" and listed.what
    assert (viewed.action, viewed.object_id, viewed.unmasked) == ("view_unmasked", str(elders[0].pk), True)
    assert timezone.now() - viewed.at < timedelta(minutes=1)


def test_a_masked_reader_is_logged_for_lists_but_never_as_an_unmasked_view(staff):
    elder = ElderFactory()
    leader = api(staff["leader"])
    leader.get("/api/v1/elders/")
    leader.get(f"/api/v1/elders/{elder.pk}/")
    assert list(AccessLog.objects.values_list("action", "unmasked")) == [("list_read", False)]


def test_other_personal_data_lists_are_logged(staff):
    ElderFactory()
    city = api(staff["city_admin"])
    for path in ("/api/v1/visits/", "/api/v1/assessments/", "/api/v1/caregivers/", "/api/v1/payments/"):
        assert city.get(path).status_code == 200
    assert AccessLog.objects.filter(action="list_read").count() == 4


def test_the_file_page_logs_an_unmasked_view(client, staff):
    elder = ElderFactory()
    client.force_login(staff["community_worker"])
    assert client.get(f"/elders/{elder.pk}/", REMOTE_ADDR="10.9.9.9").status_code == 200
    entry = AccessLog.objects.get()
    assert (entry.action, entry.object_id, entry.address) == ("view_unmasked", str(elder.pk), "10.9.9.9")
    client.force_login(staff["leader"])
    client.get(f"/elders/{elder.pk}/")
    assert AccessLog.objects.count() == 1  # the leader saw it masked


def test_the_city_reads_the_log_read_only_and_scoped_with_a_monthly_summary(client, staff):
    lw_worker = make_staff("lw", "community_worker", first_village_of(LONGWAN[:6]))
    ElderFactory()
    api(staff["community_worker"]).get("/api/v1/elders/")
    api(lw_worker).get("/api/v1/elders/")
    api(staff["district_officer"]).get("/api/v1/elders/")
    client.force_login(staff["city_admin"])
    page = client.get("/admin/audit/accesslog/")
    assert page.status_code == 200 and page.context["cl"].result_count == 3
    entry = AccessLog.objects.first()
    # Read-only: no add, change or delete through the portal.
    assert client.get("/admin/audit/accesslog/add/").status_code == 403
    assert client.post(f"/admin/audit/accesslog/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    change = client.post(f"/admin/audit/accesslog/{entry.pk}/change/", {"what": "edited"})
    assert change.status_code in (302, 403) or b"edited" not in change.content
    entry.refresh_from_db()
    assert entry.what != "edited"
    summary = client.get("/admin/audit/accesslog/summary/")
    assert summary.status_code == 200
    rows = {r["user__username"]: r for r in summary.context["rows"]}
    assert set(rows) == {"worker", "lw", "district"}
    assert rows["worker"]["accesses"] == 1 and rows["worker"]["n_list_read"] == 1
    assert rows["worker"]["month"].strftime("%Y-%m") == timezone.localtime().strftime("%Y-%m")
    # A district officer reads nothing of it; the street officer neither.
    client.force_login(staff["district_officer"])
    assert client.get("/admin/audit/accesslog/").status_code == 403
    assert client.get("/admin/audit/accesslog/summary/").status_code == 403


def test_a_city_sees_only_its_own_accounts(client, staff):
    from regions.services import load_regions

    load_regions(prefix="2201")
    other_city = make_staff("cc", "city_admin", "220100000000")
    api(staff["community_worker"]).get("/api/v1/elders/")
    client.force_login(other_city)
    assert client.get("/admin/audit/accesslog/").context["cl"].result_count == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the guard is a PostgreSQL trigger")
def test_the_database_refuses_to_rewrite_or_delete_the_log(staff):
    entry = record_access(user=staff["city_admin"], action="export", what="elders", rows=5, unmasked=True)
    for attempt in (
        lambda: AccessLog.objects.filter(pk=entry.pk).update(rows=0),
        lambda: AccessLog.objects.filter(pk=entry.pk).delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    assert AccessLog.objects.get(pk=entry.pk).rows == 5


def test_retention_keeps_six_months_and_drops_what_is_older(staff, settings):
    def entry(days_ago):
        # Back-dated as written (an INSERT: the guard only refuses changes and deletions).
        return AccessLog.objects.create(
            user=staff["city_admin"],
            action="export",
            what="elders",
            at=timezone.now() - timedelta(days=days_ago),
        )

    fresh, five_months, old = entry(0), entry(150), entry(settings.AUDIT_RETENTION_DAYS + 1)
    assert purge_expired() == 1
    assert set(AccessLog.objects.values_list("pk", flat=True)) == {fresh.pk, five_months.pk}
    assert not AccessLog.objects.filter(pk=old.pk).exists()


def test_start_up_refuses_a_retention_shorter_than_six_months():
    result = _manage("check", AUDIT_RETENTION_DAYS="90")
    assert result.returncode != 0 and "AUDIT_RETENTION_DAYS must be at least 183" in result.stderr
