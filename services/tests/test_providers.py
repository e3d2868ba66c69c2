"""Providers, credit records, caregivers and the service-record write path."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from elders.services import change_status
from services import services
from services.models import Caregiver, CreditRecord, Provider, ProviderStaff, ServiceRecord
from services.selectors import is_blacklisted
from services.tests.factories import make_caregiver, make_provider, make_uscc
from tests.factories import LONGWAN, ElderFactory, first_village_of

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def record(user, elder, provider, **extra):
    values = {
        "acting_user": user,
        "elder": elder,
        "kind": "meal",
        "provider": provider,
        "started_at": timezone.now() - timedelta(hours=2),
        "duration_minutes": 30,
        "funding": "government",
        "amount": Decimal("15.00"),
    }
    return services.record_service(**{**values, **extra})


@pytest.fixture
def provider(wenzhou):
    return make_provider()


@pytest.fixture
def own_staff(staff, provider):
    ProviderStaff.objects.create(user=staff["provider_staff"], provider=provider)
    return staff["provider_staff"]


def test_provider_with_a_wrong_check_character_is_refused(wenzhou):
    code = make_uscc()
    wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
    with pytest.raises(ValidationError) as exc:
        Provider(name="某中心", credit_code=wrong, kind="canteen", region_id=LONGWAN).full_clean()
    assert "credit_code" in exc.value.message_dict


def test_provider_code_is_stored_upper_case(wenzhou):
    provider = Provider(name="某中心", credit_code=make_uscc().lower(), kind="canteen", region_id=LONGWAN)
    provider.full_clean()
    assert provider.credit_code == provider.credit_code.upper()


def test_blacklisting_holds_from_its_start_until_its_end_and_warnings_never_block(staff, provider):
    services.record_blacklisting(
        acting_user=staff["district_officer"],
        provider=provider,
        reason="服务记录不实",
        starts_on=TODAY() - timedelta(days=3),
        warning_only=True,
    )
    assert not is_blacklisted(provider, TODAY())
    black = services.record_blacklisting(
        acting_user=staff["district_officer"],
        provider=provider,
        reason="虚报服务时长",
        starts_on=TODAY() - timedelta(days=10),
    )
    assert not is_blacklisted(provider, TODAY() - timedelta(days=11))
    assert is_blacklisted(provider, TODAY() - timedelta(days=10))
    assert is_blacklisted(provider, TODAY())
    services.lift_credit_record(
        acting_user=staff["district_officer"],
        record=black,
        ends_on=TODAY() - timedelta(days=1),
        reason="整改完成",
    )
    assert is_blacklisted(provider, TODAY() - timedelta(days=1))
    assert not is_blacklisted(provider, TODAY())
    black.refresh_from_db()
    assert "整改完成" in black.reason and "虚报服务时长" in black.reason


def test_lifting_needs_permission_scope_and_a_sensible_date(staff, provider):
    black = services.record_blacklisting(
        acting_user=staff["district_officer"], provider=provider, reason="x", starts_on=TODAY()
    )
    with pytest.raises(PermissionDenied):
        services.lift_credit_record(acting_user=staff["provider_staff"], record=black, ends_on=TODAY())
    with pytest.raises(ValidationError):
        services.lift_credit_record(
            acting_user=staff["district_officer"], record=black, ends_on=TODAY() - timedelta(days=1)
        )
    far = make_provider(region=LONGWAN)
    other = CreditRecord.objects.create(
        provider=far, kind="blacklist", reason="x", starts_on=TODAY(), recorded_by=staff["city_admin"]
    )
    with pytest.raises(PermissionDenied):
        services.lift_credit_record(acting_user=staff["district_officer"], record=other, ends_on=TODAY())


def test_street_officer_cannot_blacklist(staff, provider):
    with pytest.raises(PermissionDenied):
        services.record_blacklisting(
            acting_user=staff["street_officer"], provider=provider, reason="x", starts_on=TODAY()
        )


def test_caregiver_id_number_is_validated_and_normalised(provider):
    bad = Caregiver(provider=provider, id_number="330302197501010000", name="甲", skill_level=5)
    with pytest.raises(ValidationError) as exc:
        bad.full_clean()
    assert "id_number" in exc.value.message_dict
    good = make_caregiver(provider)
    lower = Caregiver(provider=provider, id_number=good.id_number.lower(), name="乙")
    lower.clean()
    assert lower.id_number == good.id_number


def test_skill_levels_run_from_5_lowest_to_1_highest(provider):
    carer = make_caregiver(provider, skill_level=1)
    with translation.override("en"):
        assert carer.get_skill_level_display() == "Level 1 (senior technician)"
        assert dict(Caregiver._meta.get_field("skill_level").choices)[5] == "Level 5 (junior)"
    carer.skill_level = 6
    with pytest.raises(ValidationError):
        carer.full_clean()


def test_provider_staff_records_their_own_providers_service(own_staff, provider):
    carer = make_caregiver(provider)
    saved = record(own_staff, ElderFactory(), provider, caregiver=carer, kind="bath", amount=Decimal("45.50"))
    saved.refresh_from_db()
    assert (saved.recorded_by, saved.amount, saved.kind) == (own_staff, Decimal("45.50"), "bath")
    assert saved.history.count() == 1


def test_blacklisted_provider_gets_no_new_records(staff, own_staff, provider):
    services.record_blacklisting(
        acting_user=staff["district_officer"],
        provider=provider,
        reason="x",
        starts_on=TODAY() - timedelta(days=1),
    )
    with pytest.raises(ValidationError) as exc:
        record(own_staff, ElderFactory(), provider)
    assert "provider" in exc.value.message_dict
    assert not ServiceRecord.objects.exists()


def test_service_before_the_blacklisting_can_still_be_recorded(staff, own_staff, provider):
    services.record_blacklisting(
        acting_user=staff["district_officer"], provider=provider, reason="x", starts_on=TODAY()
    )
    record(own_staff, ElderFactory(), provider, started_at=timezone.now() - timedelta(days=2))
    assert ServiceRecord.objects.count() == 1


def test_caregiver_of_another_provider_is_refused(own_staff, provider):
    elsewhere = make_provider()
    with pytest.raises(ValidationError) as exc:
        record(own_staff, ElderFactory(), provider, caregiver=make_caregiver(elsewhere))
    assert "caregiver" in exc.value.message_dict


def test_provider_staff_cannot_record_for_another_provider(own_staff):
    with pytest.raises(ValidationError) as exc:
        record(own_staff, ElderFactory(), make_provider())
    assert "provider" in exc.value.message_dict


def test_elder_outside_the_recorders_region_is_refused(own_staff, provider, wenzhou):
    far = ElderFactory(residence_id=first_village_of("330303"))
    with pytest.raises(PermissionDenied):
        record(own_staff, far, provider)


def test_roles_without_the_permission_cannot_record(staff, provider):
    with pytest.raises(PermissionDenied):
        record(staff["community_worker"], ElderFactory(), provider)


def test_duplicates_are_refused_also_without_item_or_caregiver(own_staff, provider):
    elder, started = ElderFactory(), timezone.now() - timedelta(hours=5)
    record(own_staff, elder, provider, started_at=started)
    with pytest.raises(ValidationError, match="already recorded|已"):
        record(own_staff, elder, provider, started_at=started)
    carer = make_caregiver(provider)
    record(own_staff, elder, provider, started_at=started, caregiver=carer)
    with pytest.raises(ValidationError):
        record(own_staff, elder, provider, started_at=started, caregiver=carer)
    assert ServiceRecord.objects.count() == 2


def test_future_and_after_death_services_are_refused(staff, own_staff, provider):
    elder = ElderFactory()
    with pytest.raises(ValidationError) as exc:
        record(own_staff, elder, provider, started_at=timezone.now() + timedelta(hours=1))
    assert "started_at" in exc.value.message_dict
    change_status(
        elder=elder,
        status="deceased",
        on=TODAY() - timedelta(days=2),
        acting_user=staff["city_admin"],
        reason="x",
    )
    elder.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        record(own_staff, elder, provider, started_at=timezone.now() - timedelta(hours=1))
    assert "started_at" in exc.value.message_dict
    record(own_staff, elder, provider, started_at=timezone.now() - timedelta(days=3))


def test_negative_amount_is_refused(own_staff, provider):
    with pytest.raises(ValidationError):
        record(own_staff, ElderFactory(), provider, amount=Decimal("-1.00"))


def test_admin_lifts_a_blacklisting_through_the_service(client, staff, provider):
    black = services.record_blacklisting(
        acting_user=staff["district_officer"],
        provider=provider,
        reason="虚报",
        starts_on=TODAY() - timedelta(days=5),
    )
    client.force_login(staff["district_officer"])
    url = f"/admin/services/creditrecord/{black.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="ends_on"' in page and 'name="reason"' not in page  # only the end date is editable
    response = client.post(url, {"ends_on": str(TODAY() - timedelta(days=1))})
    assert response.status_code == 302
    assert not is_blacklisted(provider, TODAY())
    latest = black.history.first()
    assert latest.history_user == staff["district_officer"] and latest.ends_on == TODAY() - timedelta(days=1)
