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
