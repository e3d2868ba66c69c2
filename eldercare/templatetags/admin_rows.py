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

import django.contrib.admin
from django import template
from django.conf import settings
from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    admin_list_filter,
    pagination,
    paginator_number,
    result_headers,
    result_hidden_fields,
    result_list,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.contrib.admin.utils import display_for_field, display_for_value, quote
from django.contrib.admin.views.main import IS_FACETS_VAR, IS_POPUP_VAR, SEARCH_VAR
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.template.loader import select_template
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.encoding import iri_to_uri
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext, ngettext

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
        if isinstance(field, models.CharField | models.TextField) and not isinstance(field, models.URLField):
            # display_for_field of text: the empty value for an empty one, else the text itself.
            def text(obj):
                value = _blank(getattr(obj, field.attname))
                if value in field.empty_values:
                    return empty, False
                return (value if type(value) is str else display_for_value(value, empty)), False

            return text
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

    plain_ints = not settings.USE_THOUSAND_SEPARATOR  # number_format then writes an int as str does

    def cell(obj):
        value = _blank(read(obj))
        if not boolean:
            # display_for_value's answers for the usual values, without its chain of tests and
            # number_format's three format lookups per number.
            if type(value) is str:
                return (value or empty), False
            if type(value) is int and plain_ints:
                return str(value), False
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
_ADMIN_DIR = os.path.dirname(django.contrib.admin.__file__)


@functools.cache
def _djangos(*names: str) -> bool:
    """Whether the template these names find first is Django's own admin template (a project's
    override, of the whole admin or of one app or model, is rendered as written)."""
    return select_template(list(names)).origin.name.startswith(_ADMIN_DIR)


@receiver(setting_changed)
def _forget_templates(setting, **kwargs):
    if setting == "TEMPLATES":
        _djangos.cache_clear()


def _names(opts, name: str) -> tuple[str, ...]:
    """The templates an admin inclusion tag looks for, as InclusionAdminNode.render lists them."""
    app = opts.app_label.lower()
    return (f"admin/{app}/{opts.model_name}/{name}", f"admin/{app}/{name}", f"admin/{name}")


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
        if spec.template == _FILTER_TEMPLATE and _djangos(_FILTER_TEMPLATE):
            parts.append(_filter_html(spec.title, list(spec.choices(cl))))
        else:
            parts.append(admin_list_filter(cl, spec))
    return mark_safe("".join(parts))


def _text(value) -> str:
    """`{{ value|capfirst }}` as the template writes it: escaped unless marked safe."""
    shown = str(capfirst(value))
    return shown if hasattr(value, "__html__") else html.escape(shown)


def _header_html(header: dict, num_sorted_fields: int) -> str:
    """One column header as admin/change_list_results.html writes it."""
    sorting = ""
    if header["sortable"] and header["sort_priority"] > 0:
        priority = ""
        if num_sorted_fields > 1:
            title = _escape(
                gettext("Sorting priority: %(priority_number)s")
                % {"priority_number": header["sort_priority"]}
            )
            priority = f'<span class="sortpriority" title="{title}">{header["sort_priority"]}</span>'
        direction = "ascending" if header["ascending"] else "descending"
        sorting = (
            '\n       <div class="sortoptions">'
            f'\n         <a class="sortremove" href="{_escape(header["url_remove"])}" title="{_escape(gettext("Remove from sorting"))}"></a>'
            f"\n         {priority}"
            f'\n         <a href="{_escape(header["url_toggle"])}" class="toggle {direction}" title="{_escape(gettext("Toggle sorting"))}"></a>'
            "\n       </div>\n   "
        )
    if header["sortable"]:
        text = f'<a href="{_escape(header["url_primary"])}">{_text(header["text"])}</a>'
    else:
        text = f"<span>{_text(header['text'])}</span>"
    return (
        f'\n<th scope="col"{_escape(header["class_attrib"])}>\n   {sorting}'
        f'\n   <div class="text">{text}</div>\n   <div class="clear"></div>\n</th>'
    )


