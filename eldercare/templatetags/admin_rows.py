"""The admin's result rows, built column by column instead of cell by cell.

Django's `items_for_result` works out, for every cell of every row, what the column is (a field,
a method of the admin, a property), its classes and its empty value, reverses the row's change
URL and parses its preserved filters again, and escapes through the lazy-aware helpers; at 50
rows of 10 columns that was a third of the admin elder list. `{% result_rows cl %}` works out each
column once per page and then only reads the values, and hands the template each row as one
string. The HTML is Django's own, cell for cell
(tests/test_admin_rows.py compares the two on the portal's admins); a list this does not follow
(list_editable, a popup, a callable in list_display, a reverse relation or a lookup across
relations) is left to Django's `result_list`.
"""

from __future__ import annotations

import datetime
import functools
import html
import os
from collections.abc import Callable

from django import template
from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    admin_list_filter,
    result_headers,
    result_hidden_fields,
    result_list,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.contrib.admin.utils import display_for_field, display_for_value, quote
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils.encoding import iri_to_uri
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from core.admin import ScopedAdmin

register = template.Library()

_ANY_PK = "987654321987"  # stands for each row's key in the change URL, reversed once per page

Cell = Callable[[models.Model], tuple[object, bool]]  # obj -> (what the cell shows, nowrap)


def _escape(value) -> str:
    """Django's conditional_escape without the lazy-argument wrapper it pays on every call: escaped
    unless marked safe (django.utils.html.escape is html.escape of the text)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _blank(value):
    return "" if isinstance(value, str) and value.strip() == "" else value


def _column(cl, name: str) -> Cell | None:
    """How one column's cell is read, as Django's lookup_field and items_for_result read it; None
    where only Django's own path gives the same cell."""
    admin = cl.model_admin
    empty = admin.get_empty_value_display()
    try:
        field = cl.lookup_opts.get_field(name)
    except FieldDoesNotExist:
        field = None
    if field is not None and field.is_relation:
        if field.many_to_one and field.related_model and field.name == name:
            # A foreign key shows the related row (list_select_related fetches it).
            return lambda obj: (_or_empty(getattr(obj, field.name), empty), True)
        return None  # a reverse relation, a generic key, a key's column name
    if field is not None and field.auto_created:
        return lambda obj: (display_for_value(getattr(obj, field.attname), empty, False), False)
    if field is not None:
        nowrap = isinstance(field, models.DateField | models.TimeField)
        if field.flatchoices:
            try:
                # Translated once per page, not once per cell.
                labels = {value: str(label) for value, label in field.flatchoices}
            except TypeError:  # list-like choices, which Django hashes first
                return None
            return lambda obj: (labels.get(_blank(getattr(obj, field.attname)), empty), nowrap)
        return lambda obj: (display_for_field(_blank(getattr(obj, field.attname)), field, empty), nowrap)
    if name == "action_checkbox" and getattr(type(admin), name, None) is ScopedAdmin.action_checkbox:
        checkbox = admin.action_checkboxes()
        return lambda obj: (checkbox(obj), False)
    if hasattr(admin, name) and name != "__str__":
        read = getattr(admin, name)
        if not callable(read):
            return None
        empty = getattr(read, "empty_value_display", empty)
        boolean = getattr(read, "boolean", False)
    elif hasattr(cl.model, name):  # a model's method or property (`__str__` included)
        described = getattr(cl.model, name)
        # As Django reads them: the empty value from the class attribute, a property's boolean
        # from its getter.
        empty = getattr(described, "empty_value_display", empty)
        boolean = getattr(described.fget if isinstance(described, property) else described, "boolean", False)

        def read(obj):
            value = getattr(obj, name)
            return value() if callable(value) else value
    else:
        return None  # a lookup across relations (a__b)

    def cell(obj):
        value = _blank(read(obj))
        return display_for_value(value, empty, boolean), isinstance(value, datetime.date | datetime.time)

    return cell


def _or_empty(value, empty):
    return empty if value is None else value


