"""The two admin holes an attacker with a role account found, closed.

1. django-simple-history's history list and history form answer 404 outside the viewer's
   region and never save: a street officer could approve another district's application and a
   district officer rename another district's caregiver through them.
2. A city admin cannot make itself (or anyone) superuser, cannot set groups or permissions,
   cannot touch a superuser, and manages only the accounts under its region — through the
   create_staff service.
"""

import pytest
from django.conf import settings
from django.contrib.admin.sites import site
from django.contrib.auth import get_user_model
from django.test import Client
from simple_history.admin import SimpleHistoryAdmin

from regions.models import StaffProfile
from services.tests.factories import make_caregiver, make_provider
from tests.factories import (
    CITY,
    LONGWAN,
    LUCHENG,
    PASSWORD,
    WUMA,
    WUMA_GULOU,
    ElderFactory,
    first_village_of,
    make_staff,
)

pytestmark = pytest.mark.django_db
User = get_user_model()


def as_user(user) -> Client:
    c = Client()
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    c.force_login(user)
    return c


def test_every_history_admin_goes_through_the_scoped_guard():
    # A new admin with history must inherit the guard, or its history views bypass scope.
    from core.admin import ScopedAdmin

    for model, model_admin in site._registry.items():
        if isinstance(model_admin, SimpleHistoryAdmin):
            assert isinstance(model_admin, ScopedAdmin), model.__name__


def test_history_of_an_elder_outside_the_region_is_404_inside_200(staff):
    inside = ElderFactory(name="五马老人", residence_id=WUMA_GULOU)
    outside = ElderFactory(name="龙湾老人", residence_id=first_village_of(LONGWAN[:6]))
    street = as_user(staff["street_officer"])
    assert street.get(f"/admin/elders/elder/{inside.pk}/history/").status_code == 200
    resp = street.get(f"/admin/elders/elder/{outside.pk}/history/")
    assert resp.status_code == 404 and "龙湾老人" not in resp.content.decode()
    version = outside.history.first().history_id
    resp = street.get(f"/admin/elders/elder/{outside.pk}/history/{version}/")
    assert resp.status_code == 404 and outside.id_number not in resp.content.decode()


def test_history_form_never_saves_not_even_inside_the_region(staff):
    elder = ElderFactory(name="原名", residence_id=WUMA_GULOU)
    version = elder.history.first().history_id
    street = as_user(staff["street_officer"])
    url = f"/admin/elders/elder/{elder.pk}/history/{version}/"
    page = street.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    resp = street.post(url, {"name": "改名", "id_number": elder.id_number, "residence": WUMA_GULOU})
    assert resp.status_code == 403
    elder.refresh_from_db()
    assert elder.name == "原名"


def test_district_officer_cannot_rename_another_districts_caregiver_through_history(wenzhou):
    longwan_officer = make_staff("lw-district", "district_officer", LONGWAN)
    caregiver = make_caregiver(make_provider(region=LUCHENG))
    version = caregiver.history.first().history_id
    client = as_user(longwan_officer)
    url = f"/admin/services/caregiver/{caregiver.pk}/history/{version}/"
    assert client.get(url).status_code == 404
    resp = client.post(url, {"name": "被改名", "provider": caregiver.provider_id})
    assert resp.status_code == 404
    caregiver.refresh_from_db()
    assert caregiver.name != "被改名"
    assert client.get(f"/admin/services/caregiver/{caregiver.pk}/history/").status_code == 404


# --- accounts ----------------------------------------------------------------------------


@pytest.fixture
def root(wenzhou):
    return User.objects.create_superuser("root", "root@example.org", PASSWORD)


def test_city_admin_cannot_make_itself_superuser(staff, root):
    city_user = staff["city_admin"]
    client = as_user(city_user)
    url = f"/admin/auth/user/{city_user.pk}/change/"
    # Its own account is not in the list it manages (that would be self-escalation).
    assert client.get(url).status_code in (302, 404)
    client.post(
        url,
        {
            "username": city_user.username,
            "is_superuser": "on",
            "is_staff": "on",
            "groups": [1, 2, 3],
            "user_permissions": [1, 2, 3],
            "is_active": "on",
            "role": "city_admin",
            "region_code": CITY,
        },
    )
    city_user.refresh_from_db()
    assert not city_user.is_superuser
    assert not city_user.user_permissions.exists()
    assert list(city_user.groups.values_list("name", flat=True)) == ["city_admin"]


def test_city_admin_cannot_see_or_touch_a_superuser(staff, root):
    client = as_user(staff["city_admin"])
    listing = client.get("/admin/auth/user/").content.decode()
    assert "root" not in listing and staff["community_worker"].username in listing
    assert client.get(f"/admin/auth/user/{root.pk}/change/").status_code in (302, 404)
    resp = client.post(
        f"/admin/auth/user/{root.pk}/password/",
        {"password1": "Hijack-pass-2026!", "password2": "Hijack-pass-2026!", "usable_password": "true"},
    )
    assert resp.status_code == 404
    root.refresh_from_db()
    assert root.check_password(PASSWORD)


