from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EldercareConfig(AppConfig):
    """The project package as an app: it holds the tables every app's requests share."""

    name = "eldercare"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.db import models
        from rest_framework.serializers import ModelSerializer

        from . import auth, drf, schema  # noqa: F401 - schema registers the OpenAPI extensions
        from .tokens import revoke_on_lockout

        # Every model serializer's dates get the portal's range check (serializers declaring their
        # own date fields use eldercare.drf.DateField directly).
        ModelSerializer.serializer_field_mapping[models.DateField] = drf.DateField
        ModelSerializer.serializer_field_mapping[models.DateTimeField] = drf.DateTimeField

        # django-axes announces a lock-out only through this signal: a locked-out account's
        # API tokens are revoked with it.
        user_locked_out.connect(revoke_on_lockout, dispatch_uid="eldercare.revoke_on_lockout")

        # A cached permission set is dropped whenever who holds which permission changes.
        auth.connect()