def _rows(cl) -> list[ResultList] | None:
    if getattr(cl, "formset", None) or cl.is_popup or cl.to_field or cl.list_display_links is None:
        return None
    names = list(cl.list_display)
    if not all(isinstance(n, str) for n in names):
        return None
    cells = [_column(cl, n) for n in names]
    if any(c is None for c in cells):
        return None
    links = set(cl.list_display_links or ())
    # As Django: the columns named as links, or the first column when none is named.
    linked = [(n in links) if links else i == 0 for i, n in enumerate(names)]
    try:
        pattern = reverse(
            f"admin:{cl.opts.app_label}_{cl.opts.model_name}_change",
            args=(_ANY_PK,),
            current_app=cl.model_admin.admin_site.name,
        )
    except NoReverseMatch:
        return None
    # The list's filters, carried by every row's link: the same query string for each row.
    preserved = add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": cl.opts}, pattern)
    if not preserved.startswith(pattern):
        return None
    filters = preserved[len(pattern) :]
    classes = [
        ' class="action-checkbox"'
        if n == "action_checkbox"
        else (f' class="field-{n}"', f' class="field-{n} nowrap"')
        for n in names
    ]
    rows = []
    for obj in cl.result_list:
        items, seen_link = [], False
        for cell, link, css in zip(cells, linked, classes, strict=True):
            try:
                shown, nowrap = cell(obj)
            except ObjectDoesNotExist:
                shown, nowrap = cl.model_admin.get_empty_value_display(), False
            attrs = css if isinstance(css, str) else css[nowrap]
            if link:
                tag = "td" if seen_link else "th"
                seen_link = True
                url = pattern.replace(_ANY_PK, str(quote(obj.pk))) + filters
                items.append(f'<{tag}{attrs}><a href="{_escape(url)}">{_escape(shown)}</a></{tag}>')
            else:
                items.append(f"<td{attrs}>{_escape(shown)}</td>")
        # One string per row: the template's loop over a row's cells was 500 variable nodes a page.
        rows.append(ResultList(None, [mark_safe("".join(items))]))
    return rows


def result_rows(cl) -> dict:
    """The context of Django's `result_list`, with the rows built by `_rows` where it can."""
    rows = _rows(cl)
    if rows is None:
        return result_list(cl)
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": rows,
    }


@register.tag(name="result_rows")
def result_rows_tag(parser, token):
    return InclusionAdminNode(
        parser, token, func=result_rows, template_name="change_list_results.html", takes_context=False
    )


_FILTER_TEMPLATE = "admin/filter.html"


@functools.cache
def _own_filter_template() -> bool:
    """Whether admin/filter.html is Django's own (a project's override is rendered as written)."""
    import django.contrib.admin

    origin = get_template(_FILTER_TEMPLATE).origin.name
    return origin.startswith(os.path.dirname(django.contrib.admin.__file__))


def _filter_html(title, choices: list[dict]) -> str:
    """What Django's admin/filter.html writes for one filter, written directly: its loop over the
    choices was a tenth of the admin elder list's templates."""
    by = gettext(" By %(filter_title)s ") % {"filter_title": _escape(title)}
    selected = {True: ' class="selected"', False: ""}
    items = "".join(
        f"\n    <li{selected[bool(choice['selected'])]}>"
        f'\n    <a href="{_escape(iri_to_uri(choice["query_string"]))}">{_escape(choice["display"])}</a></li>\n  '
        for choice in choices
    )
    return (
        f'\n<details data-filter-title="{_escape(title)}" open>\n  <summary>\n    {by}\n  </summary>\n'
        f"  <ul>\n  {items}\n  </ul>\n</details>\n"
    )


@register.simple_tag
def list_filters(cl) -> str:
    """Every filter of the list, as `{% for spec in cl.filter_specs %}{% admin_list_filter cl spec %}`
    writes them (tests/test_admin_rows.py compares the two)."""
    parts = []
    for spec in cl.filter_specs:
        if spec.template == _FILTER_TEMPLATE and _own_filter_template():
            parts.append(_filter_html(spec.title, list(spec.choices(cl))))
        else:
            parts.append(admin_list_filter(cl, spec))
    return mark_safe("".join(parts))
