"""The bed inventory: one elder per bed (the database's rule), admission in wait-list order or
with a recorded reason, and discharged residents kept as the facility's history."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from facilities import selectors, services
from facilities.models import Bed, Residency
from facilities.tests.helpers import make_facility
from services.models import ProviderStaff
from services.tests.factories import make_provider
from tests.factories import ElderFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def centre(staff):
    provider = make_provider()
    ProviderStaff.objects.create(user=staff["provider_staff"], provider=provider)
    centre = make_facility(operator=provider, beds=4, nursing_beds=2)
    services.add_beds(acting_user=staff["provider_staff"], facility=centre, room="101", count=2)
    return centre


def admit(staff, facility, elder, **extra):
    return services.admit(
        acting_user=staff["provider_staff"], facility=facility, elder=elder, admitted_on=TODAY(), **extra
    )


def test_beds_are_numbered_per_room_and_never_more_than_approved(staff, centre):
    services.add_beds(acting_user=staff["provider_staff"], facility=centre, room="101", count=1)
    assert [str(b) for b in Bed.objects.filter(facility=centre)] == ["101-1", "101-2", "101-3"]
    with pytest.raises(ValidationError, match="4"):
        services.add_beds(acting_user=staff["provider_staff"], facility=centre, room="102", count=2)


def test_one_elder_per_bed_whatever_the_path(staff, centre, english):
    bed = Bed.objects.filter(facility=centre).first()
    first = admit(staff, centre, ElderFactory(), assigned_bed=bed)
    assert first.bed == "101-1"
    with pytest.raises(ValidationError, match="101-1 is taken"):
        admit(staff, centre, ElderFactory(), assigned_bed=bed)
    # Past the service, the partial unique index still refuses a second current resident.
    with pytest.raises(IntegrityError), transaction.atomic():
        Residency.objects.create(facility=centre, elder=ElderFactory(), assigned_bed=bed, admitted_on=TODAY())
    # A facility with an inventory admits only to one of its beds.
    with pytest.raises(ValidationError, match="free bed"):
        admit(staff, centre, ElderFactory())
    # After a discharge the bed is free again, and the former resident stays as history.
    services.discharge(acting_user=staff["provider_staff"], residency=first, on=TODAY(), reason="home")
    admit(staff, centre, ElderFactory(), assigned_bed=bed)
    beds = selectors.bed_inventory(centre)
    assert [b.occupant is not None for b in beds] == [True, False]
    assert [r.elder for r in selectors.former_residencies(staff["provider_staff"], centre)] == [first.elder]


def test_out_of_turn_admission_needs_a_reason(staff, centre, english):
    ahead, behind = ElderFactory(name="甲"), ElderFactory(name="乙")
    for elder, days in ((ahead, 10), (behind, 2)):
        services.apply_for_bed(
            acting_user=staff["community_worker"],
            facility=centre,
            elder=elder,
            applied_on=TODAY() - timedelta(days=days),
        )
    bed = Bed.objects.filter(facility=centre).first()
    with pytest.raises(ValidationError, match="not next on the wait-list"):
        admit(staff, centre, behind, assigned_bed=bed)
    made = admit(staff, centre, behind, assigned_bed=bed, out_of_turn_reason="病情危重，经街道批准")
    assert made.out_of_turn_reason == "病情危重，经街道批准"
    # The one in turn needs none (and an offer makes its applicant the one in turn).
    services.offer_vacancy(acting_user=staff["street_officer"], facility=centre)
    other = ElderFactory()
    with pytest.raises(ValidationError, match="not next"):
        admit(staff, centre, other, assigned_bed=Bed.objects.get(facility=centre, label="2"))
    assert (
        admit(
            staff, centre, ahead, assigned_bed=Bed.objects.get(facility=centre, label="2")
        ).out_of_turn_reason
        == ""
    )


def test_admit_from_the_offer_without_retyping_the_id(staff, centre):
    elder = ElderFactory(name="周阿婆")
    entry = services.apply_for_bed(acting_user=staff["community_worker"], facility=centre, elder=elder)
    services.offer_vacancy(acting_user=staff["street_officer"], facility=centre)
    c = Client()
    c.force_login(staff["provider_staff"])
    page = c.get(f"/facilities/{centre.pk}/").content.decode()
    assert f"?admit={entry.pk}#admit-form" in page and "为此人办理入住" in page
    page = c.get(f"/facilities/{centre.pk}/?admit={entry.pk}").content.decode()
    assert 'data-testid="admitting"' in page and "周阿婆" in page
    bed = Bed.objects.filter(facility=centre).first()
    resp = c.post(
        f"/facilities/{centre.pk}/admit/",
        {"entry": entry.pk, "assigned_bed": bed.pk, "admitted_on": TODAY().isoformat()},
        follow=True,
    )
    assert "周阿婆" in resp.content.decode()
    assert Residency.objects.get(assigned_bed=bed).elder == elder
