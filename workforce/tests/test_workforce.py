"""Training sessions and elder-care advisers: entered through the services (admin and API), refused
outside the user's region or with inconsistent figures, and listed only in scope."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from facilities.tests.helpers import make_facility
from regions.models import Region
from services.tests.factories import make_caregiver, make_provider
from tests.factories import LONGWAN, SONGTAI, WUMA, WUMA_GULOU, api_client, first_village_of
from workforce.models import Adviser, TrainingSession
from workforce.services import appoint_adviser, end_adviser, record_training

pytestmark = pytest.mark.django_db


def training(user, region=WUMA, **extra):
    values = {
        "acting_user": user,
        "region": Region.objects.get(code=region),
        "title": "护理员岗位培训",
        "audience": "caregivers",
        "organiser": "五马街道",
        "starts_on": date(2026, 9, 1),
        "ends_on": date(2026, 9, 2),
        "person_times": 12,
    }
    values.update(extra)
    return record_training(**values)


def test_a_training_is_recorded_with_its_participants(staff):
    carer = make_caregiver(make_provider(region=WUMA))
    session = training(staff["street_officer"], caregivers=[carer])
    assert list(session.caregivers.all()) == [carer] and session.recorded_by == staff["street_officer"]
    assert session.history.filter(history_user=staff["street_officer"]).exists()


def test_a_training_outside_the_region_or_with_wrong_figures_is_refused(staff, english):
    with pytest.raises(PermissionDenied):
        training(staff["street_officer"], region=SONGTAI)
    far = make_caregiver(make_provider(region=first_village_of("330303")))  # 龙湾区
    with pytest.raises(ValidationError) as err:
        training(staff["street_officer"], caregivers=[far])
    assert "outside your region" in " ".join(err.value.message_dict["caregivers"])
    mine = [make_caregiver(make_provider(region=WUMA)) for _ in range(3)]
    with pytest.raises(ValidationError) as err:
        training(staff["street_officer"], person_times=2, caregivers=mine)
    assert "cannot be fewer than the 3 participants" in err.value.message_dict["person_times"][0]
    with pytest.raises(ValidationError) as err:
        training(staff["street_officer"], households=5)
    assert "households" in err.value.message_dict
    home = make_facility(region=WUMA, kind="nursing_home")
    with pytest.raises(ValidationError) as err:
        training(staff["street_officer"], facilities=[home])
    assert "facilities" in err.value.message_dict
    with pytest.raises(PermissionDenied):
        training(staff["leader"])
    assert not TrainingSession.objects.exists()


def test_advisers_are_posted_to_towns_and_villages_and_leave(staff, english):
    adviser = appoint_adviser(
        acting_user=staff["street_officer"],
        region=Region.objects.get(code=WUMA_GULOU),
        name="李顾问",
        appointed_on=date(2026, 3, 1),
    )
    with pytest.raises(ValidationError, match="posted to a street/town or a community/village"):
        appoint_adviser(
            acting_user=staff["city_admin"],
            region=Region.objects.get(code=LONGWAN),
            name="王",
            appointed_on=date(2026, 3, 1),
        )
    with pytest.raises(ValidationError):
        end_adviser(acting_user=staff["street_officer"], adviser=adviser, ended_on=date(2026, 1, 1))
    end_adviser(acting_user=staff["street_officer"], adviser=adviser, ended_on=date(2026, 10, 31))
    adviser.refresh_from_db()
    assert adviser.ended_on == date(2026, 10, 31)
    with pytest.raises(ValidationError, match="left on"):
        end_adviser(acting_user=staff["street_officer"], adviser=adviser, ended_on=date(2026, 11, 30))


def test_api_records_and_lists_in_scope(staff):
    api = api_client(staff["street_officer"])
    response = api.post(
        "/api/v1/training-sessions/",
        {
            "region": WUMA,
            "title": "家庭照护培训",
            "audience": "family_carers",
            "organiser": "五马街道",
            "starts_on": "2026-09-01",
            "ends_on": "2026-09-01",
            "person_times": 25,
            "households": 20,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    response = api.post(
        "/api/v1/advisers/", {"name": "张顾问", "region": WUMA, "appointed_on": "2026-01-05"}, format="json"
    )
    assert response.status_code == 201, response.content
    adviser = response.json()["id"]
    assert (
        api.post(f"/api/v1/advisers/{adviser}/leave/", {"ended_on": "2026-11-30"}, format="json").json()[
            "ended_on"
        ]
        == "2026-11-30"
    )
    refused = api.post(
        "/api/v1/advisers/", {"name": "越权", "region": SONGTAI, "appointed_on": "2026-01-05"}, format="json"
    )
    # A region outside the account's scope is not one of its choices: refused, naming the field.
    assert refused.status_code == 400 and "region" in refused.json()
    assert not Adviser.objects.filter(name="越权").exists()
    api.force_authenticate(staff["district_officer"])
    assert len(api.get("/api/v1/training-sessions/").json()["results"]) == 1
    other = api_client(staff["community_worker"])
    assert other.get("/api/v1/advisers/").status_code == 403  # no workforce permission


def test_the_admin_form_shows_the_services_refusals_and_saves_through_it(staff, client):
    far = make_caregiver(make_provider(region=first_village_of("330303")))  # 龙湾区
    near = make_caregiver(make_provider(region=WUMA))
    client.force_login(staff["street_officer"])
    form = {
        "region": WUMA,
        "title": "护理员岗位培训",
        "audience": "caregivers",
        "organiser": "五马街道",
        "starts_on": "2026-09-01",
        "ends_on": "2026-09-02",
        "person_times": "12",
        "caregivers": f"{far.pk}",
    }
    page = client.post("/admin/workforce/trainingsession/add/", form)
    assert page.status_code == 200 and "不在您的负责区域内" in page.content.decode()
    assert not TrainingSession.objects.exists()
    response = client.post("/admin/workforce/trainingsession/add/", {**form, "caregivers": f"{near.pk}"})
    assert response.status_code == 302
    session = TrainingSession.objects.get()
    assert list(session.caregivers.all()) == [near] and session.recorded_by == staff["street_officer"]
