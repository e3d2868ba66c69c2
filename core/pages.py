"""The page helpers of the worker views: the object of a page, or a list, within the asking
account's scope (`core.scope`), so that a view never narrows by hand; the links of a list's rows."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse

from .scope import published, restrict


def visible(request, queryset: QuerySet, action: str = "view") -> QuerySet:
    """The rows of a list page the account may `action` (reading: what the model widens too)."""
    return restrict(queryset, request.user, action)


def object_or_404(request, queryset: QuerySet, action: str = "view", **lookup) -> Model:
    """The page's object, or 404 when it does not exist or is outside the account's scope (the
    same answer, so a page never tells which)."""
    return get_object_or_404(restrict(queryset, request.user, action), **lookup)


_ANY_PK = 987654321987  # a key no table reaches, replaced by each row's own


def row_urls(name: str) -> Callable[[int], str]:
    """`url(pk)` for the view `name` taking one primary key: reversed once per list, not once per
    row (a reverse costs some tens of microseconds; a list of 30 rows with two links each is
    60 of them)."""
    pattern, marker = reverse(name, args=[_ANY_PK]), str(_ANY_PK)
    return lambda pk: pattern.replace(marker, str(pk))


def public_page(view):
    """Mark a view as public by design (no sign-in): it may read only `published_rows`, what the
    models' declarations publish. The sweep asks such pages as an anonymous visitor and allows
    them to name only published rows; any other page answering an anonymous visitor fails it."""
    view.public_page = True
    return view


def published_rows(queryset: QuerySet) -> QuerySet:
    """The rows of a public page: what the model's scope declaration publishes (`public=`)."""
    return published(queryset)


def add_errors(form, exc: ValidationError | PermissionDenied, field_for=None) -> None:
    """Put a service's refusal on the page's form: each field's messages beside that field (a
    field the form does not have, and a message naming no field, at the top), and a refusal of
    permission at the top. The one way, so a plain ValidationError never fails the page.
    `field_for(name)` names the form's field for a service's key where the two differ (None: the
    top of the form)."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            field = field_for(name) if field_for is not None else name
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, list(getattr(exc, "messages", None) or [str(exc)]))
