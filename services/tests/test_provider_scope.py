"""Provider staff see and change only their own provider's rows (issue 12, item 4): caregivers,
service records, facilities and residents; another provider of the same district is out of reach
for reading and for writing, while bureau staff of the district see both."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from facilities.services import admit
from facilities.tests.helpers import make_facility
from services.models import Caregiver, ProviderStaff, ServiceRecord
from services.tests.factories import make_caregiver, make_provider
from tests.factories import LUCHENG, ElderFactory, api_client, id_number_for

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    return api_client(user)


@pytest.fixture
def two_providers(staff):
    ours, theirs = make_provider(region=LUCHENG), make_provider(region=LUCHENG)
    ProviderStaff.objects.create(user=staff["provider_staff"], provider=ours)
    made = {}
    for key, provider in (("ours", ours), ("theirs", theirs)):
        elder = ElderFactory()
        home = make_facility(operator=provider)
        made[key] = {
            "provider": provider,
            "caregiver": make_caregiver(provider),
            "facility": home,
            "residency": admit(
                acting_user=staff["district_officer"],
                facility=home,
                elder=elder,
                admitted_on=timezone.localdate(),
            ),
            "record": ServiceRecord.objects.create(
                elder=elder,
                provider=provider,
                kind="home_care",
                started_at=timezone.now() - timedelta(hours=1),
                duration_minutes=30,
                funding="self_paid",
                amount=Decimal("20.00"),
                recorded_by=staff["district_officer"],
            ),
        }
    return made


ROUTES = {
    "caregivers": "caregiver",
    "service-records": "record",
    "facilities": "facility",
    "residencies": "residency",
    "providers": "provider",
}


@pytest.mark.parametrize("route", ROUTES)
def test_provider_staff_read_only_their_own_providers_rows(staff, two_providers, route):
    key = ROUTES[route]
    ours, theirs = two_providers["ours"][key].pk, two_providers["theirs"][key].pk
    provider = api(staff["provider_staff"])
    listed = {row["id"] for row in provider.get(f"/api/v1/{route}/").json()["results"]}
    assert ours in listed and theirs not in listed
    assert provider.get(f"/api/v1/{route}/{theirs}/").status_code == 404
    # The district's officer, responsible for the whole district, sees both providers' rows.
    district = {
        row["id"] for row in api(staff["district_officer"]).get(f"/api/v1/{route}/").json()["results"]
    }
    assert {ours, theirs} <= district


def test_provider_staff_cannot_edit_move_or_file_another_providers_caregiver(staff, two_providers):
    provider = api(staff["provider_staff"])
    theirs = two_providers["theirs"]["caregiver"]
    ours = two_providers["ours"]["caregiver"]
    assert (
        provider.patch(f"/api/v1/caregivers/{theirs.pk}/", {"name": "改名"}, format="json").status_code == 404
    )
    moved = provider.patch(
        f"/api/v1/caregivers/{ours.pk}/", {"provider": two_providers["theirs"]["provider"].pk}, format="json"
    )
    assert moved.status_code == 400 and "provider" in moved.json()
    filed = provider.post(
        "/api/v1/caregivers/",
        {
            "provider": two_providers["theirs"]["provider"].pk,
            "id_number": id_number_for(date(1980, 5, 5), female=True),
            "name": "新护理员",
            "skill_level": 4,
        },
        format="json",
    )
    assert filed.status_code == 400 and "provider" in filed.json()
    theirs.refresh_from_db()
    ours.refresh_from_db()
    assert theirs.name != "改名" and ours.provider == two_providers["ours"]["provider"]
    assert not Caregiver.objects.filter(name="新护理员").exists()


def test_provider_staff_cannot_discharge_another_providers_resident(staff, two_providers):
    theirs = two_providers["theirs"]["residency"]
    answer = api(staff["provider_staff"]).post(
        f"/api/v1/residencies/{theirs.pk}/discharge/",
        {"discharged_on": timezone.localdate().isoformat(), "reason": "home"},
        format="json",
    )
    assert answer.status_code == 404
    theirs.refresh_from_db()
    assert theirs.discharged_on is None
