"""The beds admin: the inventory of the facilities in scope with who lives in each bed, filters
by facility, room, use and occupancy, beds inline on the facility, and an occupied bed refused
when it is taken out of use (the message names the resident). The facility page sums it up."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from facilities import services
from facilities.models import Bed
from facilities.tests.helpers import make_facility
from services.models import ProviderStaff
from services.tests.factories import make_provider
from tests.factories import LONGWAN, ElderFactory, first_village_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def homes(staff):
    provider = make_provider(name="五马颐养")
    ProviderStaff.objects.create(user=staff["provider_staff"], provider=provider)
    own = make_facility(name="五马颐养中心", operator=provider, beds=4, nursing_beds=2)
    services.add_beds(acting_user=staff["provider_staff"], facility=own, room="101", count=2)
    services.add_beds(acting_user=staff["provider_staff"], facility=own, room="102", count=1, nursing=True)
    other = make_facility(name="别家养老院", operator=make_provider(name="别家"), beds=2, nursing_beds=0)
    services.add_beds(acting_user=staff["district_officer"], facility=other, room="201", count=1)
    far = make_facility(name="龙湾养老院", region=first_village_of(LONGWAN[:6]), beds=2, nursing_beds=0)
    bed = Bed.objects.get(facility=own, room="101", label="1")
    resident = ElderFactory(name="周阿婆")
    services.admit(
        acting_user=staff["provider_staff"],
        facility=own,
        elder=resident,
        admitted_on=timezone.localdate(),
        assigned_bed=bed,
    )
    return {"own": own, "other": other, "far": far, "bed": bed, "resident": resident}


def _rows(client, url: str) -> str:
    """The result table of an admin list (the filters beside it name every room)."""
    html = client.get(url).content.decode()
    start = html.index('id="result_list"')
    return html[start : html.index("</table>", start)]


def _admin(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_bed_list_shows_occupancy_and_filters_within_scope(staff, homes):
    client = _admin(staff["district_officer"])
    html = client.get("/admin/facilities/bed/").content.decode()
    assert "占用：周阿婆" in html and "五马颐养中心" in html and "别家养老院" in html
    occupied = _rows(client, "/admin/facilities/bed/?occupied=yes")
    assert "周阿婆" in occupied and "201" not in occupied
    free = _rows(client, "/admin/facilities/bed/?occupied=no")
    assert "周阿婆" not in free and "空闲" in free and "201" in free
    by_facility = _rows(client, f"/admin/facilities/bed/?facility__id__exact={homes['other'].pk}")
    assert "201" in by_facility and "周阿婆" not in by_facility
    by_room = _rows(client, "/admin/facilities/bed/?room=102")
    assert "102" in by_room and "101" not in by_room
    assert "101" in _rows(client, "/admin/facilities/bed/?active__exact=1")
    # The facility filter offers only facilities in scope: 龙湾 is another district's.
    assert "龙湾养老院" not in html


def test_an_operators_account_sees_only_its_own_facilities_beds(staff, homes):
    user = staff["provider_staff"]
    user.is_staff = True  # the admin is open to it here: what it lists is still the operator's own
    user.save(update_fields=["is_staff"])
    html = _admin(user).get("/admin/facilities/bed/").content.decode()
    assert "五马颐养中心" in html and "别家养老院" not in html
    other_bed = Bed.objects.get(facility=homes["other"])
    assert _admin(user).get(f"/admin/facilities/bed/{other_bed.pk}/change/").status_code in (302, 404)
    with pytest.raises(PermissionDenied):
        services.save_bed(acting_user=user, bed=Bed(facility=homes["other"], room="202", label="1"))


def test_an_occupied_bed_cannot_be_taken_out_of_use(staff, homes):
    bed = homes["bed"]
    client = _admin(staff["district_officer"])
    response = client.post(
        f"/admin/facilities/bed/{bed.pk}/change/", {"room": "101", "label": "1", "nursing": "", "active": ""}
    )
    assert response.status_code == 200
    assert "101-1 住着周阿婆" in response.content.decode()
    bed.refresh_from_db()
    assert bed.active
    # Once she is discharged the bed can go out of use, and the facility page says so.
    residency = bed.residencies.get()
    services.discharge(
        acting_user=staff["provider_staff"], residency=residency, on=timezone.localdate(), reason="home"
    )
    response = client.post(
        f"/admin/facilities/bed/{bed.pk}/change/", {"room": "101", "label": "1", "nursing": "", "active": ""}
    )
    assert response.status_code == 302
    bed.refresh_from_db()
    assert not bed.active
    page = _admin(staff["provider_staff"]).get(f"/facilities/{homes['own'].pk}/").content.decode()
    assert "1 张停用" in page


def test_the_service_names_the_field_it_refuses(staff, homes, english):
    own = homes["own"]
    with pytest.raises(ValidationError) as refused:
        services.save_bed(acting_user=staff["provider_staff"], bed=Bed(facility=own, room=" ", label="9"))
    assert "room" in refused.value.message_dict
    services.save_bed(acting_user=staff["provider_staff"], bed=Bed(facility=own, room="103", label="1"))
    with pytest.raises(ValidationError) as refused:  # four approved beds, four in use
        services.save_bed(acting_user=staff["provider_staff"], bed=Bed(facility=own, room="103", label="2"))
    assert "4 approved beds" in refused.value.message_dict["active"][0]
    with pytest.raises(ValidationError, match="already has a bed"):
        services.save_bed(
            acting_user=staff["district_officer"], bed=Bed(facility=homes["other"], room="201", label="1")
        )


def test_the_facility_admin_lists_its_beds_inline_and_refuses_an_occupied_one_out_of_use(staff, homes):
    own, bed = homes["own"], homes["bed"]
    client = _admin(staff["district_officer"])
    html = client.get(f"/admin/facilities/facility/{own.pk}/change/").content.decode()
    assert "占用：周阿婆" in html and 'name="bed_inventory-TOTAL_FORMS"' in html
    page = client.get(f"/admin/facilities/facility/{own.pk}/change/")
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data["functions"] = own.functions
    beds = list(Bed.objects.filter(facility=own).order_by("room", "label", "id"))
    data.update(
        {
            "bed_inventory-TOTAL_FORMS": str(len(beds)),
            "bed_inventory-INITIAL_FORMS": str(len(beds)),
            "bed_inventory-MIN_NUM_FORMS": "0",
            "bed_inventory-MAX_NUM_FORMS": "1000",
        }
    )
    for i, b in enumerate(beds):
        data.update(
            {
                f"bed_inventory-{i}-id": str(b.pk),
                f"bed_inventory-{i}-facility": str(own.pk),
                f"bed_inventory-{i}-room": b.room,
                f"bed_inventory-{i}-label": b.label,
            }
        )
        if b.nursing:
            data[f"bed_inventory-{i}-nursing"] = "on"
        if b.pk != bed.pk:
            data[f"bed_inventory-{i}-active"] = "on"
    for formset in page.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        if prefix != "bed_inventory":
            data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = client.post(f"/admin/facilities/facility/{own.pk}/change/", data)
    assert response.status_code == 200, response.get("Location")
    assert "101-1 住着周阿婆" in response.content.decode()
    bed.refresh_from_db()
    assert bed.active


def test_the_facility_page_sums_up_rooms_and_beds(staff, homes):
    page = _admin(staff["provider_staff"]).get(f"/facilities/{homes['own'].pk}/").content.decode()
    assert "2 间房，3 张在用：1 张有人，2 张空（其中护理型 1 张）" in page
    assert "1 张核定床位尚未编入房间" in page
    district = _admin(staff["district_officer"]).get(f"/facilities/{homes['own'].pk}/").content.decode()
    assert 'data-testid="beds-admin"' in district


def test_the_operator_takes_a_free_bed_out_of_use_on_the_facility_page_not_an_occupied_one(staff, homes):
    own, taken = homes["own"], homes["bed"]
    free = Bed.objects.get(facility=own, room="101", label="2")
    client = _admin(staff["provider_staff"])
    page = client.get(f"/facilities/{own.pk}/").content.decode()
    assert f'data-testid="bed-off-{free.pk}"' in page and f'data-testid="bed-off-{taken.pk}"' not in page
    client.post(f"/facilities/{own.pk}/beds/{free.pk}/use/", {"active": "0"})
    free.refresh_from_db()
    assert not free.active
    page = client.get(f"/facilities/{own.pk}/").content.decode()
    assert "床位 101-2 已停用" in page and f'data-testid="bed-on-{free.pk}"' in page
    # A request for the occupied bed (a page opened before she moved in) is refused, naming her.
    refused = client.post(f"/facilities/{own.pk}/beds/{taken.pk}/use/", {"active": "0"}, follow=True)
    assert "101-1 住着周阿婆" in refused.content.decode()
    taken.refresh_from_db()
    assert taken.active
    client.post(f"/facilities/{own.pk}/beds/{free.pk}/use/", {"active": "1"})
    free.refresh_from_db()
    assert free.active
    # Another operator's bed is not this account's to change.
    other_bed = Bed.objects.get(facility=homes["other"])
    assert (
        client.post(f"/facilities/{homes['other'].pk}/beds/{other_bed.pk}/use/", {"active": "0"}).status_code
        == 404
    )
