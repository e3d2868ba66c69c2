"""Providers and caregivers are filed and changed through services.services (the API and the
admin write through it): scope and the provider binding hold on every write."""

from __future__ import annotations

from datetime import date

import pytest
from rest_framework.test import APIClient

from services.models import Caregiver, Provider, ProviderStaff
from services.tests.factories import make_provider, make_uscc
from tests.factories import LONGWAN, LUCHENG, api_client, id_number_for, make_staff

pytestmark = pytest.mark.django_db


def _client(user) -> APIClient:
    return api_client(user)


def test_a_district_files_a_provider_in_its_region_and_cannot_move_it_out(staff):
    district = _client(staff["district_officer"])
    resp = district.post(
        "/api/v1/providers/",
        {
            "name": "鹿城颐养服务社",
            "credit_code": make_uscc(region="330302"),
            "kind": "home_care",
            "region": LUCHENG,
        },
        format="json",
    )
    assert resp.status_code == 201, resp.json()
    provider = Provider.objects.get(pk=resp.json()["id"])
    moved = district.patch(f"/api/v1/providers/{provider.pk}/", {"region": LONGWAN}, format="json")
    assert moved.status_code in (400, 403)
    assert Provider.objects.get(pk=provider.pk).region_id == LUCHENG


def test_a_providers_staff_files_caregivers_of_their_own_provider_only(staff):
    own, other = make_provider(name="自家服务社"), make_provider(name="别家服务社")
    account = make_staff("carer-admin", "provider_staff", LUCHENG)
    ProviderStaff.objects.create(user=account, provider=own)
    client = _client(account)
    body = {"name": "李护理", "id_number": id_number_for(date(1980, 1, 1)), "active": True}
    refused = client.post("/api/v1/caregivers/", {**body, "provider": other.pk}, format="json")
    assert refused.status_code == 400 and "provider" in refused.json()
    assert not Caregiver.objects.filter(provider=other).exists()
