"""The facility pages with the Django test client: who sees what, the reports, applying."""

import pytest
from django.utils import timezone

from facilities.models import WaitlistEntry
from facilities.tests.helpers import make_facility
from policies.services import load_policy_pack
from services.models import ProviderStaff
from services.tests.factories import make_provider
from tests.factories import LUCHENG, WUMA_GULOU, ElderFactory, api_client

pytestmark = pytest.mark.django_db


def logged_in(client, username):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_facility_page_shows_each_rule_with_its_numbers(client, staff):
    load_policy_pack(name="nanyang", region_code=LUCHENG)
    centre = make_facility(name="短板中心", beds=50, nursing_beds=27, floor_area_m2=2100, land_area_mu=3)
    html = logged_in(client, "street").get(f"/facilities/{centre.pk}/").content.decode()
    # The default language is Chinese: 护理型床位占比 54 % against 55 %, 未达标.
    assert "护理型床位占比" in html and "54" in html and "未达标" in html
    listing = client.get("/facilities/shortfalls/").content.decode()
    assert "短板中心" in listing


def test_operator_sees_the_admission_form_only_for_their_facility(client, staff):
    provider = make_provider()
    ProviderStaff.objects.create(user=staff["provider_staff"], provider=provider)
    own = make_facility(operator=provider)
    other = make_facility(operator=make_provider())
    logged_in(client, "provider")
    assert 'data-testid="admit-form"' in client.get(f"/facilities/{own.pk}/").content.decode()
    assert 'data-testid="admit-form"' not in client.get(f"/facilities/{other.pk}/").content.decode()
    response = client.post(
        f"/facilities/{other.pk}/admit/",
        {"id_number": ElderFactory().id_number, "admitted_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 404


def test_worker_applies_from_the_elder_file(client, staff):
    centre = make_facility(name="公办中心")
    elder = ElderFactory(residence_id=WUMA_GULOU)
    logged_in(client, "worker")
    assert f"/facilities/apply/{elder.pk}/" in client.get(f"/elders/{elder.pk}/").content.decode()
    response = client.post(
        f"/facilities/apply/{elder.pk}/",
        {"facility": centre.pk, "applied_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    assert WaitlistEntry.objects.get(elder=elder).facility == centre
    assert "公办中心" in client.get(f"/elders/{elder.pk}/").content.decode()


def test_space_page(client, staff):
    assert logged_in(client, "street").get("/facilities/space/").status_code == 200


def test_leader_sees_the_list_but_no_admission_form(client, staff):
    centre = make_facility(name="可见中心")
    logged_in(client, "leader")
    assert "可见中心" in client.get("/facilities/").content.decode()
    assert 'data-testid="admit-form"' not in client.get(f"/facilities/{centre.pk}/").content.decode()


def test_list_page_and_api_use_a_bounded_number_of_queries(client, staff, django_assert_max_num_queries):

    for _ in range(3):
        make_facility()
    client.force_login(staff["city_admin"])
    api = api_client(staff["city_admin"])
    with django_assert_max_num_queries(12) as few:
        client.get("/facilities/")
    with django_assert_max_num_queries(10) as api_few:
        api.get("/api/v1/facilities/")
    for _ in range(20):
        make_facility()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/facilities/").status_code == 200
    with django_assert_max_num_queries(len(api_few.captured_queries)):
        assert api.get("/api/v1/facilities/").json()["count"] == 23
