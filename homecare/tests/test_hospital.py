"""Hospital stays: recorded by a worker or through the API; services during one are flagged."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from homecare import services
from homecare.choices import FlagKind, StaySource
from homecare.models import Flag, HospitalStay
from homecare.settlement import settle_month
from tests.factories import api_client, make_staff

from .helpers import deliver, month, month_start


def kinds(order) -> set[str]:
    return set(Flag.objects.filter(order=order).values_list("kind", flat=True))


def test_services_during_a_hospital_stay_are_flagged_and_held(ny):
    day = month_start().date()
    before = deliver(ny, start=month_start())
    during = deliver(ny, start=month_start() + timedelta(days=3))
    home_again = deliver(ny, start=month_start() + timedelta(days=6))  # the discharge day
    # Recorded after the services: they are cross-checked at once.
    stay = services.record_hospital_stay(
        acting_user=ny["worker"],
        elder=ny["elder"],
        hospital="南阳市中心医院",
        admitted_on=day + timedelta(days=2),
        discharged_on=day + timedelta(days=6),
        source=StaySource.FAMILY,
    )
    assert kinds(during) == {FlagKind.IN_HOSPITAL}
    assert kinds(before) == set() and kinds(home_again) == set()
    settle_month(period=month())
    during.line.refresh_from_db()
    assert during.line.status == "held" and during.line.paid == 0
    # An open stay flags what is delivered while it lasts.
    services.end_hospital_stay(acting_user=ny["worker"], stay=stay, discharged_on=day + timedelta(days=4))
    services.record_hospital_stay(
        acting_user=ny["worker"],
        elder=ny["elder"],
        hospital="南阳市第一人民医院",
        admitted_on=day + timedelta(days=8),
    )
    later = deliver(ny, start=month_start() + timedelta(days=9))
    assert kinds(later) == {FlagKind.IN_HOSPITAL}


def test_a_stay_is_checked(ny):
    day = month_start().date()
    with pytest.raises(ValidationError):
        services.record_hospital_stay(
            acting_user=ny["worker"],
            elder=ny["elder"],
            hospital="医院",
            admitted_on=day,
            discharged_on=day - timedelta(days=1),
        )
    services.record_hospital_stay(
        acting_user=ny["worker"], elder=ny["elder"], hospital="医院", admitted_on=day
    )
    with pytest.raises(ValidationError):  # overlaps the open stay
        services.record_hospital_stay(
            acting_user=ny["worker"], elder=ny["elder"], hospital="医院", admitted_on=day + timedelta(days=1)
        )
    outsider = make_staff("hs-out", "community_worker", "330302006044")
    with pytest.raises(PermissionDenied):
        services.record_hospital_stay(
            acting_user=outsider, elder=ny["elder"], hospital="医院", admitted_on=day
        )
    with pytest.raises(PermissionDenied):  # a provider's staff do not record stays
        services.record_hospital_stay(
            acting_user=ny["staff"], elder=ny["elder"], hospital="医院", admitted_on=day
        )


def test_hospital_stays_through_the_api(ny):
    client = api_client(ny["worker"])
    day = month_start().date()
    made = client.post(
        "/api/v1/hospital-stays/",
        {"elder": ny["elder"].pk, "hospital": "南阳市中心医院", "admitted_on": day.isoformat()},
        format="json",
    )
    assert made.status_code == 201, made.json()
    assert made.json()["source"] == StaySource.HOSPITAL and made.json()["discharged_on"] is None
    pk = made.json()["id"]
    out = client.post(
        f"/api/v1/hospital-stays/{pk}/discharge/", {"discharged_on": (day + timedelta(days=3)).isoformat()}
    )
    assert out.status_code == 200 and HospitalStay.objects.get(pk=pk).discharged_on == day + timedelta(days=3)
    bad = client.post(
        "/api/v1/hospital-stays/",
        {
            "elder": ny["elder"].pk,
            "hospital": "x",
            "admitted_on": day.isoformat(),
            "discharged_on": "2000-01-01",
        },
        format="json",
    )
    assert bad.status_code == 400
    outsider = api_client(make_staff("hs-api-out", "community_worker", "330302006044"))
    assert outsider.get(f"/api/v1/hospital-stays/{pk}/").status_code == 404
    assert outsider.get("/api/v1/hospital-stays/").json()["count"] == 0
    provider = api_client(ny["staff"])
    assert (
        provider.post(
            "/api/v1/hospital-stays/",
            {"elder": ny["elder"].pk, "hospital": "x", "admitted_on": day.isoformat()},
            format="json",
        ).status_code
        == 403
    )
