"""Division loading, staff accounts and the one scoping helper."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from core.scope import in_scope, restrict
from elders.models import Elder
from regions.models import Region, StaffProfile
from regions.scope import account_prefix
from regions.services import load_regions
from tests.factories import WUMA, WUMA_GULOU, WUMA_MOCHI, ElderFactory, make_staff

pytestmark = pytest.mark.django_db


def test_loading_is_idempotent_and_keeps_the_tree(wenzhou):
    before = Region.objects.filter(code__startswith="33").count()
    result = load_regions(prefix="3303")
    assert result.created == 0 and result.updated == before
    gulou = Region.objects.get(code=WUMA_GULOU)
    assert gulou.name == "鼓楼社区"
    assert gulou.level == "village" and gulou.kind == "urban"
    assert gulou.parent_id == WUMA and gulou.parent.parent_id == "330302000000"
    assert gulou.prefix == WUMA_GULOU
    assert gulou.full_name() == "温州市鹿城区五马街道鼓楼社区"
    assert Region.objects.get(code="330300000000").prefix == "3303"


def test_rural_villages_are_marked_rural(wenzhou):
    village = Region.objects.filter(code__startswith="3303", level="village", code__regex=r"^\d{9}2").first()
    assert village.kind == "rural"


def test_dongguan_towns_hang_directly_under_the_city(db):
    load_regions(prefix="4419")
    city = Region.objects.get(code="441900000000")
    assert city.level == "city"
    towns = Region.objects.filter(parent=city, level="town")
    assert towns.filter(name="东城街道").exists()
    assert not Region.objects.filter(code__startswith="4419", level="county").exists()


def test_load_regions_command_for_a_seed_city(db):
    call_command("load_regions", "4113")
    assert Region.objects.filter(code__startswith="4113", level="village").count() > 1000
    assert Region.objects.get(code="410000000000").level == "province"


def test_unknown_prefix_is_a_clear_error(db):
    with pytest.raises(ValidationError):
        load_regions(prefix="99")


def test_create_staff_command_sets_role_group_and_region(wenzhou):
    call_command(
        "create_staff",
        "w1",
        "--role",
        "community_worker",
        "--region",
        WUMA_GULOU,
        "--password",
        "Aa-long-pass-1",
    )
    user = get_user_model().objects.get(username="w1")
    assert user.check_password("Aa-long-pass-1")
    assert user.groups.filter(name="community_worker").exists()
    assert user.staff_profile.region_id == WUMA_GULOU
    assert user.has_perm("elders.add_elder") and not user.is_staff


@pytest.mark.usefixtures("english")
def test_create_staff_refuses_weak_password_wrong_level_and_missing_certificate(wenzhou):
    with pytest.raises(CommandError, match="short|common|numeric"):
        call_command(
            "create_staff", "w2", "--role", "community_worker", "--region", WUMA_GULOU, "--password", "123"
        )
    with pytest.raises(CommandError, match="level"):
        call_command(
            "create_staff",
            "w3",
            "--role",
            "community_worker",
            "--region",
            WUMA,
            "--password",
            "Aa-long-pass-1",
        )
    with pytest.raises(CommandError, match="certificate"):
        call_command(
            "create_staff", "a1", "--role", "assessor", "--region", WUMA, "--password", "Aa-long-pass-1"
        )
    call_command(
        "create_staff",
        "a1",
        "--role",
        "assessor",
        "--region",
        WUMA,
        "--password",
        "Aa-long-pass-1",
        "--certificate",
        "PG-2024-0001",
    )
    assert StaffProfile.objects.get(user__username="a1").certificate_number == "PG-2024-0001"
    assert not get_user_model().objects.filter(username__in=["w2", "w3"]).exists()


def test_scope_is_a_code_prefix(staff):
    worker = staff["community_worker"]
    assert account_prefix(worker) == WUMA_GULOU
    assert account_prefix(staff["street_officer"]) == "330302006"
    assert account_prefix(staff["city_admin"]) == "3303"
    assert in_scope(worker, WUMA_GULOU) and not in_scope(worker, WUMA_MOCHI)


def test_no_profile_sees_nothing_and_superuser_everything(wenzhou):
    ElderFactory()
    nobody = get_user_model().objects.create_user("nobody", password="Aa-long-pass-1")
    root = get_user_model().objects.create_superuser("root", password="Aa-long-pass-1")
    assert restrict(Elder.objects.all(), nobody).count() == 0
    assert restrict(Elder.objects.all(), root).count() == 1


def test_regions_restrict_to_the_subtree(staff):
    codes = set(restrict(Region.objects.all(), staff["street_officer"]).values_list("code", flat=True))
    assert WUMA in codes and WUMA_GULOU in codes
    assert all(c.startswith("330302006") for c in codes)


def test_inactive_account_sees_nothing(wenzhou):
    user = make_staff("gone", "city_admin", "330300000000")
    ElderFactory()
    user.is_active = False
    user.save()
    user = get_user_model().objects.get(pk=user.pk)
    assert restrict(Elder.objects.all(), user).count() == 0


def test_who_an_account_is_is_read_once_and_a_moved_account_sees_its_new_region_on_the_next_page(
    wenzhou,
):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    make_staff("mover", "community_worker", WUMA_GULOU)
    ElderFactory(name="鼓楼老人", residence_id=WUMA_GULOU)
    ElderFactory(name="墨池老人", residence_id=WUMA_MOCHI)
    client = Client()
    client.force_login(get_user_model().objects.get(username="mover"))
    assert "鼓楼老人" in client.get("/elders/").content.decode()
    with CaptureQueriesContext(connection) as page:
        second = client.get("/elders/").content.decode()
    assert "鼓楼老人" in second and "墨池老人" not in second
    # The role and region come from the cache on every page after the first.
    assert not [q for q in page.captured_queries if "regions_staffprofile" in q["sql"]]

    from regions.services import create_staff

    # Moved to another community (the password, and so the session, unchanged).
    create_staff(username="mover", role="community_worker", region_code=WUMA_MOCHI, password=None)
    moved = client.get("/elders/").content.decode()
    assert "墨池老人" in moved and "鼓楼老人" not in moved
