"""The facilities API: list contract and filters, admissions, the wait-list with positions; scoped."""

from datetime import timedelta

import pytest
from django.utils import timezone

from facilities.models import WaitlistEvent
from facilities.tests.helpers import make_facility
from services.models import ProviderStaff
from services.tests.factories import make_provider
from tests.factories import LONGWAN, WUMA, WUMA_GULOU, ElderFactory, api_client, first_village_of

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def api(user):
    return api_client(user)


@pytest.fixture
def network(staff):
    provider = make_provider()
    ProviderStaff.objects.create(user=staff["provider_staff"], provider=provider)
    return {
        "centre": make_facility(
            name="五马街道综合养老服务中心", operator=provider, beds=60, nursing_beds=35, star=4
        ),
        "station": make_facility(
            name="鼓楼居家养老服务站", kind="station", region=WUMA_GULOU, beds=0, nursing_beds=0
        ),
        "private": make_facility(
            name="民办颐养院", kind="nursing_home", ownership="private", beds=120, nursing_beds=80
        ),
        "longwan": make_facility(name="龙湾中心", region=first_village_of(LONGWAN[:6])),
        "provider": provider,
    }


def test_list_rows_carry_the_contract_fields(staff, network):
    rows = api(staff["city_admin"]).get("/api/v1/facilities/").json()["results"]
    row = next(r for r in rows if r["name"] == "五马街道综合养老服务中心")
    for key in ("id", "name", "kind", "ownership", "status", "region", "beds", "nursing_beds", "star"):
        assert key in row
    assert row["kind"] == "street_centre" and row["region"] == WUMA and row["star"] == 4 and row["beds"] == 60


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=station", {"鼓楼居家养老服务站"}),
        ("ownership=private", {"民办颐养院"}),
        ("star=4", {"五马街道综合养老服务中心"}),
        (f"region={WUMA_GULOU}", {"鼓楼居家养老服务站"}),
        ("status=operating&kind=nursing_home", {"民办颐养院"}),
    ],
)
def test_filters(staff, network, query, expected):
    rows = api(staff["city_admin"]).get(f"/api/v1/facilities/?{query}").json()["results"]
    assert {r["name"] for r in rows} == expected


def test_list_is_scoped(staff, network):
    names = {r["name"] for r in api(staff["street_officer"]).get("/api/v1/facilities/").json()["results"]}
    assert "龙湾中心" not in names and "五马街道综合养老服务中心" in names


