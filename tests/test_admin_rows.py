"""The admin's result rows (eldercare/templatetags/admin_rows.py) are Django's own, cell for cell,
on every admin list of the portal that has rows; the elder list takes the fast path."""

import re
from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import admin_list_filter, items_for_result
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory
from django.urls import resolve
from django.utils import timezone

from eldercare.templatetags.admin_rows import _rows, list_filters
from elders.models import Elder
from services.models import Visit
from services.services import record_visit
from tests.factories import ElderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(staff):
    from policies.services import load_policy_pack

    # The packs fill the lists of schemes, catalogues, checklists, targets and sections.
    load_policy_pack(name="national")
    load_policy_pack(name="wenzhou", region_code="3303")
    worker = staff["community_worker"]
    elders = [
        ElderFactory(name="王<b>阿婆</b>", living_arrangement="alone"),  # escaped, never markup
        ElderFactory(phone="", status="deceased", death_date=timezone.localdate() - timedelta(days=3)),
        ElderFactory(living_arrangement="with_children"),
    ]
    record_visit(
        acting_user=worker,
        elder=elders[0],
        visited_at=timezone.now() - timedelta(hours=2),
        method="home",
        outcome="problem",
        problems=["health"],
        notes="血压偏高",
    )
    return get_user_model().objects.create_superuser("rows-admin", "rows@example.org", "x-Pass-1234567")


def _changelist(model, user, query=""):
    path = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    request = RequestFactory().get(path + query)
    request.user, request.resolver_match = user, resolve(path)  # the filters a row's link keeps
    cl = admin.site._registry[model].get_changelist_instance(request)
    cl.formset = None  # as the change list view leaves it without list_editable
    return cl


def _django_row(cl, obj) -> str:
    """A row as Django's `{% for item in result %}{{ item }}{% endfor %}` writes it."""
    return "".join(items_for_result(cl, obj, None))


def test_every_admin_list_with_rows_is_rendered_as_django_renders_it(world):
    compared, fast = [], []
    for model, model_admin in admin.site._registry.items():
        if model_admin.list_editable or not model._default_manager.exists():
            continue
        cl = _changelist(model, world)
        rows = _rows(cl)
        django_rows = [_django_row(cl, obj) for obj in cl.result_list]
        if rows is not None:
            assert ["".join(r) for r in rows] == django_rows, model._meta.label
            fast.append(model._meta.label)
        compared.append(model._meta.label)
    assert {"elders.Elder", "services.Visit", "regions.Region"} <= set(fast)
    assert len(fast) >= len(compared) // 2, (fast, compared)


def test_the_elder_list_keeps_its_filters_in_each_rows_link_and_escapes_names(world):
    cl = _changelist(Elder, world, "?status__exact=registered&o=-1")
    rows = ["".join(r) for r in _rows(cl)]
    assert rows == [_django_row(cl, obj) for obj in cl.result_list]
    html = "".join(rows)
    links = re.findall(r'href="([^"]+)"', html)
    kept = "/change/?_changelist_filters=status__exact%3Dregistered%26o%3D-1"
    assert links and all(link.endswith(kept) for link in links), links
    assert "王&lt;b&gt;阿婆&lt;/b&gt;" in html and "<b>阿婆" not in html
    assert Visit.objects.count() == 1


def test_the_admin_elder_list_page_shows_the_rows(world):
    client = Client()
    client.force_login(world)
    page = client.get("/admin/elders/elder/").content.decode()
    assert page.count('name="_selected_action"') == Elder.objects.count()
    assert "王&lt;b&gt;阿婆&lt;/b&gt;" in page


def test_the_rows_checkbox_is_the_one_django_renders(world):
    model_admin = admin.site._registry[Elder]
    for elder in Elder.objects.all():
        assert model_admin.action_checkbox(elder) == admin.ModelAdmin.action_checkbox(model_admin, elder)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_admin_lists_filters_are_written_as_django_writes_them(world, language):
    from django.utils import translation

    compared = 0
    with translation.override(language):
        for model in admin.site._registry:
            cl = _changelist(model, world)
            if not cl.has_filters:
                continue
            # As listed, and with an entry of each filter taken (selected, and kept by the others).
            taken = [list(spec.choices(cl))[-1]["query_string"] for spec in cl.filter_specs]
            for query in ("", *taken):
                cl = _changelist(model, world, query)
                django_html = "".join(admin_list_filter(cl, spec) for spec in cl.filter_specs)
                assert list_filters(cl) == django_html, (model._meta.label, query)
                compared += 1
    assert compared >= 10


