"""The Django admin for bureau staff: scoped lists and pages, search, filters, no full counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import LONGWAN, WUMA_GULOU, WUMA_MOCHI, ElderFactory, first_village_of

pytestmark = pytest.mark.django_db
LIST = "/admin/elders/elder/"


@pytest.fixture
def spread(wenzhou):
    return {
        "gulou": ElderFactory(name="鼓楼老人", residence_id=WUMA_GULOU, phone="13811112222"),
        "mochi": ElderFactory(name="墨池老人", residence_id=WUMA_MOCHI, living_arrangement="empty_nest"),
        "longwan": ElderFactory(name="龙湾老人", residence_id=first_village_of(LONGWAN[:6])),
    }


@pytest.mark.parametrize(
    "role, visible",
    [
        ("city_admin", {"gulou", "mochi", "longwan"}),
        ("district_officer", {"gulou", "mochi"}),
        ("street_officer", {"gulou", "mochi"}),
    ],
)
def test_changelist_and_change_page_are_scoped(client, staff, spread, role, visible):
    client.force_login(staff[role])
    page = client.get(LIST).content.decode()
    for key, elder in spread.items():
        assert (elder.name in page) == (key in visible), key
        status = client.get(f"{LIST}{elder.pk}/change/").status_code
        assert (status == 200) == (key in visible), (key, status)


def test_workers_and_leaders_have_no_admin(client, staff):
    for role in ("community_worker", "leader", "assessor", "provider_staff"):
        client.force_login(staff[role])
        assert client.get(LIST).status_code == 302  # to the admin login


def test_search_by_name_prefix_id_and_phone(client, staff, spread):
    client.force_login(staff["city_admin"])
    assert "鼓楼老人" in client.get(LIST, {"q": "鼓楼"}).content.decode()
    page = client.get(LIST, {"q": spread["mochi"].id_number}).content.decode()
    assert "墨池老人" in page and "鼓楼老人" not in page
    page = client.get(LIST, {"q": "13811112222"}).content.decode()
    assert "鼓楼老人" in page and "墨池老人" not in page


def test_filters(client, staff, spread):
    client.force_login(staff["city_admin"])
    page = client.get(LIST, {"region": "330302006000"}).content.decode()
    assert "鼓楼老人" in page and "墨池老人" in page and "龙湾老人" not in page
    page = client.get(LIST, {"category": "empty_nest"}).content.decode()
    assert "墨池老人" in page and "鼓楼老人" not in page
    page = client.get(LIST, {"age": "80-89"}).content.decode()
    assert "鼓楼老人" in page  # the factory's elders are born in 1945
    page = client.get(LIST, {"age": "60-69"}).content.decode()
    assert "鼓楼老人" not in page
    page = client.get(LIST, {"living_arrangement__exact": "empty_nest"}).content.decode()
    assert "墨池老人" in page and "鼓楼老人" not in page


def test_list_never_counts_the_whole_table(client, staff, spread, settings):
    settings.LIST_COUNT_CAP = 2
    client.force_login(staff["city_admin"])
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(LIST).content.decode()
    counts = [q["sql"] for q in ctx.captured_queries if re.search(r"COUNT\(", q["sql"], re.I)]
    assert counts, "the paginator should count something"
    assert all("LIMIT" in sql.upper() for sql in counts), counts
    assert "more than 2" in page or "超过 2" in page or "2" in page


def test_changelist_query_count_is_constant(client, staff, wenzhou, django_assert_max_num_queries):
    client.force_login(staff["city_admin"])
    ElderFactory.create_batch(5)
    with django_assert_max_num_queries(30) as few:
        client.get(LIST)
    ElderFactory.create_batch(40, residence_id=WUMA_MOCHI)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(LIST)


def test_admin_edit_goes_through_the_service_and_keeps_history(client, staff, spread):
    elder = spread["gulou"]
    client.force_login(staff["street_officer"])
    form = client.get(f"{LIST}{elder.pk}/change/").context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update(
        {
            "name": "鼓楼老人改",
            "residence": WUMA_GULOU,
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
        }
    )
    for key, value in list(data.items()):
        if isinstance(value, bool):
            data[key] = "on" if value else ""
    data = {k: v for k, v in data.items() if v != ""}
    resp = client.post(f"{LIST}{elder.pk}/change/", data)
    assert resp.status_code == 302, resp.context["adminform"].form.errors if resp.context else resp
    elder.refresh_from_db()
    assert elder.name == "鼓楼老人改"
    assert elder.history.first().history_user == staff["street_officer"]


def test_leader_would_see_masked_numbers_in_list_display(rf, staff, spread):
    from django.contrib import admin

    from elders.models import Elder

    model_admin = admin.site._registry[Elder]
    request = rf.get(LIST)
    request.user = staff["leader"]
    assert "masked_id_number" in model_admin.get_list_display(request)
    request.user = staff["city_admin"]
    assert "id_number" in model_admin.get_list_display(request)


def test_the_region_filter_lists_the_scope_once_and_a_renamed_district_at_once(client, staff, spread):
    from regions.models import Region

    client.force_login(staff["district_officer"])
    with CaptureQueriesContext(connection) as first:
        page = client.get(LIST).content.decode()
    assert "鹿城区" in page and "— 五马街道" in page and "龙湾区" not in page  # its district, its streets
    with CaptureQueriesContext(connection) as second:
        client.get(LIST)
    reads = [q for q in second.captured_queries if 'FROM "regions_region"' in q["sql"]]
    assert len(second.captured_queries) < len(first.captured_queries) and not reads, reads
    street = Region.objects.get(code="330302006000")
    street.name = "五马新街道"
    street.save()
    assert "— 五马新街道" in client.get(LIST).content.decode()