def test_city_admin_cannot_edit_groups_or_permissions(staff):
    client = as_user(staff["city_admin"])
    assert client.get("/admin/auth/group/").status_code == 403
    page = client.get(f"/admin/auth/user/{staff['community_worker'].pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="is_staff"' not in page
    assert 'name="groups"' not in page and 'name="user_permissions"' not in page


def test_city_admin_manages_accounts_under_its_region_through_the_service(staff):
    client = as_user(staff["city_admin"])
    assert client.get("/admin/auth/user/add/").status_code == 200
    resp = client.post(
        "/admin/auth/user/add/",
        {
            "username": "new-worker",
            "first_name": "新社工",
            "is_active": "on",
            "role": "community_worker",
            "region_code": WUMA_GULOU,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "is_superuser": "on",
        },
    )
    assert resp.status_code == 302, resp.content.decode()[:2000]
    user = User.objects.get(username="new-worker")
    assert not user.is_superuser and not user.is_staff
    assert user.staff_profile.role == "community_worker" and user.staff_profile.region_id == WUMA_GULOU
    assert list(user.groups.values_list("name", flat=True)) == ["community_worker"]

    # A role at the wrong level is refused on the form, naming the field.
    resp = client.post(
        "/admin/auth/user/add/",
        {
            "username": "bad-level",
            "is_active": "on",
            "role": "community_worker",
            "region_code": WUMA,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert resp.status_code == 200 and not User.objects.filter(username="bad-level").exists()
    assert "region" in resp.content.decode().lower()

    # Deactivating goes through the same service; the group still follows the role.
    page = client.get(f"/admin/auth/user/{user.pk}/change/")
    assert page.status_code == 200 and "Reset the password" in page.content.decode()
    resp = client.post(
        f"/admin/auth/user/{user.pk}/change/",
        {"first_name": "新社工", "role": "community_worker", "region_code": WUMA_GULOU},
    )
    assert resp.status_code == 302
    user.refresh_from_db()
    assert not user.is_active


def test_district_officer_sees_no_account_screens(staff):
    client = as_user(staff["district_officer"])
    assert client.get("/admin/auth/user/").status_code == 403


def test_city_admin_of_another_city_manages_nothing_here(staff, wenzhou):
    from regions.services import load_regions

    load_regions(prefix="3304")
    other_city = make_staff("jx-city", "city_admin", "330400000000")
    client = as_user(other_city)
    assert client.get(f"/admin/auth/user/{staff['community_worker'].pk}/change/").status_code in (302, 404)
    resp = client.post(
        "/admin/auth/user/add/",
        {
            "username": "intruder",
            "is_active": "on",
            "role": "community_worker",
            "region_code": WUMA_GULOU,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert resp.status_code == 200 and not User.objects.filter(username="intruder").exists()


def test_service_refuses_escalation_whatever_calls_it(staff, root):
    from django.core.exceptions import PermissionDenied

    from regions.services import create_staff, set_staff_password

    city = staff["city_admin"]
    with pytest.raises(PermissionDenied):
        create_staff(username="root", role="city_admin", region_code=CITY, password=None, acting_user=city)
    with pytest.raises(PermissionDenied):
        create_staff(username="city", role="city_admin", region_code=CITY, password=None, acting_user=city)
    with pytest.raises(PermissionDenied):
        set_staff_password(user=root, password="Hijack-pass-2026!", acting_user=city)
    with pytest.raises(PermissionDenied):
        create_staff(
            username="w2",
            role="community_worker",
            region_code=WUMA_GULOU,
            password=PASSWORD,
            acting_user=staff["street_officer"],
        )
    assert StaffProfile.objects.filter(user__username="w2").count() == 0


def test_the_admin_lists_the_models_of_the_accounts_permissions_as_they_are_now(staff):
    from django.contrib.auth.models import Group, Permission

    client = as_user(staff["street_officer"])
    assert 'href="/admin/elders/elder/"' in client.get("/admin/").content.decode()
    group = Group.objects.get(name="street_officer")
    group.permissions.remove(
        *Permission.objects.filter(content_type__app_label="elders", content_type__model="elder")
    )
    page = client.get("/admin/").content.decode()
    assert 'href="/admin/elders/elder/"' not in page
    assert client.get("/admin/elders/elder/").status_code == 403


def test_the_admin_sidebar_is_rendered_once_and_marks_the_page_it_is_on(staff):
    from django.contrib.auth.models import Group, Permission

    client = as_user(staff["street_officer"])
    client.get("/admin/elders/elder/")
    again = client.get("/admin/elders/elder/")
    assert "admin/app_list.html" not in [t.name for t in again.templates]  # the kept sidebar
    sidebar = again.content.decode().split('id="nav-sidebar"')[1].split("</nav>")[0]
    assert 'class="model-elder current-model"' in sidebar
    assert 'href="/admin/elders/elder/" aria-current="page"' in sidebar
    other = client.get("/admin/services/visit/").content.decode().split('id="nav-sidebar"')[1]
    assert 'class="model-visit current-model"' in other
    assert 'class="model-elder"' in other and 'aria-current="page">' in other
    assert 'href="/admin/elders/elder/" aria-current' not in other
    # A right taken away leaves the sidebar on the next page.
    Group.objects.get(name="street_officer").permissions.remove(
        *Permission.objects.filter(content_type__app_label="services", content_type__model="followup")
    )
    after = client.get("/admin/services/visit/").content.decode().split('id="nav-sidebar"')[1]
    assert 'href="/admin/services/followup/"' in other
    assert 'href="/admin/services/followup/"' not in after
