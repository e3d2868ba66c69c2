"""A slice of 南阳 (4113) with its pack, a filed provider with a contract price for NY01, a
caregiver, and an elder holding the 200-yuan NY-HOME-SERVICE allowance."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.periods import previous_period
from homecare.models import CaregiverAccount, ContractPrice
from homecare.services import set_confirmation_pin, set_home_location
from regions.models import Region
from regions.services import load_regions
from services.models import CatalogueItem, ProviderStaff
from services.tests.factories import make_caregiver, make_provider
from subsidies.models import Entitlement, Scheme
from subsidies.tests.helpers import load_pack_for_today
from tests.factories import ElderFactory, make_staff

PIN = "246810"


@pytest.fixture
def ny(db):
    load_regions(prefix="4113")
    load_pack_for_today("nanyang", "4113")
    # An urban community (居委会): the purchased home service is for 城市 families.
    village = (
        Region.objects.filter(code__startswith="4113", level="village", kind="urban").order_by("code").first()
    )
    town = village.code[:9].ljust(12, "0")
    district = village.code[:6].ljust(12, "0")
    provider = make_provider(region=district, name="宛城居家养老服务中心")
    item = CatalogueItem.objects.get(code="NY01", catalogue__region_id="411300000000")
    price = ContractPrice.objects.create(
        region_id=district,
        provider=provider,
        item=item,
        kind="home_care",
        unit="hour",
        price=Decimal("50.00"),
        min_minutes=30,
        max_minutes=180,
        effective_from=timezone.localdate() - timedelta(days=400),
    )
    worker = make_staff("ny-worker", "community_worker", village.code)
    street = make_staff("ny-street", "street_officer", town)
    officer = make_staff("ny-district", "district_officer", district)
    staff = make_staff("ny-provider", "provider_staff", district)
    ProviderStaff.objects.create(user=staff, provider=provider)
    caregiver = make_caregiver(provider)
    carer_user = make_staff("ny-carer", "provider_staff", district)
    ProviderStaff.objects.create(user=carer_user, provider=provider)
    CaregiverAccount.objects.create(user=carer_user, caregiver=caregiver)
    elder = ElderFactory(name="王奶奶", residence_id=village.code, address="宛城区新华街1号")
    scheme = Scheme.objects.get(code="NY-HOME-SERVICE")
    entitlement = Entitlement.objects.create(
        elder=elder, scheme=scheme, first_period=previous_period(), amount=Decimal("200.00")
    )
    set_home_location(acting_user=worker, elder=elder, latitude="33.000000", longitude="112.530000")
    set_confirmation_pin(acting_user=worker, elder=elder, pin=PIN)
    return {
        "village": village,
        "town": town,
        "district": district,
        "provider": provider,
        "item": item,
        "price": price,
        "worker": worker,
        "street": street,
        "officer": officer,
        "staff": staff,
        "caregiver": caregiver,
        "carer": carer_user,
        "elder": elder,
        "entitlement": entitlement,
    }
