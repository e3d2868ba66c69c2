"""The OpenAPI schema and docs views, and extensions for the project's own DRF classes."""

from django.contrib.auth.views import redirect_to_login
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny, IsAuthenticated


class ApiTokenScheme(KnoxTokenScheme):
    """The portal's token class is knox's with extra checks: the same header scheme."""

    target_class = "eldercare.drf.ApiTokenAuthentication"
    name = "tokenAuth"


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, for signed-in callers only (session or token)."""

    permission_classes = [IsAuthenticated]


class DocsView(SpectacularSwaggerSplitView):
    """The interactive docs: a browser that is not signed in goes to the login page first."""

    permission_classes = [AllowAny]

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().get(request, *args, **kwargs)
