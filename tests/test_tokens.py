"""API tokens: issued at the same path, throttled, locked out with the login, bounded and revocable."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from eldercare.models import ApiToken
from regions.services import create_staff, issue_temporary_password, set_staff_password
from tests.factories import PASSWORD, WUMA_GULOU

pytestmark = pytest.mark.django_db
TOKEN_URL = "/api/v1/auth/token/"


def get_token(username="worker", password=PASSWORD, client=None, **extra):
    return (client or APIClient()).post(
        TOKEN_URL, {"username": username, "password": password}, format="json", **extra
    )


def reads_elders(token) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get("/api/v1/elders/").status_code


def test_token_has_the_same_field_and_expires_after_a_working_day(staff, settings):
    resp = get_token()
    assert resp.status_code == 200
    token = resp.json()["token"]
    assert reads_elders(token) == 200
    stored = ApiToken.objects.get(user=staff["community_worker"])
    assert token not in (stored.digest, stored.token_key)  # only a hash is kept
    assert timedelta(hours=7) < stored.expiry - timezone.now() <= timedelta(hours=8)
    ApiToken.objects.update(expiry=timezone.now() - timedelta(seconds=1))
    assert reads_elders(token) == 401


def test_the_lifetime_is_configurable(staff, settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": timedelta(hours=2)}
    get_token()
    stored = ApiToken.objects.get(user=staff["community_worker"])
    assert stored.expiry - timezone.now() <= timedelta(hours=2)


def test_wrong_password_is_a_translated_400(staff):
    resp = get_token(password="wrong-password")
    assert resp.status_code == 400
    assert resp.json()["non_field_errors"] == ["用户名或密码错误。"]


def test_lock_out_applies_to_the_token_endpoint_and_revokes_tokens(staff):
    token = get_token().json()["token"]
    for _ in range(5):
        assert get_token(password="wrong-password").status_code in (400, 429)
    locked = get_token()
    assert locked.status_code == 429 and "token" not in locked.json()
    # The lock-out revoked the token issued before it.
    assert reads_elders(token) == 401
    assert not ApiToken.objects.filter(user=staff["community_worker"]).exists()


def test_throttled_per_username_from_many_addresses(staff, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token_client": "100/minute", "token_username": "3/minute"},
    }
    codes = [get_token(REMOTE_ADDR=f"10.0.0.{i}").status_code for i in range(1, 5)]
    assert codes == [200, 200, 200, 429]
    # Another account is not held up by it.
    make = create_staff(username="other", role="community_worker", region_code=WUMA_GULOU, password=PASSWORD)
    assert make[1] and get_token("other", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_throttled_per_client_across_usernames(staff, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token_client": "3/minute", "token_username": "100/minute"},
    }
    names = ["worker", "street", "district", "city"]
    codes = [get_token(name, REMOTE_ADDR="10.1.1.1").status_code for name in names]
    assert codes == [200, 200, 200, 429]
    assert get_token("city", REMOTE_ADDR="10.1.1.2").status_code == 200


def test_password_change_deactivation_and_reset_revoke(staff):
    worker = staff["community_worker"]
    token = get_token().json()["token"]
    # Any path that changes the password ends the token (here: Django's own set_password).
    worker.set_password("Another-pass-2026!")
    worker.save()
    assert reads_elders(token) == 401
    token = get_token(password="Another-pass-2026!").json()["token"]
    set_staff_password(user=worker, password="Third-pass-2026!x", acting_user=staff["city_admin"])
    assert reads_elders(token) == 401
    token = get_token(password="Third-pass-2026!x").json()["token"]
    create_staff(
        username="worker", role="community_worker", region_code=WUMA_GULOU, password=None, is_active=False
    )
    assert reads_elders(token) == 401
    assert get_token(password="Third-pass-2026!x").status_code == 400


def test_a_temporary_password_gets_no_token_until_its_owner_changes_it(client, staff):
    worker = staff["community_worker"]
    temporary = issue_temporary_password(user=worker, acting_user=staff["city_admin"])
    resp = get_token(password=temporary)
    assert resp.status_code == 403
    assert "临时密码" in resp.json()["detail"]
    assert not ApiToken.objects.filter(user=worker).exists()
    # The owner signs in on the portal, is sent to the change form and picks a password of their own.
    assert client.post("/accounts/login/", {"username": "worker", "password": temporary}).status_code == 302
    resp = client.post(
        "/accounts/password/",
        {"old_password": temporary, "new_password1": "Own-choice-2026!x", "new_password2": "Own-choice-2026!x"},
    )
    assert resp.status_code == 302
    assert get_token(password="Own-choice-2026!x").status_code == 200


def test_owner_revokes_one_token_or_all(staff):
    first, second, third = (get_token().json()["token"] for _ in range(3))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert client.post("/api/v1/auth/token/revoke/", {}, format="json").status_code == 204
    assert reads_elders(first) == 401 and reads_elders(second) == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert client.post("/api/v1/auth/token/revoke/", {"all": True}, format="json").status_code == 204
    assert reads_elders(second) == 401 and reads_elders(third) == 401


@pytest.mark.parametrize(
    "role", ["community_worker", "assessor", "leader", "provider_staff", "street_officer"]
)
def test_every_role_changes_its_own_password_from_the_worker_pages(client, staff, role):
    user = staff[role]
    token = get_token(user.username).json()["token"]
    client.force_login(user)
    page = client.get("/")
    assert b'href="/accounts/password/"' in page.content or role in ("assessor",)
    assert client.get("/accounts/password/").status_code == 200
    resp = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Brand-new-pass-26",
            "new_password2": "Brand-new-pass-26",
        },
    )
    assert resp.status_code == 302
    # Still signed in on this page, and the old token is gone.
    assert client.get("/accounts/password/").status_code == 200
    assert reads_elders(token) == 401
    user.refresh_from_db()
    assert user.check_password("Brand-new-pass-26")


def test_wrong_old_password_changes_nothing(client, staff):
    client.force_login(staff["community_worker"])
    resp = client.post(
        "/accounts/password/",
        {
            "old_password": "nope-nope-nope",
            "new_password1": "Brand-new-pass-26",
            "new_password2": "Brand-new-pass-26",
        },
    )
    assert resp.status_code == 200 and "old_password" in resp.context["form"].errors
    staff["community_worker"].refresh_from_db()
    assert staff["community_worker"].check_password(PASSWORD)