def _page(user, model, query=""):
    """The change list page's response, whose context the comparisons below render again."""
    client = Client()
    client.force_login(user)
    response = client.get(f"/admin/{model._meta.app_label}/{model._meta.model_name}/{query}")
    assert response.status_code == 200, (model._meta.label, query)
    return response


def _render(response, source: str) -> str:
    from django.template import RequestContext, Template

    template = Template("{% load admin_list admin_rows %}" + source)
    return template.render(RequestContext(response.wsgi_request, response.context_data))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_admin_lists_table_and_action_bar_are_written_as_django_writes_them(world, language):
    from django.contrib.admin.templatetags.admin_list import result_list
    from django.template.loader import get_template
    from django.utils import translation

    from eldercare.templatetags.admin_rows import results_table

    django_table = get_template("admin/change_list_results.html")
    tables, bars, searches = [], [], []
    with translation.override(language):
        for model in admin.site._registry:
            if not model._default_manager.exists():
                continue
            # Listed, sorted by one column and by two (the headers' sort links and priorities),
            # searched with the list's other parameters kept.
            for query in ("", "?o=2", "?o=-3.2", "?q=%3Cb%3E&o=1"):
                response = _page(world, model, query)
                data = response.context_data
                cl = data["cl"]
                written = results_table(cl)
                if written:
                    assert written == django_table.render(result_list(cl)), (model._meta.label, query)
                    tables.append(model._meta.label)
                if data.get("action_form") and cl.show_admin_actions:
                    bar = _render(response, "{% action_bar %}")
                    assert bar and bar == _render(response, "{% admin_actions %}"), (model._meta.label, query)
                    bars.append(model._meta.label)
                if cl.search_fields:
                    search = _render(response, "{% search_bar cl %}")
                    assert search and search == _render(response, "{% search_form cl %}"), (
                        model._meta.label,
                        query,
                    )
                    searches.append(model._meta.label)
    assert {"elders.Elder", "services.Visit", "regions.Region"} <= set(tables)
    assert "elders.Elder" in searches and len(set(searches)) >= 5
    assert "elders.Elder" in bars and len(set(bars)) >= 5


def test_the_elder_lists_pages_link_each_page_and_say_more_than_the_cap(world, settings):
    ElderFactory.create_batch(5)  # 8 elders, 2 a page
    model_admin = admin.site._registry[Elder]
    settings.LIST_COUNT_CAP = 5
    original = model_admin.list_per_page
    model_admin.list_per_page = 2
    try:
        page = _page(world, Elder, "?p=2&status__exact=registered").content.decode()
    finally:
        model_admin.list_per_page = original
    paginator = re.search(r'<p class="paginator">(.*?)</p>', page, re.S).group(1)
    assert '<span class="this-page">2</span>' in paginator
    assert '<a href="?p=1&amp;status__exact=registered">1</a>' in paginator
    assert "超过5" in paginator and "老年人" in paginator
    assert 'class="showall"' in paginator  # 8 rows: few enough to show on one page


def test_the_elder_lists_queries_do_not_grow_with_its_rows(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            _page(world, Elder)
        return len(queries.captured_queries)

    count()  # the first page fills the caches a list reads (the districts of its filter)
    few = count()
    ElderFactory.create_batch(6)  # list_fields names all the page reads: no query per row
    assert count() == few


def test_a_list_past_the_count_cap_says_more_than_the_cap_wherever_it_counts(world, settings):
    settings.LIST_COUNT_CAP = 2  # 3 elders: the paginator stops counting at 3, one past the cap
    model_admin = admin.site._registry[Elder]
    original = model_admin.list_per_page
    model_admin.list_per_page = 1
    try:
        page = _page(world, Elder).content.decode()
    finally:
        model_admin.list_per_page = original
    search = re.search(r'<span class="small quiet">(.*?)</span>', page, re.S).group(1)
    assert "超过2 条结果" in search
    paginator = re.search(r'<p class="paginator">(.*?)</p>', page, re.S).group(1)
    assert "超过2" in paginator
    assert "选中了 超过2 个" in page and "选中所有的 超过2 个 老年人" in page
    assert not re.search(r"\b3 (条结果|个)", page)  # never the paginator's cap + 1 as a count