@register.simple_tag
def results_table(cl) -> str:
    """The list's table as Django's admin/change_list_results.html writes it, for a list whose rows
    `_rows` builds and whose template is Django's; "" otherwise, and the page falls back to
    `{% result_rows cl %}` (tests/test_admin_rows.py compares the two). The template's loops were
    a tenth of the admin elder list."""
    if not _djangos(*_names(cl.opts, "change_list_results.html")):
        return ""
    rows = _rows(cl)
    if rows is None:
        return ""
    parts = ["\n\n"]
    if rows:
        headers = list(result_headers(cl))
        num_sorted = sum(1 for h in headers if h["sortable"] and h["sorted"])
        parts.append('\n<div class="results">\n<table id="result_list">\n<thead>\n<tr>\n')
        parts.extend(_header_html(h, num_sorted) for h in headers)
        parts.append("\n</tr>\n</thead>\n<tbody>\n")
        parts.extend(f"\n\n<tr>{row[0]}</tr>\n" for row in rows)
        parts.append("\n</tbody>\n</table>\n</div>\n")
    parts.append("\n")
    return mark_safe("".join(parts))


@functools.lru_cache(maxsize=256)
def _action_fields(choices: tuple[tuple[str, str], ...], language: str | None) -> str:
    """The fields of Django's ActionForm with these choices, as admin/actions.html writes them
    (the select through the form widget templates was most of the action bar). The form is
    unbound, so its HTML depends on nothing else."""
    form = helpers.ActionForm(auto_id=None)
    form.fields["action"].choices = choices
    return "".join(f"<label>{_escape(f.label)} {f}</label>" if f.label else str(f) for f in form)


@register.simple_tag(takes_context=True)
def action_bar(context) -> str:
    """The action bar as Django's `{% admin_actions %}` writes it with Django's admin/actions.html
    and ActionForm; "" otherwise, and the page falls back to `{% admin_actions %}`
    (tests/test_admin_rows.py compares the two)."""
    form, cl = context["action_form"], context["cl"]
    if type(form) is not helpers.ActionForm or not _djangos(*_names(context["opts"], "actions.html")):
        return ""
    context["action_index"] = context.get("action_index", -1) + 1  # as admin_actions counts them
    choices = tuple((str(value), str(label)) for value, label in form.fields["action"].choices)
    counter = ""
    if context.get("actions_selection_counter"):
        shown = len(cl.result_list)
        counter = (
            f'\n        <span class="action-counter" data-actions-icnt="{shown}">'
            f"{_escape(context.get('selection_note', ''))}</span>\n        "
        )
        if cl.result_count != shown:
            total, note_all = cl.result_count, context.get("selection_note_all", "")
            if _capped(cl):
                # The count stopped at the cap: the whole list is more than it, never cap + 1.
                total = _more_than(cl)
                note_all = ngettext(
                    "%(total_count)s selected", "All %(total_count)s selected", cl.result_count
                ) % {"total_count": total}
            select_all = gettext("Select all %(total_count)s %(module_name)s") % {
                "total_count": total,
                "module_name": _escape(context.get("module_name", "")),
            }
            counter += (
                f'\n        <span class="all hidden">{_escape(note_all)}</span>'
                '\n        <span class="question hidden">'
                '\n            <a role="button" href="#" title="'
                f'{_escape(gettext("Click here to select the objects across all pages"))}">{select_all}</a>'
                "\n        </span>"
                f'\n        <span class="clear hidden"><a role="button" href="#">{_escape(gettext("Clear selection"))}</a></span>'
                "\n        "
            )
        counter += "\n    "
    return mark_safe(
        '\n<div class="actions">\n  \n    \n    '
        + _action_fields(choices, get_language())
        + '\n    \n    \n    <button type="submit" class="button" title="'
        + _escape(gettext("Run the selected action"))
        + f'" name="index" value="{context["action_index"] or 0}">{_escape(gettext("Go"))}</button>'
        + "\n    \n    \n    "
        + counter
        + "\n    \n  \n</div>\n"
    )


