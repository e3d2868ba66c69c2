"""DRF settings classes (kept apart from viewsets: DRF imports these while it loads)."""

from datetime import date
from hmac import compare_digest

from django.utils.translation import gettext as _
from knox.auth import TokenAuthentication
from rest_framework import exceptions, pagination, parsers, permissions, serializers
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param

from .models import revoke_tokens


class RolePermission(permissions.DjangoModelPermissions):
    """Model permissions from the user's role group; reading needs the view permission too.

    A viewset's non-CRUD actions (review, close, ...) name their own permissions in
    `action_permissions`, since a POST to them is a change, not a creation.
    """

    def has_permission(self, request, view):
        required = getattr(view, "action_permissions", {}).get(getattr(view, "action", None))
        if required is not None:
            return bool(request.user and request.user.is_authenticated and request.user.has_perms(required))
        return super().has_permission(request, view)

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }


class Pagination(pagination.PageNumberPagination):
    """Page numbers for random access and a cursor to the end, with a capped count.

    `count` stops at LIST_COUNT_CAP + 1 rows (a city-wide list would otherwise count millions of
    rows on every page); `count_capped` tells the client that it is a lower bound, and page
    numbers only reach that far. `next` is a cursor link (`?cursor=…`, keyset on the view's
    `cursor_ordering`, newest first by default), so a client that follows `next` reads every
    row, however many. A view whose order means something else (a wait-list's queue) sets
    `cursor_ordering = None` and keeps plain page numbers.
    """

    page_size_query_param = "page_size"
    max_page_size = 500
    cursor_query_param = "cursor"

    @property
    def django_paginator_class(self):
        from core.admin import CappedCountPaginator

        return CappedCountPaginator

    def _ordering(self, view) -> str | None:
        if getattr(view, "action", "list") != "list":
            return None  # a custom list action keeps the order its selector gives
        return getattr(view, "cursor_ordering", "-pk")

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.keyset = None
        ordering = self._ordering(view)
        if ordering is None:
            return super().paginate_queryset(queryset, request, view)
        queryset = queryset.order_by(ordering)
        self.keyset = _Keyset()
        self.keyset.ordering = ordering
        self.keyset.page_size = self.get_page_size(request)
        if request.query_params.get(self.cursor_query_param):
            self.paginator = self.django_paginator_class(queryset, self.keyset.page_size)
            self.page = None
            return self.keyset.paginate_queryset(queryset, request, view)
        rows = super().paginate_queryset(queryset, request, view)
        self.keyset.base_url = remove_query_param(request.build_absolute_uri(), self.page_query_param)
        return rows

    def get_paginated_response(self, data):
        if self.keyset is None:
            response = super().get_paginated_response(data)
            response.data["count_capped"] = self.page.paginator.capped
            return response
        paginator = self.paginator if self.page is None else self.page.paginator
        if self.page is None:
            next_link, previous_link = self.keyset.get_next_link(), self.keyset.get_previous_link()
        else:
            # Past the capped count there are more rows than pages: the cursor goes on.
            more = self.page.has_next() or (paginator.capped and self.page.number == paginator.num_pages)
            next_link = self.keyset.link_after(self.page[-1]) if more and len(self.page) else None
            previous_link = self.get_previous_link()
        return Response(
            {
                "count": paginator.count,
                "count_capped": paginator.capped,
                "next": next_link,
                "previous": previous_link,
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count_capped"] = {
            "type": "boolean",
            "example": False,
            "description": "count stopped at the cap: there are more rows; follow next to reach them",
        }
        return schema

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        if self._ordering(view) is None:
            return parameters
        return [
            *parameters,
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "The position after which to continue (from a next or previous link).",
                "schema": {"type": "string"},
            },
        ]


class _Keyset(pagination.CursorPagination):
    """DRF's cursor pagination on one unique field, driven by `Pagination` above."""

    page_size_query_param = "page_size"
    max_page_size = 500

    def get_ordering(self, request, queryset, view):
        return (self.ordering,)

    def link_after(self, row) -> str:
        """The cursor link to the rows after `row` (the ordering field is unique: no offset)."""
        position = self._get_position_from_instance(row, (self.ordering,))
        return self.encode_cursor(pagination.Cursor(offset=0, reverse=False, position=position))


class ApiTokenAuthentication(TokenAuthentication):
    """Knox's check, and the account must still be active with the password the token was issued under."""

    def validate_user(self, auth_token):
        user = auth_token.user
        if not user.is_active:
            revoke_tokens(user=user)
            raise exceptions.AuthenticationFailed(_("This account is deactivated."))
        if not compare_digest(auth_token.auth_hash, user.get_session_auth_hash()):
            auth_token.delete()
            raise exceptions.AuthenticationFailed(_("The password changed since this token was issued."))
        return user, auth_token


NUL = "\x00"


def _refuse_nul(data):
    """A NUL character in any text of a request body is refused here: PostgreSQL cannot store or
    even compare it, so it would otherwise end in a database error wherever it is looked up."""
    if isinstance(data, str):
        if NUL in data:
            raise exceptions.ParseError(_("Text may not contain the NUL character."))
    elif hasattr(data, "lists"):
        for key, values in data.lists():
            _refuse_nul(key)
            _refuse_nul(values)
    elif isinstance(data, dict):
        for key, value in data.items():
            _refuse_nul(key)
            _refuse_nul(value)
    elif isinstance(data, list | tuple):
        for value in data:
            _refuse_nul(value)
    return data


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser; a body nested too deeply for Python is a 400, not a RecursionError."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return _refuse_nul(super().parse(stream, media_type, parser_context))
        except RecursionError:
            raise exceptions.ParseError(_("The JSON body is nested too deeply.")) from None


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return _refuse_nul(super().parse(stream, media_type, parser_context))


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        _refuse_nul(parsed.data)  # the files themselves may hold any bytes
        return parsed


FIRST_DATE, LAST_DATE = date(1900, 1, 1), date(2100, 12, 31)


def _date_range_error():
    return exceptions.ValidationError(
        _("Give a date between %(first)s and %(last)s.") % {"first": FIRST_DATE, "last": LAST_DATE}
    )


class DateField(serializers.DateField):
    """Dates the portal's records can carry (1900-2100): year 1 or 9999 is a typing slip, refused
    under the field's name before any date arithmetic overflows."""

    def to_internal_value(self, value):
        parsed = super().to_internal_value(value)
        if not FIRST_DATE <= parsed <= LAST_DATE:
            raise _date_range_error()
        return parsed


class DateTimeField(serializers.DateTimeField):
    def to_internal_value(self, value):
        parsed = super().to_internal_value(value)
        if not FIRST_DATE <= parsed.date() <= LAST_DATE:
            raise _date_range_error()
        return parsed
