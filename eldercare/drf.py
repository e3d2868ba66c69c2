"""DRF settings classes (kept apart from viewsets: DRF imports these while it loads)."""

from rest_framework import pagination, permissions


class RolePermission(permissions.DjangoModelPermissions):
    """Model permissions from the user's role group; reading needs the view permission too."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }


class Pagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500
