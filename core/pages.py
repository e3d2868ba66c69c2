"""The one page helper of the worker views: the object of a page, or a list, within the asking
account's scope (`core.scope`), so that a view never narrows by hand."""

from __future__ import annotations

from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404

from .scope import restrict


def scoped(request, queryset: QuerySet, action: str = "view") -> QuerySet:
    """The rows of a list page the account may `action` (reading: what the model widens too)."""
    return restrict(queryset, request.user, action)


def object_or_404(request, queryset: QuerySet, action: str = "view", **lookup) -> Model:
    """The page's object, or 404 when it does not exist or is outside the account's scope (the
    same answer, so a page never tells which)."""
    return get_object_or_404(restrict(queryset, request.user, action), **lookup)
