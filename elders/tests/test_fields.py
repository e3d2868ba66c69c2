"""The elder's fields are declared once (elders.fields) and every interface follows the list."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client

from elders import fields as elder_fields
from elders.api import ElderSerializer
from elders.forms import ElderForm
from elders.models import Elder
from elders.resources import ElderResource
from tests.factories import ElderFactory

pytestmark = pytest.mark.django_db

GROUPED = [name for _title, names in elder_fields.GROUPS for name in names]


def test_every_model_field_is_declared_in_a_group_or_left_out_on_purpose():
    model_fields = [f.name for f in Elder._meta.concrete_fields]
    undeclared = [name for name in model_fields if name not in GROUPED and name not in elder_fields.INTERNAL]
    assert not undeclared, f"add {undeclared} to a group of elders/fields.py (or to INTERNAL, saying why)"
    assert len(GROUPED) == len(set(GROUPED)), "a field is in two groups"
    assert not set(GROUPED) - set(model_fields), "a group names a field the model does not have"


def test_the_admin_api_form_and_excel_take_their_fields_from_the_declaration(staff):
    fieldsets = admin.site._registry[Elder].fieldsets
    assert [name for _title, opts in fieldsets for name in opts["fields"]] == GROUPED
    assert set(elder_fields.API) <= set(ElderSerializer().fields)
    form = ElderForm(user=staff["community_worker"])
    assert set(elder_fields.EDITABLE) - {"hukou_region"} <= set(form.fields) and "hukou_code" in form.fields
    headers = ElderResource().get_export_headers()
    # The sheet's headings are the fields' names, in the declaration's order.
    names = ElderResource.column_headings()
    assert [str(h) for h in headers] == [names[f] for f in elder_fields.EXCEL]


def test_the_file_page_shows_every_circumstance_in_words(staff):
    elder = ElderFactory(living_arrangement="empty_nest", economic_status="dibao", is_veteran=True)
    client = Client()
    client.force_login(staff["community_worker"])
    page = client.get(f"/elders/{elder.pk}/").content.decode()
    for name in elder_fields.FILE_PAGE:
        field = Elder._meta.get_field(name)
        if field.get_internal_type() != "BooleanField":
            assert str(field.verbose_name) in page, name
    assert str(Elder._meta.get_field("is_veteran").verbose_name) in page
    assert elder.get_living_arrangement_display() in page and "empty_nest" not in page
