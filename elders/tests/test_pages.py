"""Worker pages: list, file, register and edit, each scoped to the worker's region."""

from datetime import date

import pytest

from elders.models import Elder
from elders.rules import make_id_number
from tests.factories import WUMA_GULOU, WUMA_MOCHI, ElderFactory

pytestmark = pytest.mark.django_db


def form_data(**extra):
    data = {
        "id_number": make_id_number("330302", date(1944, 2, 3), 45),
        "name": "陈阿公",
        "residence": WUMA_GULOU,
        "living_arrangement": "alone",
        "economic_status": "ordinary",
        "disability_grade": "0",
        "registered_on": "2026-01-10",
        "phone": "13900001111",
    }
    data.update(extra)
    return data


def test_my_elders_lists_only_my_community(client, staff):
    mine = ElderFactory(name="本社区老人")
    other = ElderFactory(name="隔壁社区老人", residence_id=WUMA_MOCHI)
    client.force_login(staff["community_worker"])
    page = client.get("/elders/").content.decode()
    assert mine.name in page and other.name not in page
    client.force_login(staff["street_officer"])
    page = client.get("/elders/").content.decode()
    assert mine.name in page and other.name in page


def test_search_and_filters(client, staff):
    a = ElderFactory(name="李大爷", living_arrangement="empty_nest")
    b = ElderFactory(name="王奶奶", living_arrangement="alone")
    client.force_login(staff["community_worker"])
    page = client.get("/elders/", {"q": "李"}).content.decode()
    assert a.name in page and b.name not in page
    page = client.get("/elders/", {"q": b.id_number}).content.decode()
    assert b.name in page and a.name not in page
    page = client.get("/elders/", {"category": "alone", "status": "registered"}).content.decode()
    assert b.name in page and a.name not in page
    partial = client.get("/elders/", {"q": "王"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and b.name in partial


def test_other_communitys_file_is_404(client, staff):
    other = ElderFactory(residence_id=WUMA_MOCHI)
    client.force_login(staff["community_worker"])
    assert client.get(f"/elders/{other.pk}/").status_code == 404
    assert client.get(f"/elders/{other.pk}/edit/").status_code == 404


def test_file_page_shows_everything_and_history(client, staff):
    elder = ElderFactory(phone="13812345678", disability_grade=1)
    client.force_login(staff["community_worker"])
    client.post(
        f"/elders/{elder.pk}/edit/",
        form_data(id_number=elder.id_number, name=elder.name, address="解放街1号"),
    )
    page = client.get(f"/elders/{elder.pk}/").content.decode()
    assert elder.id_number in page and "13812345678" in page
    assert "解放街1号" in page
    assert 'data-section="history"' in page and "worker" in page


def test_leader_sees_masked_numbers(client, staff):
    elder = ElderFactory(phone="13812345678")
    client.force_login(staff["leader"])
    page = client.get("/elders/").content.decode()
    assert elder.masked_id_number in page and elder.id_number not in page
    assert "138****5678" in page
    assert client.get("/elders/new/").status_code == 403


def test_register_creates_the_file(client, staff):
    client.force_login(staff["community_worker"])
    resp = client.post("/elders/new/", form_data())
    elder = Elder.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/elders/{elder.pk}/"
    assert elder.created_by == staff["community_worker"] and elder.sex == "male"


def test_bad_check_digit_is_shown_under_the_field_and_nothing_is_created(client, staff):
    client.force_login(staff["community_worker"])
    good = make_id_number("330302", date(1944, 2, 3), 45)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    resp = client.post("/elders/new/", form_data(id_number=bad))
    assert resp.status_code == 200
    page = resp.content.decode()
    assert 'data-error-for="id_number"' in page and "is-invalid" in page
    assert Elder.objects.count() == 0


def test_duplicate_id_names_the_existing_community(client, staff):
    existing = ElderFactory(residence_id=WUMA_MOCHI)
    client.force_login(staff["community_worker"])
    resp = client.post("/elders/new/", form_data(id_number=existing.id_number))
    assert "墨池社区" in resp.content.decode()
    assert Elder.objects.count() == 1


def test_pages_speak_chinese_by_default(client, staff):
    client.force_login(staff["community_worker"])
    page = client.get("/elders/new/").content.decode()
    assert "身份证号" in page and "居住情况" in page


def test_status_change_records_death(client, staff):
    elder = ElderFactory()
    client.force_login(staff["community_worker"])
    resp = client.post(
        f"/elders/{elder.pk}/status/", {"status": "deceased", "on": "2026-02-01", "reason": "病故"}
    )
    assert resp.status_code == 302
    elder.refresh_from_db()
    assert elder.status == "deceased" and elder.death_date == date(2026, 2, 1)
    assert elder.history.first().history_change_reason == "病故"


def test_list_query_count_is_constant(client, staff, django_assert_max_num_queries):
    client.force_login(staff["street_officer"])
    ElderFactory.create_batch(5)
    with django_assert_max_num_queries(12) as few:
        client.get("/elders/")
    ElderFactory.create_batch(40, residence_id=WUMA_MOCHI)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/elders/")


@pytest.mark.parametrize(
    "role, visible",
    [
        ("city_admin", {"gulou", "mochi", "longwan"}),
        ("district_officer", {"gulou", "mochi"}),
        ("street_officer", {"gulou", "mochi"}),
        ("community_worker", {"gulou"}),
        ("assessor", {"gulou", "mochi"}),
        ("leader", {"gulou", "mochi", "longwan"}),
        ("provider_staff", {"gulou", "mochi"}),
    ],
)
def test_every_role_sees_exactly_its_region_on_the_pages(client, staff, role, visible):
    from tests.factories import LONGWAN, first_village_of

    elders = {
        "gulou": ElderFactory(name="鼓楼甲", residence_id=WUMA_GULOU),
        "mochi": ElderFactory(name="墨池乙", residence_id=WUMA_MOCHI),
        "longwan": ElderFactory(name="龙湾丙", residence_id=first_village_of(LONGWAN[:6])),
    }
    client.force_login(staff[role])
    page = client.get("/elders/").content.decode()
    for key, elder in elders.items():
        assert (elder.name in page) == (key in visible), key
        assert client.get(f"/elders/{elder.pk}/").status_code == (200 if key in visible else 404)


def test_register_with_an_old_address_code_warns(client, staff):
    client.force_login(staff["community_worker"])
    resp = client.post(
        "/elders/new/", form_data(id_number=make_id_number("330321", date(1944, 2, 3), 47)), follow=True
    )
    assert "330321" in resp.content.decode()
    assert Elder.objects.count() == 1


def test_every_page_answers_for_a_community_worker(client, staff):
    elder = ElderFactory()
    client.force_login(staff["community_worker"])
    for url in ("/", "/elders/new/", f"/elders/{elder.pk}/", f"/elders/{elder.pk}/edit/"):
        assert client.get(url).status_code == 200, url
    for url in (f"/elders/{elder.pk}/status/", f"/elders/{elder.pk}/contacts/new/"):
        assert client.get(url).status_code == 200, url
    # The worker's only community is offered, preselected.
    form = client.get("/elders/new/").context["form"]
    assert list(form.fields["residence"].queryset.values_list("code", flat=True)) == [WUMA_GULOU]
    assert form["residence"].value() == WUMA_GULOU


def test_pages_need_login_and_a_role(client, wenzhou, django_user_model):
    elder = ElderFactory()
    resp = client.get(f"/elders/{elder.pk}/")
    assert resp.status_code == 302 and resp["Location"].startswith("/accounts/login/")
    client.force_login(django_user_model.objects.create_user("nobody", password="x"))
    assert client.get("/elders/").status_code == 403
    assert client.get(f"/elders/{elder.pk}/").status_code == 403


def test_list_pages_without_counting_the_scope(client, staff, django_assert_max_num_queries):
    ElderFactory.create_batch(31)
    client.force_login(staff["street_officer"])
    with django_assert_max_num_queries(12) as queries:
        first = client.get("/elders/")
    # 共 N 人 is counted up to the cap (a LIMITed subquery), never over the whole scope.
    counts = [q["sql"].upper() for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT" in sql for sql in counts)
    assert "共 31 人" in first.content.decode()
    assert len(first.context["elders"]) == 30 and "page=2" in first.content.decode()
    second = client.get("/elders/", {"page": "2"})
    assert len(second.context["elders"]) == 1 and "page=3" not in second.content.decode()
    assert client.get("/elders/", {"page": "99999999999999999999"}).status_code == 200


def test_filters_by_age_band_and_economic_status(client, staff):
    old = ElderFactory(name="九十岁", born=date(1930, 1, 1), economic_status="dibao")
    young = ElderFactory(name="六十五岁", born=date(1960, 1, 1))
    client.force_login(staff["community_worker"])
    page = client.get("/elders/", {"age": "90-99"}).content.decode()
    assert old.name in page and young.name not in page
    page = client.get("/elders/", {"economic_status": "dibao"}).content.decode()
    assert old.name in page and young.name not in page


def test_moved_elders_are_listed_only_when_asked(client, staff):
    gone = ElderFactory(name="已迁出", status="moved")
    client.force_login(staff["community_worker"])
    assert gone.name not in client.get("/elders/").content.decode()
    assert gone.name in client.get("/elders/", {"status": ""}).content.decode()
    assert gone.name in client.get("/elders/", {"status": "moved"}).content.decode()


def test_htmx_gets_rows_but_history_restore_gets_the_page(client, staff):
    ElderFactory(name="王奶奶")
    client.force_login(staff["community_worker"])
    rows = client.get("/elders/", {"q": "王"}, headers={"HX-Request": "true"})
    assert "<html" not in rows.content.decode() and "HX-Request" in rows["Vary"]
    restore = client.get(
        "/elders/", {"q": "王"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in restore.content.decode() and "王奶奶" in restore.content.decode()


def test_history_hides_corrected_numbers_from_roles_without_personal_data(client, staff):
    elder = ElderFactory(phone="13812345678")
    client.force_login(staff["community_worker"])
    client.post(f"/elders/{elder.pk}/edit/", form_data(id_number=elder.id_number, phone="13998765432"))
    worker_page = client.get(f"/elders/{elder.pk}/").content.decode()
    assert "13812345678" in worker_page  # the old number, in the history
    client.force_login(staff["leader"])
    page = client.get(f"/elders/{elder.pk}/").content.decode()
    assert "13812345678" not in page and "13998765432" not in page
    assert "138****5678" in page and "139****5432" in page


def test_contacts_are_added_and_removed_on_the_file(client, staff):
    elder = ElderFactory()
    other = ElderFactory(residence_id=WUMA_MOCHI)
    client.force_login(staff["community_worker"])
    resp = client.post(
        f"/elders/{elder.pk}/contacts/new/",
        {"name": "陈小明", "relation": "child", "phone": "13500002222", "is_guardian": "on"},
    )
    assert resp.status_code == 302
    page = client.get(f"/elders/{elder.pk}/").content.decode()
    assert "陈小明" in page and "13500002222" in page
    contact = elder.contacts.get()
    assert contact.is_guardian

    missing = client.post(f"/elders/{elder.pk}/contacts/new/", {"relation": "child"})
    assert missing.status_code == 200 and 'data-error-for="name"' in missing.content.decode()
    assert client.post(f"/elders/{other.pk}/contacts/new/", {"name": "x"}).status_code == 404
    assert client.post(f"/elders/{other.pk}/contacts/{contact.pk}/remove/").status_code == 404
    assert client.get(f"/elders/{elder.pk}/contacts/{contact.pk}/remove/").status_code == 405

    client.force_login(staff["leader"])
    assert client.post(f"/elders/{elder.pk}/contacts/{contact.pk}/remove/").status_code == 403
    assert "135****2222" in client.get(f"/elders/{elder.pk}/").content.decode()

    client.force_login(staff["community_worker"])
    assert client.post(f"/elders/{elder.pk}/contacts/{contact.pk}/remove/").status_code == 302
    assert not elder.contacts.exists()


def test_search_by_any_part_of_a_name_pinyin_initials_and_a_phones_last_four(client, staff):
    zhang = ElderFactory(name="张三丰", phone="13812345678")
    shan = ElderFactory(name="单雄信", phone="13900001111")
    ElderFactory(name="李四", phone="13700002222")
    client.force_login(staff["community_worker"])

    def found(q):
        page = client.get("/elders/", {"q": q}).content.decode()
        return {e.name for e in (zhang, shan) if e.name in page} | ({"李四"} if "李四" in page else set())

    assert found("三丰") == {"张三丰"}  # any part of the name
    assert found("zsf") == {"张三丰"} and found("ZS") == {"张三丰"}  # pinyin initials
    assert found("SXX") == {"单雄信"} and found("dxx") == {"单雄信"}  # 单 read Shan or Dan
    assert found("5678") == {"张三丰"}  # a phone's last four digits


def test_the_list_sorts_by_its_columns_and_counts_what_it_holds(client, staff):
    old = ElderFactory(name="甲老人", born=date(1930, 1, 1))
    young = ElderFactory(name="乙老人", born=date(1960, 1, 1))
    client.force_login(staff["community_worker"])
    by_age = client.get("/elders/", {"sort": "age"}).context["elders"]
    assert [e.pk for e in by_age][:2] == [young.pk, old.pk]
    by_age_down = client.get("/elders/", {"sort": "-age"}).context["elders"]
    assert [e.pk for e in by_age_down][:2] == [old.pk, young.pk]
    page = client.get("/elders/", {"sort": "age"}).content.decode()
    assert "共 2 人" in page and "sort=-age" in page


def test_a_street_narrows_its_list_to_one_community(client, staff):
    gulou = ElderFactory(name="鼓楼老人", residence_id=WUMA_GULOU)
    mochi = ElderFactory(name="墨池老人", residence_id=WUMA_MOCHI)
    client.force_login(staff["street_officer"])
    page = client.get("/elders/").content.decode()
    assert 'data-testid="region-picker-region"' in page
    page = client.get("/elders/", {"region": WUMA_MOCHI}).content.decode()
    assert mochi.name in page and gulou.name not in page
    client.force_login(staff["community_worker"])
    assert 'data-testid="region-picker-region"' not in client.get("/elders/").content.decode()
