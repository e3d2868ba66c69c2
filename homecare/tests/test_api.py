"""The API end to end: an order through its steps, a statement, an emergency call; scope and roles."""

from datetime import timedelta

from django.utils import timezone

from homecare.models import EmergencyCall, Order, Statement
from homecare.settlement import settle_month
from tests.factories import api_client, make_staff

from .conftest import PIN
from .helpers import month, month_start


def api(user):
    return api_client(user)


def test_order_through_the_api(ny):
    start = month_start()
    made = api(ny["worker"]).post(
        "/api/v1/service-orders/",
        {
            "elder": ny["elder"].pk,
            "item": ny["item"].pk,
            "provider": ny["provider"].pk,
            "wanted_at": start.isoformat(),
        },
        format="json",
    )
    assert made.status_code == 201, made.json()
    pk = made.json()["id"]
    assert made.json()["entitlement"] == ny["entitlement"].pk
    staff = api(ny["staff"])
    # The community worker may not dispatch; the provider's staff may.
    assert (
        api(ny["worker"])
        .post(f"/api/v1/service-orders/{pk}/dispatch/", {"caregiver": ny["caregiver"].pk})
        .status_code
        == 403
    )
    assert (
        staff.post(
            f"/api/v1/service-orders/{pk}/dispatch/", {"caregiver": ny["caregiver"].pk}, format="json"
        ).status_code
        == 200
    )
    checked = staff.post(
        f"/api/v1/service-orders/{pk}/check-in/",
        {"latitude": "33.000100", "longitude": "112.530000"},
        format="json",
    )
    assert checked.status_code == 200 and checked.json()["checkin_distance_m"] == 11
    # The API checks in now; move the check-in back so the service lasts an hour in the past.
    Order.objects.filter(pk=pk).update(checked_in_at=start)
    bad = staff.post(f"/api/v1/service-orders/{pk}/check-out/", {}, format="json")
    assert bad.status_code == 400 and "work_done" in bad.json()
    out = staff.post(f"/api/v1/service-orders/{pk}/check-out/", {"work_done": "助洁"}, format="json")
    assert out.status_code == 200
    assert (
        staff.post(f"/api/v1/service-orders/{pk}/confirm/", {"pin": "111111"}, format="json").status_code
        == 400
    )
    ok = staff.post(f"/api/v1/service-orders/{pk}/confirm/", {"pin": PIN}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "confirmed"
    # Outside the region: not found.
    outsider = make_staff("api-out", "community_worker", "330302006044")
    assert api(outsider).get(f"/api/v1/service-orders/{pk}/").status_code == 404
    Order.objects.filter(pk=pk).update(checked_in_at=start, checked_out_at=start + timedelta(minutes=60))
    settle_month(period=month())
    statement = Statement.objects.get()
    assert api(ny["staff"]).get(f"/api/v1/settlement-statements/{statement.pk}/lines/").json()["results"][0][
        "status"
    ] in ("payable", "held")
    assert api(ny["worker"]).get("/api/v1/settlement-statements/").status_code == 403
    assert api(ny["staff"]).post(f"/api/v1/settlement-statements/{statement.pk}/approve/").status_code == 403
    export = api(ny["officer"]).get(f"/api/v1/settlement-statements/{statement.pk}/export/")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")


def test_emergency_call_endpoint(ny):
    at = timezone.now() - timedelta(minutes=1)
    made = api(ny["worker"]).post(
        "/api/v1/emergency-calls/",
        {"elder": ny["elder"].pk, "time": at.isoformat(), "kind": "fall"},
        format="json",
    )
    assert made.status_code == 201, made.json()
    assert made.json()["status"] == "open" and made.json()["assigned_region"] == ny["village"].code
    again = api(ny["worker"]).post(
        "/api/v1/emergency-calls/",
        {"elder": ny["elder"].pk, "time": at.isoformat(), "kind": "fall"},
        format="json",
    )
    assert again.status_code == 400
    assert (
        api(ny["worker"])
        .post(
            "/api/v1/emergency-calls/",
            {"elder": ny["elder"].pk, "time": at.isoformat(), "kind": "nope"},
            format="json",
        )
        .status_code
        == 400
    )
    leader = make_staff("ny-leader", "leader", "411300000000")
    assert (
        api(leader)
        .post(
            "/api/v1/emergency-calls/",
            {"elder": ny["elder"].pk, "time": at.isoformat(), "kind": "fall"},
            format="json",
        )
        .status_code
        == 403
    )
    call = EmergencyCall.objects.get()
    answered = api(ny["worker"]).post(
        f"/api/v1/emergency-calls/{call.pk}/answer/", {"outcome": "已上门"}, format="json"
    )
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
