"""Test data of supervision: the packs loaded, an operator and its facilities, two inspectors."""

from __future__ import annotations

from facilities.models import Facility
from policies.services import load_policy_pack
from services.models import ProviderStaff
from services.tests.factories import make_provider
from tests.factories import LUCHENG, WUMA, WUMA_GULOU, make_staff

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


def supervision_world(staff=None) -> dict:
    load_policy_pack(name="national")
    load_policy_pack(name="wenzhou")
    operator = make_provider(region=LUCHENG, name="鹿城颐养服务有限公司")
    homes = [
        Facility.objects.create(
            name=f"鹿城第{i}养老院",
            kind="nursing_home",
            ownership="private",
            operator=operator,
            region_id=WUMA_GULOU,
            status="operating",
            beds=50,
        )
        for i in range(1, 6)
    ]
    district = make_staff("sv-district", "district_officer", LUCHENG)
    street = make_staff("sv-street", "street_officer", WUMA)
    operator_account = make_staff("sv-operator", "provider_staff", LUCHENG)
    ProviderStaff.objects.create(user=operator_account, provider=operator)
    return {
        "operator": operator,
        "homes": homes,
        "district": district,
        "street": street,
        "operator_account": operator_account,
    }
