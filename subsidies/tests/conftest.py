"""Fixtures of the subsidy tests: a slice of Jilin with its pack and one account per review level."""

import pytest

from regions.models import Region
from regions.services import load_regions
from subsidies.tests.helpers import load_pack_for_today
from tests.factories import make_staff


@pytest.fixture
def jl(db):
    load_regions(prefix="2201")
    load_pack_for_today("jilin", "22")
    towns = list(Region.objects.filter(code__startswith="2201", level="town").order_by("code")[:2])
    village = Region.objects.filter(parent=towns[0], level="village").order_by("code").first()
    return {
        "village": village,
        "worker": make_staff("jw", "community_worker", village.code),
        "street": make_staff("js", "street_officer", towns[0].code),
        "other_street": make_staff("js2", "street_officer", towns[1].code),
        "district": make_staff("jd", "district_officer", towns[0].code[:6].ljust(12, "0")),
    }


@pytest.fixture
def approved(jl):
    """An elder in an institution approved for JL-INSTITUTION-STAY, paid from three months ago."""
    from datetime import timedelta

    from django.utils import timezone

    from subsidies.models import Entitlement
    from subsidies.tests.helpers import api, months_ago, poor_disabled_in_institution

    elder = poor_disabled_in_institution(jl)
    app = (
        api(jl["worker"])
        .post(
            "/api/v1/subsidy-applications/",
            {"elder": elder.pk, "scheme": "JL-INSTITUTION-STAY"},
            format="json",
        )
        .json()
    )
    for reviewer in ("street", "district"):
        api(jl[reviewer]).post(
            f"/api/v1/subsidy-applications/{app['id']}/review/", {"decision": "approve"}, format="json"
        )
    # As if approved four months ago: paid from the month after that.
    Entitlement.objects.filter(elder=elder).update(first_period=months_ago(3))
    elder.registered_on = timezone.localdate() - timedelta(days=700)
    elder.save()
    return elder, jl
