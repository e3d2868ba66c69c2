"""The facility screens of the admin open for bureau staff, scoped, and saving goes through the service."""

import pytest

from facilities.models import Facility, StatusChange
from facilities.tests.helpers import make_facility
from tests.factories import LONGWAN, WUMA, first_village_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/admin/facilities/facility/",
        "/admin/facilities/facility/add/",
        "/admin/facilities/residency/",
        "/admin/facilities/waitlistentry/",
        "/admin/facilities/familycarebed/",
        "/admin/facilities/starrating/",
        "/admin/facilities/communityprofile/",
    ],
)
def test_screens_open(client, staff, url):
    make_facility()
    client.force_login(staff["district_officer"])
    assert client.get(url).status_code == 200


def test_changelist_is_scoped(client, staff):
    make_facility(name="五马中心")
    make_facility(name="龙湾中心", region=first_village_of(LONGWAN[:6]))
    client.force_login(staff["district_officer"])
    html = client.get("/admin/facilities/facility/").content.decode()
    assert "五马中心" in html and "龙湾中心" not in html


def test_admin_add_records_the_status_with_its_date(client, staff):
    client.force_login(staff["district_officer"])
    response = client.post(
        "/admin/facilities/facility/add/",
        {
            "name": "新中心",
            "kind": "street_centre",
            "ownership": "public",
            "region": WUMA,
            "status": "building",
            "status_on": "2026-03-01",
            "beds": "60",
            "nursing_beds": "36",
            **{
                f: "0"
                for f in ("caregivers", "nurses", "doctors", "social_workers", "managers", "other_staff")
            },
            "status_changes-TOTAL_FORMS": "0",
            "status_changes-INITIAL_FORMS": "0",
            "star_ratings-TOTAL_FORMS": "0",
            "star_ratings-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    facility = Facility.objects.get(name="新中心")
    assert StatusChange.objects.get(facility=facility).on.isoformat() == "2026-03-01"