def _capped(cl) -> bool:
    """Whether the list's paginator stopped counting at LIST_COUNT_CAP (core.admin.CappedChangeList;
    a change list of another base never is)."""
    return getattr(cl, "count_capped", False)


def _more_than(cl) -> str:
    return _escape(gettext("more than %(cap)s") % {"cap": cl.count_cap})


@register.simple_tag
def list_pagination(cl) -> str:
    """The list's page links and its count, as Django's `{% pagination cl %}` writes them (its own
    context and page links), with the count of a list past LIST_COUNT_CAP shown as "more than" the
    cap (the paginator stops counting there, core.admin.CappedCountPaginator)."""
    data = pagination(cl)
    pages = "\n    ".join(str(paginator_number(cl, i)) for i in data["page_range"])
    count = _more_than(cl) if _capped(cl) else str(cl.result_count)
    name = cl.opts.verbose_name if cl.result_count == 1 else cl.opts.verbose_name_plural
    show_all = ""
    if data["show_all_url"]:
        show_all = (
            f'<a href="{_escape(data["show_all_url"])}" class="showall">{_escape(gettext("Show all"))}</a>'
        )
    save = ""
    if getattr(cl, "formset", None) and cl.result_count:
        save = f'<input type="submit" name="_save" class="default" value="{_escape(gettext("Save"))}">'
    return mark_safe(
        f'\n<p class="paginator">\n{pages}\n{count}\n{_escape(name)}\n{show_all}\n{save}\n</p>\n'
    )


@register.simple_tag
def search_bar(cl) -> str:
    """The search form as Django's admin/search_form.html writes it, with the count of a list past
    LIST_COUNT_CAP shown as "more than" the cap; "" where a project template overrides it or the
    list has no search, and the page falls back to `{% search_form cl %}`."""
    if not cl.search_fields or not _djangos(*_names(cl.opts, "search_form.html")):
        return ""
    described = ' aria-describedby="searchbar_helptext"' if cl.search_help_text else ""
    counted = ""
    if cl.result_count != cl.full_result_count:  # as search_form's show_result_count
        shown = _more_than(cl) if _capped(cl) else cl.result_count
        results = ngettext("%(counter)s result", "%(counter)s results", cl.result_count) % {"counter": shown}
        query = ""
        if cl.is_popup:
            query = f"{IS_POPUP_VAR}=1" + ("&" if cl.add_facets else "")
        if cl.add_facets:
            query += IS_FACETS_VAR
        if cl.show_full_result_count:
            label = gettext("%(full_result_count)s total") % {"full_result_count": cl.full_result_count}
        else:
            label = gettext("Show all")
        counted = f'\n    <span class="small quiet">{_escape(results)} (<a href="?{query}">{_escape(label)}</a>)</span>\n'
    hidden = "".join(
        f'\n    <input type="hidden" name="{_escape(name)}" value="{_escape(value)}">\n'
        if name != SEARCH_VAR
        else "\n    \n"
        for name, value in cl.params.items()
    )
    help_text = ""
    if cl.search_help_text:
        help_text = f'\n<br class="clear">\n<div class="help" id="searchbar_helptext">{_escape(cl.search_help_text)}</div>\n'
    return mark_safe(
        '\n\n<div id="toolbar"><form id="changelist-search" method="get" role="search">'
        "\n<div><!-- DIV needed for valid HTML -->"
        f'\n<label for="searchbar"><img src="{_escape(static("admin/img/search.svg"))}" alt="Search"></label>'
        f'\n<input type="text" size="40" name="{SEARCH_VAR}" value="{_escape(cl.query)}" id="searchbar"{described}>'
        f'\n<input type="submit" value="{_escape(gettext("Search"))}">\n'
        f"{counted}\n{hidden}\n</div>\n{help_text}\n</form></div>\n\n"
    )
