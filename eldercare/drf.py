"""DRF settings classes (kept apart from viewsets: DRF imports these while it loads)."""

from hmac import compare_digest

from django.utils.translation import gettext as _
from knox.auth import TokenAuthentication
from rest_framework import exceptions, pagination, permissions

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
    """Page numbers with a count that stops at LIST_COUNT_CAP + 1 rows.

    A city-wide list would otherwise count millions of rows on every page; `count_capped`
    tells the client that `count` is a lower bound.
    """

    page_size_query_param = "page_size"
    max_page_size = 500

    @property
    def django_paginator_class(self):
        from eldercare.admin_utils import CappedCountPaginator

        return CappedCountPaginator

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_capped"] = self.page.paginator.capped
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count_capped"] = {"type": "boolean", "example": False}
        return schema


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