def test_facility_operator_admits_through_the_api(staff, network):
    elder = ElderFactory()
    client = api(staff["provider_staff"])
    response = client.post(
        "/api/v1/residencies/",
        {
            "facility": network["centre"].pk,
            "elder": elder.pk,
            "admitted_on": TODAY().isoformat(),
            "bed": "2-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    row = client.get(f"/api/v1/facilities/{network['centre'].pk}/").json()
    assert row["residents"] == 1 and row["vacancy"] == 59
    # Not their facility: the field refuses it.
    response = client.post(
        "/api/v1/residencies/",
        {"facility": network["private"].pk, "elder": ElderFactory().pk, "admitted_on": TODAY().isoformat()},
        format="json",
    )
    assert response.status_code == 400 and "facility" in response.json()
    residency = client.get("/api/v1/residencies/?current=true").json()["results"][0]
    discharged = client.post(
        f"/api/v1/residencies/{residency['id']}/discharge/",
        {"discharged_on": TODAY().isoformat(), "reason": "home"},
        format="json",
    )
    assert discharged.status_code == 200 and discharged.json()["discharge_reason"] == "home"


def test_waitlist_entries_show_position_and_why(staff, network):
    centre = network["centre"]
    worker = api(staff["community_worker"])
    ordinary = ElderFactory()
    tekun = ElderFactory(economic_status="extreme_poverty")
    worker.post(
        "/api/v1/waitlist-entries/",
        {
            "facility": centre.pk,
            "elder": ordinary.pk,
            "applied_on": (TODAY() - timedelta(days=9)).isoformat(),
        },
        format="json",
    )
    created = worker.post(
        "/api/v1/waitlist-entries/", {"facility": centre.pk, "elder": tekun.pk}, format="json"
    )
    assert created.status_code == 201 and created.json()["position"] == 1
    rows = (
        api(staff["street_officer"]).get(f"/api/v1/waitlist-entries/?elder={ordinary.pk}").json()["results"]
    )
    assert rows[0]["position"] == 2 and rows[0]["tier_code"] == "general"
    # The street officer moves the first applicant down with a reason; it is logged.
    entry_id = created.json()["id"]
    response = api(staff["street_officer"]).post(
        f"/api/v1/waitlist-entries/{entry_id}/tier/",
        {"tier": "general", "reason": "经核实不属特困"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["position"] == 2
    assert WaitlistEvent.objects.filter(
        entry_id=entry_id, kind="tier_changed", reason="经核实不属特困"
    ).exists()
    # A community worker may not reorder.
    denied = worker.post(
        f"/api/v1/waitlist-entries/{entry_id}/tier/", {"tier": "veteran", "reason": "x"}, format="json"
    )
    assert denied.status_code == 403


def test_offer_through_the_api(staff, network):
    centre = network["centre"]
    first, second = ElderFactory(), ElderFactory()
    worker = api(staff["community_worker"])
    e1 = worker.post(
        "/api/v1/waitlist-entries/",
        {"facility": centre.pk, "elder": first.pk, "applied_on": (TODAY() - timedelta(days=3)).isoformat()},
        format="json",
    ).json()
    worker.post("/api/v1/waitlist-entries/", {"facility": centre.pk, "elder": second.pk}, format="json")
    officer = api(staff["street_officer"])
    blank = officer.post(
        f"/api/v1/facilities/{centre.pk}/offer/", {"skips": {str(e1["id"]): ""}}, format="json"
    )
    assert blank.status_code == 400
    offered = officer.post(
        f"/api/v1/facilities/{centre.pk}/offer/", {"skips": {str(e1["id"]): "家属要求暂缓"}}, format="json"
    )
    assert (
        offered.status_code == 200
        and offered.json()["elder"] == second.pk
        and offered.json()["status"] == "offered"
    )


def test_standards_endpoint(staff, network):
    response = api(staff["city_admin"]).get(f"/api/v1/facilities/{network['centre'].pk}/standards/")
    assert response.status_code == 200 and isinstance(response.json(), list)


def test_family_care_beds(staff, network):
    elder = ElderFactory()
    response = api(staff["street_officer"]).post(
        "/api/v1/family-care-beds/",
        {
            "elder": elder.pk,
            "provider": network["provider"].pk,
            "set_up_on": TODAY().isoformat(),
            "equipment": ["nursing_bed", "handrails"],
            "service_package": "半失能照护",
            "monthly_hours": "12.0",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert api(staff["leader"]).get("/api/v1/family-care-beds/").json()["count"] == 1


def test_decline_and_withdraw_need_a_reason_and_leave_the_list(staff, network):
    centre = network["centre"]
    worker = api(staff["community_worker"])
    first = worker.post(
        "/api/v1/waitlist-entries/", {"facility": centre.pk, "elder": ElderFactory().pk}, format="json"
    )
    second = worker.post(
        "/api/v1/waitlist-entries/", {"facility": centre.pk, "elder": ElderFactory().pk}, format="json"
    )
    officer = api(staff["street_officer"])
    officer.post(f"/api/v1/facilities/{centre.pk}/offer/", {}, format="json")
    declined = officer.post(
        f"/api/v1/waitlist-entries/{first.json()['id']}/decline/", {"reason": "家属接回"}, format="json"
    )
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    assert declined.json()["position"] is None
    blank = worker.post(
        f"/api/v1/waitlist-entries/{second.json()['id']}/withdraw/", {"reason": ""}, format="json"
    )
    assert blank.status_code == 400
    withdrawn = worker.post(
        f"/api/v1/waitlist-entries/{second.json()['id']}/withdraw/", {"reason": "改为居家"}, format="json"
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"


def test_applicants_community_sees_the_entry_other_communities_do_not(staff, network):
    from tests.factories import WUMA_MOCHI, make_staff

    elder = ElderFactory()  # lives in 鼓楼, applies for the street's centre
    api(staff["community_worker"]).post(
        "/api/v1/waitlist-entries/", {"facility": network["centre"].pk, "elder": elder.pk}, format="json"
    )
    own = api(staff["community_worker"]).get("/api/v1/waitlist-entries/").json()
    other = api(make_staff("mochi", "community_worker", WUMA_MOCHI)).get("/api/v1/waitlist-entries/").json()
    assert [r["elder"] for r in own["results"]] == [elder.pk] and own["results"][0]["position"] == 1
    assert other["count"] == 0
