"""The staff account pages: create through the accounts service, temporary password, lock-out
reset, scope (a district manages only its own accounts) and the account trail."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from regions.models import AccountAction, AccountEvent, StaffProfile
from tests.factories import CITY, LONGWAN, LUCHENG, PASSWORD, WUMA, WUMA_GULOU, make_staff

pytestmark = pytest.mark.django_db
User = get_user_model()


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _new(client, **fields):
    data = {"username": "gl01", "full_name": "顾丽", "role": "community_worker", "region": WUMA_GULOU}
    data.update(fields)
    return client.post("/staff/new/", data)


def test_city_creates_an_account_with_a_temporary_password_it_sees_once(staff):
    resp = _new(as_user(staff["city_admin"]))
    assert resp.status_code == 200
    body = resp.content.decode()
    profile = StaffProfile.objects.select_related("user").get(user__username="gl01")
    assert (profile.role, profile.region_id, profile.user.first_name) == (
        "community_worker",
        WUMA_GULOU,
        "顾丽",
    )
    assert profile.must_change_password
    assert profile.user.groups.filter(name="community_worker").exists()  # the service set the role's group
    password = body.split('data-testid="password">')[1].split("<")[0]
    assert len(password) == 12 and profile.user.check_password(password)
    assert "no-store" in resp["Cache-Control"]
    event = AccountEvent.objects.get(account=profile.user)
    assert (event.action, event.acted_by, event.region_id) == (
        AccountAction.CREATED,
        staff["city_admin"],
        WUMA_GULOU,
    )


def test_a_temporary_password_opens_only_the_password_change(staff):
    _new(as_user(staff["city_admin"]))
    user = User.objects.get(username="gl01")
    password = "Temp-" + "x" * 8
    user.set_password(password)
    user.save()
    client = Client()
    assert client.post("/accounts/login/", {"username": "gl01", "password": password}).status_code == 302
    resp = client.get("/elders/")
    assert resp.status_code == 302 and resp["Location"] == "/accounts/password/"
    assert client.get("/api/v1/elders/").status_code == 403
    new = "Gu-li-own-2026!"
    resp = client.post(
        "/accounts/password/", {"old_password": password, "new_password1": new, "new_password2": new}
    )
    assert resp.status_code == 302
    assert client.get("/elders/").status_code == 200
    assert not StaffProfile.objects.get(user=user).must_change_password


@pytest.mark.parametrize(
    ("fields", "field", "text"),
    [
        ({"role": "assessor", "region": WUMA}, "certificate_number", "证书"),
        ({"role": "street_officer", "region": WUMA_GULOU}, "region", "街道"),
        ({"region": ""}, "region", "区域"),
        ({"username": "has space"}, "username", "用户名"),
        ({"username": "district"}, "username", "已存在"),
    ],
)
def test_bad_input_names_the_field_in_chinese_and_writes_nothing(staff, fields, field, text):
    before = (User.objects.count(), AccountEvent.objects.count())
    resp = _new(as_user(staff["city_admin"]), **fields)
    assert resp.status_code == 200
    body = resp.content.decode()
    error = body.split(f'data-error-for="{field}">')[1].split("<")[0]
    assert text in error, error
    assert (User.objects.count(), AccountEvent.objects.count()) == before


def test_a_district_manages_only_its_own_district(staff, wenzhou):
    district = as_user(staff["district_officer"])  # 鹿城区
    resp = _new(district, username="lw01", region=make_longwan_village())
    assert 'data-error-for="region"' in resp.content.decode()
    assert not User.objects.filter(username="lw01").exists()
    outside = make_staff("lw-worker", "community_worker", make_longwan_village())
    assert district.get(f"/staff/{outside.pk}/").status_code == 404
    assert district.post(f"/staff/{outside.pk}/password/").status_code == 404
    assert district.post(f"/staff/{outside.pk}/unlock/").status_code == 404
    assert district.get(f"/staff/{staff['city_admin'].pk}/").status_code == 404
    listed = district.get("/staff/").content.decode()
    assert "lw-worker" not in listed and "worker" in listed
    # Its own district's accounts it does manage.
    assert _new(district).status_code == 200
    assert StaffProfile.objects.get(user__username="gl01").region_id == WUMA_GULOU
    # Street officers and workers have no account pages.
    for role in ("street_officer", "community_worker", "leader"):
        assert as_user(staff[role]).get("/staff/").status_code == 403


def make_longwan_village() -> str:
    from regions.models import Region

    return Region.objects.filter(code__startswith=LONGWAN[:6], level="village").order_by("code").first().code


def test_reset_password_and_lift_the_lock_out(staff):
    worker = staff["community_worker"]
    AccessAttempt.objects.create(
        username=worker.username,
        ip_address="10.0.0.9",
        user_agent="x",
        failures_since_start=5,
        attempt_time=timezone.now(),
    )
    city = as_user(staff["city_admin"])
    page = city.get(f"/staff/{worker.pk}/").content.decode()
    assert 'data-testid="locked"' in page and 'data-testid="unlock"' in page
    assert 'data-testid="locked"' in city.get("/staff/").content.decode()
    resp = city.post(f"/staff/{worker.pk}/unlock/")
    assert resp.status_code == 302
    assert not AccessAttempt.objects.filter(username=worker.username).exists()
    resp = city.post(f"/staff/{worker.pk}/password/")
    password = resp.content.decode().split('data-testid="password">')[1].split("<")[0]
    worker.refresh_from_db()
    assert worker.check_password(password) and not worker.check_password(PASSWORD)
    assert StaffProfile.objects.get(user=worker).must_change_password
    actions = list(AccountEvent.objects.filter(account=worker).values_list("action", "acted_by__username"))
    assert actions == [("password_reset", "city"), ("lockout_reset", "city")]
    history = city.get(f"/staff/{worker.pk}/").content.decode()
    assert "签发临时密码" in history and "解除" in history


def test_the_region_picker_lists_children_within_scope(staff):
    district = as_user(staff["district_officer"])
    top = district.get("/staff/regions/").json()["regions"]
    assert [r["code"] for r in top] == [LUCHENG]
    streets = district.get(f"/staff/regions/?parent={LUCHENG}").json()["regions"]
    assert WUMA in [r["code"] for r in streets] and all(r["code"].startswith("330302") for r in streets)
    # Under the city it sees its own district only, never the city's other districts.
    assert [r["code"] for r in district.get(f"/staff/regions/?parent={CITY}").json()["regions"]] == [LUCHENG]
    assert district.get("/staff/regions/?parent=33' or 1=1").json()["regions"] == []


def test_the_list_reads_in_a_fixed_number_of_queries(staff, django_assert_max_num_queries):
    for i in range(15):
        make_staff(f"w{i}", "community_worker", WUMA_GULOU)
    city = as_user(staff["city_admin"])
    city.get("/staff/")
    with django_assert_max_num_queries(12):
        resp = city.get("/staff/")
    assert "w14" in resp.content.decode()
