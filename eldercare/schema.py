"""OpenAPI extensions for the project's own DRF classes (imported once at start-up)."""

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme


class ApiTokenScheme(KnoxTokenScheme):
    """The portal's token class is knox's with extra checks: the same header scheme."""

    target_class = "eldercare.drf.ApiTokenAuthentication"
    name = "tokenAuth"
