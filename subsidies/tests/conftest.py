"""Fixtures of the subsidy tests: a slice of Jilin with its pack and one account per review level."""

import pytest

from policies.services import load_policy_pack
from regions.models import Region
from regions.services import load_regions
from tests.factories import make_staff


@pytest.fixture
def jl(db):
    load_regions(prefix="2201")
    load_policy_pack(name="jilin", region_code="22")
    towns = list(Region.objects.filter(code__startswith="2201", level="town").order_by("code")[:2])
    village = Region.objects.filter(parent=towns[0], level="village").order_by("code").first()
    return {
        "village": village,
        "worker": make_staff("jw", "community_worker", village.code),
        "street": make_staff("js", "street_officer", towns[0].code),
        "other_street": make_staff("js2", "street_officer", towns[1].code),
        "district": make_staff("jd", "district_officer", towns[0].code[:6].ljust(12, "0")),
    }
