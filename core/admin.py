"""The one admin base class: scoped querysets, choices and object permissions, history that only
shows, and lists that never count a huge table."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from .scope import allows, is_declared, restrict


class CappedCountPaginator(Paginator):
    """Counts at most LIST_COUNT_CAP + 1 rows (a LIMITed subquery), never the whole table.

    A list found to be over the cap is remembered as such for OVER_CAP_SECONDS, keyed by its SQL
    (its scope and filters are in it): the whole city's list is over the cap on every page, and
    counting to the cap again was the largest query of the admin's and the API's lists. The
    count it shows is "more than" the cap either way; a list that shrinks below the cap shows its
    own count again within that time.
    """

    @cached_property
    def count(self) -> int:
        cap = settings.LIST_COUNT_CAP
        # No ORDER BY: the database can stop at the cap instead of sorting every match first.
        capped = self.object_list.order_by()[: cap + 1]
        key = _over_cap_key(capped)
        if cache.get(key):
            return cap + 1
        found = capped.count()
        if found > cap:
            cache.set(key, True, OVER_CAP_SECONDS)
        return found

    @property
    def capped(self) -> bool:
        return self.count > settings.LIST_COUNT_CAP


OVER_CAP_SECONDS = 300


def _over_cap_key(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    return "over-cap:" + hashlib.sha256(f"{sql}\x00{params!r}".encode()).hexdigest()


class CappedChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)
        if self.model_admin.list_fields is not None:
            # Only the page's rows: the actions and exports run on the whole queryset.
            self.result_list = self.result_list.only(*self.model_admin.list_fields)
        self.count_capped = self.result_count > settings.LIST_COUNT_CAP
        self.count_cap = settings.LIST_COUNT_CAP


class ScopedAdmin(admin.ModelAdmin):
    """Every admin screen's rows, choices and object permissions go through `core.scope`.

    Lists, change pages and deletions see the model's readable rows; changing or deleting one
    also needs it to be in scope for that action (a catalogue of the level above is readable, not
    editable). Choices of a foreign key to a scoped model are the rows its user may read; the
    services check the rows a many-to-many field names, with their own message.

    With django-simple-history (`class X(ScopedAdmin, SimpleHistoryAdmin)`), the history
    screens, which look objects up by primary key on their own, answer 404 for anything outside
    the scoped queryset and only show: reverting through a history form would save around the
    services, so POST is refused.
    """

    paginator = CappedCountPaginator
    show_full_result_count = False
    # The admin is where rows are managed: it lists what the account may change. Reading what a
    # model widens for reading (the catalogue of the level above) is for the pages and the API.
    scope_action = "change"
    # The fields a list page reads (its columns, the rows' names, what its methods use, with
    # `relation__field` for a selected relation): the page loads only these. None loads every
    # field. A field read but not named here costs a query per row, which the tests' query
    # counts of the list pages catch.
    list_fields: tuple[str, ...] | None = None

    def get_queryset(self, request):
        return restrict(super().get_queryset(request), request.user, self.scope_action)

    def get_changelist(self, request, **kwargs):
        return CappedChangeList

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or allows(request.user, obj, "change"))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or allows(request.user, obj, "delete"))

    def _require_in_scope(self, request, object_id) -> None:
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_in_scope(request, object_id)
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True

    def action_checkbox(self, obj):
        """The same checkbox Django renders, written directly: Django renders each one through
        the form widget templates, which was a fifth of a 50-row list page."""
        return self.action_checkboxes()(obj)

    def action_checkboxes(self) -> Callable[[models.Model], SafeString]:
        """`action_checkbox` for a page of rows: the label is translated once, not once a row."""
        label = gettext("Select this object for an action - {}")
        pattern = f'<input type="checkbox" name="{helpers.ACTION_CHECKBOX_NAME}" value="{{}}" class="action-select" aria-label="{{}}">'

        def checkbox(obj) -> SafeString:
            # As format_html(pattern, pk, format_html(label, str(obj))): each value escaped once.
            return mark_safe(pattern.format(escape(obj.pk), label.format(escape(str(obj)))))

        return checkbox

    def _scoped_choices(self, db_field, request, kwargs):
        related = db_field.related_model
        if "queryset" not in kwargs and related is not None and is_declared(related):
            kwargs["queryset"] = restrict(related._default_manager.all(), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._scoped_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
