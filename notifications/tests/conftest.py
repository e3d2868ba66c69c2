"""A slice of Jilin with its pack (as subsidies/tests/conftest.py), for the application counts."""

import pytest

from regions.models import Region
from regions.services import load_regions
from subsidies.tests.helpers import load_pack_for_today
from tests.factories import make_staff


def with_phone(user, phone: str):
    from regions.models import StaffProfile

    StaffProfile.objects.filter(user=user).update(phone=phone)
    return user


@pytest.fixture
def jl(db):
    load_regions(prefix="2201")
    load_pack_for_today("jilin", "22")
    town = Region.objects.filter(code__startswith="2201", level="town").order_by("code").first()
    village = Region.objects.filter(parent=town, level="village").order_by("code").first()
    return {
        "village": village,
        "worker": with_phone(make_staff("jw", "community_worker", village.code), "13900000001"),
        "street": make_staff("js", "street_officer", town.code),
        "district": make_staff("jd", "district_officer", town.code[:6].ljust(12, "0")),
        "city": make_staff("jc", "city_admin", "220100000000"),
    }
