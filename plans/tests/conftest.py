"""Wenzhou's targets and tasks loaded from its pack, and one account per responsible unit."""

import pytest

from tests.factories import CITY, LONGWAN, LUCHENG, make_staff


@pytest.fixture
def plan(wenzhou):
    from policies.services import load_policy_pack

    return load_policy_pack(name="wenzhou", region_code="3303", only=["targets", "tasks"])


@pytest.fixture
def units(plan):
    """Accounts of 市民政局 (a city administrator), 市卫健委 (department staff) and of the people's
    governments of 鹿城区 and 龙湾区 (district officers)."""
    return {
        "民政": make_staff("mz", "city_admin", CITY, department="市民政局"),
        "卫健": make_staff("wj", "department_staff", CITY, department="市卫健委"),
        "鹿城": make_staff("lc", "district_officer", LUCHENG, department="鹿城区人民政府"),
        "龙湾": make_staff("lw", "district_officer", LONGWAN, department="龙湾区人民政府"),
        "leader": make_staff("boss", "leader", CITY),
    }


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
