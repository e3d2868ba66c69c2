"""The base classes every API endpoint builds on, and the one exception handler.

As NetBox's `BaseViewSet.initial()` does, the scoped base narrows the view's queryset to the
asking account's scope before any handler runs. Here a view may also compute its queryset in
`get_queryset` (annotations, selectors): every `get_queryset` a subclass defines is wrapped
when the class is made, so whatever it returns passes through `core.scope.restrict` with the
request's action. An override cannot drop the scope, and a view that forgets it still answers
only in scope.
"""

from __future__ import annotations

import functools

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, mixins, relations, viewsets
from rest_framework.settings import api_settings
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from .scope import HTTP_ACTIONS, is_declared, restrict


def _scoping(get_queryset):
    @functools.wraps(get_queryset)
    def scoped_get_queryset(self, *args, **kwargs):
        return self.scope_queryset(get_queryset(self, *args, **kwargs))

    scoped_get_queryset.scoped = True
    return scoped_get_queryset


class ScopedAPIMixin:
    """Every queryset of the view goes through `core.scope.restrict` for the request's action."""

    # Set by `initial()` from the method: GET reads (and may see what the model widens for
    # reading), POST to a list adds, POST to one object's action, PUT and PATCH change.
    scope_action = "view"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("get_queryset")
        if own is not None and not getattr(own, "scoped", False):
            cls.get_queryset = _scoping(own)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        action = HTTP_ACTIONS.get(request.method, "view")
        if action == "add" and getattr(self, "detail", False):
            action = "change"  # POST …/{id}/review/ acts on an existing row
        self.scope_action = action
        if getattr(self, "queryset", None) is not None:
            self.queryset = restrict(self.queryset, request.user, action)

    def scope_queryset(self, queryset):
        request = getattr(self, "request", None)
        return restrict(queryset, getattr(request, "user", None), self.scope_action)

    def get_queryset(self):
        return self.scope_queryset(super().get_queryset())

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        scope_choices(serializer, self.request.user)
        return serializer


# The choice a body named is not one of the account's: it may exist outside its scope.
NOT_YOURS_PK = _("“{pk_value}” does not exist or is outside your region of responsibility.")
NOT_YOURS_SLUG = _("“{value}” does not exist or is outside your region of responsibility.")


def scope_choices(serializer, user) -> None:
    """Narrow the choices of every writable related field to the rows of its model the user may
    read: a body cannot name an elder, a provider or a region outside the account's scope. A
    serializer whose field deliberately offers other rows (the published list of public beds)
    names it in `unscoped_choices`."""
    fields = getattr(serializer, "child", serializer)
    if not hasattr(fields, "fields"):
        return
    keep = set(getattr(fields, "unscoped_choices", ()))
    for name, field in fields.fields.items():
        if name in keep:
            continue
        relation = getattr(field, "child_relation", field)
        queryset = getattr(relation, "queryset", None)
        if queryset is not None and is_declared(queryset.model):
            relation.queryset = restrict(queryset, user)
            if isinstance(relation, relations.PrimaryKeyRelatedField):
                relation.error_messages["does_not_exist"] = NOT_YOURS_PK
            elif isinstance(relation, relations.SlugRelatedField):
                relation.error_messages["does_not_exist"] = NOT_YOURS_SLUG


ScopedAPIMixin.get_queryset.scoped = True


class ScopedAPIView(ScopedAPIMixin, APIView):
    """A plain API view reading one model: it defines `get_queryset`, which is scoped."""

    def get_queryset(self):
        raise NotImplementedError("A scoped API view says which rows it reads in get_queryset().")


class ScopedGenericViewSet(ScopedAPIMixin, viewsets.GenericViewSet):
    pass


class ScopedReadOnlyViewSet(ScopedAPIMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(ScopedAPIMixin, viewsets.ModelViewSet):
    pass


class ScopedCreateReadViewSet(ScopedAPIMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """List, read and create; changes go through the view's own actions."""


class SavedByService:
    """Creating and changing go through the app's service, the only write path: the view hands it
    the unsaved object (`save_object`) instead of calling `serializer.save()`."""

    def save_object(self, obj):
        raise NotImplementedError("A view writing through a service says which in save_object().")

    def perform_create(self, serializer):
        serializer.instance = self.save_object(serializer.Meta.model(**serializer.validated_data))

    def perform_update(self, serializer):
        obj = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(obj, name, value)
        serializer.instance = self.save_object(obj)


# --- errors -----------------------------------------------------------------------------------


def as_drf_error(exc: DjangoValidationError) -> exceptions.ValidationError:
    """A model/service ValidationError as DRF's, keeping the field names as keys."""
    key = api_settings.NON_FIELD_ERRORS_KEY
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(
            {
                (key if field == NON_FIELD_ERRORS else field): [str(m) for m in errs]
                for field, errs in exc.message_dict.items()
            }
        )
    return exceptions.ValidationError({key: exc.messages})


def exception_handler(exc, context):
    """REST_FRAMEWORK's EXCEPTION_HANDLER: services raise Django's ValidationError (400 naming the
    field) and PermissionDenied (403 with the service's translated reason); the views let them
    through instead of wrapping each call."""
    if isinstance(exc, DjangoValidationError):
        exc = as_drf_error(exc)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    return drf_exception_handler(exc, context)
