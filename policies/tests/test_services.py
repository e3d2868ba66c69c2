"""Policy packs: human-readable files loaded per region, with the nearest pack winning."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from elders.models import Elder
from elders.policy import registry_settings
from elders.rules import make_id_number
from policies.models import PolicySection
from policies.services import available_packs, load_policy_pack
from tests.factories import WUMA_GULOU

pytestmark = pytest.mark.django_db


def test_all_six_packs_exist():
    assert set(available_packs()) >= {"national", "dongguan", "xianning", "jilin", "nanyang", "wenzhou"}


@pytest.mark.parametrize(
    "name, prefix",
    [("dongguan", "4419"), ("xianning", "4212"), ("jilin", "22"), ("nanyang", "4113"), ("wenzhou", "3303")],
)
def test_every_city_pack_loads_for_its_region(db, name, prefix):
    from regions.services import load_regions

    load_regions(prefix=prefix)
    result = load_policy_pack(name=name, region_code=prefix)
    assert "registry" in result.sections
    row = PolicySection.objects.get(region__code=prefix.ljust(12, "0"), section="registry")
    assert row.data["min_age"]["value"] == 60
    assert row.data["min_age"]["source"]  # every number names its clause


def test_command_is_idempotent(wenzhou):
    call_command("load_policy_pack", "wenzhou", "--region", "3303")
    call_command("load_policy_pack", "wenzhou", "--region", "3303")
    assert PolicySection.objects.filter(section="registry").count() == 1


def test_unknown_pack_and_unloaded_region_are_clear_errors(db):
    with pytest.raises(CommandError, match="national"):
        call_command("load_policy_pack", "atlantis")
    with pytest.raises(CommandError, match="load_regions"):
        call_command("load_policy_pack", "nanyang", "--region", "4113")


def test_nearest_pack_wins_and_national_defaults_apply_without_any(wenzhou):
    assert registry_settings(WUMA_GULOU).min_age == 60  # code defaults, nothing loaded
    load_policy_pack(name="national")
    load_policy_pack(name="wenzhou", region_code="3303")
    row = PolicySection.objects.get(region__code="330300000000", section="registry")
    row.data = {**row.data, "min_age": {"value": 65, "source": "test"}}
    row.full_clean()
    row.save()
    from policies.selectors import invalidate

    invalidate()
    assert registry_settings(WUMA_GULOU).min_age == 65
    assert registry_settings("330000000000").min_age == 60  # outside Wenzhou: national


def test_registry_min_age_comes_from_the_pack(wenzhou):
    from datetime import date

    load_policy_pack(name="wenzhou", region_code="3303")
    row = PolicySection.objects.get(section="registry")
    row.data = {**row.data, "min_age": {"value": 65, "source": "test"}}
    row.save()
    from policies.selectors import invalidate

    invalidate()
    young = Elder(
        id_number=make_id_number("330302", date(1963, 1, 1), 11),
        name="年轻人",
        residence_id=WUMA_GULOU,
        living_arrangement="alone",
        economic_status="ordinary",
    )
    with pytest.raises(ValidationError) as exc:
        young.full_clean()
    assert "65" in str(exc.value.message_dict["id_number"])


def test_bad_section_data_is_refused_naming_the_key(wenzhou):
    load_policy_pack(name="wenzhou", region_code="3303")
    row = PolicySection.objects.get(section="registry")
    row.data = {"categories": {"value": ["alone"], "source": "x"}}
    with pytest.raises(ValidationError, match="min_age"):
        row.full_clean()
