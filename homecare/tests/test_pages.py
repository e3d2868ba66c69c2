"""The provider's and the community's pages of the elder's side: PIN, home location, hospital
stays; and the prices per item."""

import re
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.hashers import check_password

from homecare.models import ConfirmationPin, ContractPrice, HomeLocation, HospitalStay
from services.tests.factories import make_provider
from tests.factories import ElderFactory

from .helpers import deliver, month_start


def test_pin_set_and_reset_shown_once_and_audited(ny, client):
    deliver(ny, start=month_start())  # the provider serves the elder
    client.force_login(ny["worker"])
    page = client.get(f"/homecare/elders/{ny['elder'].pk}/")
    assert page.status_code == 200 and 'data-testid="pin"' in page.content.decode()
    reset = client.post(f"/homecare/elders/{ny['elder'].pk}/pin/", {"pin": ""})
    html = reset.content.decode()
    assert reset.status_code == 200 and reset["Cache-Control"] == "no-store"
    shown = re.search(r'data-testid="new-pin">.*?<strong[^>]*>(\d{6})</strong>', html, re.S).group(1)
    assert check_password(shown, ConfirmationPin.objects.get(elder=ny["elder"]).pin_hash)
    # Never again: the next visit says a PIN is set, not which.
    again = client.get(f"/homecare/elders/{ny['elder'].pk}/").content.decode()
    assert shown not in again and 'data-testid="new-pin"' not in again
    # Typed by the elder's choice, by the provider serving the elder: both in the history.
    client.force_login(ny["staff"])
    assert client.post(f"/homecare/elders/{ny['elder'].pk}/pin/", {"pin": "135790"}).status_code == 200
    assert check_password("135790", ConfirmationPin.objects.get(elder=ny["elder"]).pin_hash)
    users = list(
        ConfirmationPin.history.filter(elder_id=ny["elder"].pk)
        .order_by("history_date")
        .values_list("history_user__username", flat=True)
    )
    assert users[-2:] == ["ny-worker", "ny-provider"]
    assert not hasattr(ConfirmationPin.history.model, "pin_hash")  # the history never holds the hash
    # An elder the provider does not serve: refused.
    stranger = ElderFactory(residence_id=ny["village"].code, address="宛城区新华街5号")
    client.post(f"/homecare/elders/{stranger.pk}/pin/", {"pin": "111111"})
    assert not ConfirmationPin.objects.filter(elder=stranger).exists()


def test_home_location_page(ny, client):
    client.force_login(ny["worker"])
    response = client.post(
        f"/homecare/elders/{ny['elder'].pk}/location/", {"latitude": "33.100000", "longitude": "112.600000"}
    )
    assert response.status_code == 302
    home = HomeLocation.objects.get(elder=ny["elder"])
    assert (home.latitude, home.longitude) == (Decimal("33.100000"), Decimal("112.600000"))
    assert home.history.count() == 2 and home.history.first().history_user == ny["worker"]
    client.post(f"/homecare/elders/{ny['elder'].pk}/location/", {"latitude": "abc", "longitude": "1"})
    home.refresh_from_db()
    assert home.latitude == Decimal("33.100000")


def test_hospital_stay_pages(ny, client):
    client.force_login(ny["worker"])
    day = month_start().date()
    client.post(
        f"/homecare/elders/{ny['elder'].pk}/stays/",
        {"hospital": "南阳市中心医院", "admitted_on": day.isoformat(), "source": "family"},
    )
    stay = HospitalStay.objects.get(elder=ny["elder"])
    html = client.get(f"/homecare/elders/{ny['elder'].pk}/").content.decode()
    assert "南阳市中心医院" in html and "家属告知" in html
    client.post(
        f"/homecare/stays/{stay.pk}/discharge/", {"discharged_on": (day + timedelta(days=2)).isoformat()}
    )
    stay.refresh_from_db()
    assert stay.discharged_on == day + timedelta(days=2)
    # A provider's staff read the elder's page (PIN, location) but not the stays' forms.
    client.force_login(ny["staff"])
    page = client.get(f"/homecare/elders/{ny['elder'].pk}/").content.decode()
    assert "/stays/" not in page


def test_prices_page(ny, client):
    other = make_provider(region=ny["district"], name="别家服务中心")
    ContractPrice.objects.create(
        region_id=ny["district"],
        provider=other,
        item=ny["item"],
        kind="home_care",
        unit="hour",
        price=Decimal("77.00"),
        min_minutes=30,
        max_minutes=180,
        effective_from=month_start().date(),
    )
    client.force_login(ny["staff"])
    html = client.get("/homecare/prices/").content.decode()
    assert "50.00" in html and "77.00" not in html and "别家服务中心" not in html
    assert client.post("/homecare/prices/", {}).status_code == 403
    client.force_login(ny["officer"])
    html = client.get("/homecare/prices/").content.decode()
    assert "77.00" in html
    made = client.post(
        "/homecare/prices/",
        {
            "region": ny["district"],
            "provider": ny["provider"].pk,
            "item": ny["item"].pk,
            "kind": "home_care",
            "unit": "hour",
            "price": "55.00",
            "min_minutes": 30,
            "max_minutes": 180,
            "effective_from": (month_start().date() + timedelta(days=40)).isoformat(),
        },
    )
    assert made.status_code == 302, made.content.decode()[:3000]
    assert ContractPrice.objects.filter(provider=ny["provider"], price=Decimal("55.00")).exists()
