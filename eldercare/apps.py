from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EldercareConfig(AppConfig):
    """The project package as an app: it holds the tables every app's requests share."""

    name = "eldercare"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from axes.signals import user_locked_out

        from . import schema  # noqa: F401 - registers the OpenAPI extensions
        from .tokens import revoke_on_lockout

        # django-axes announces a lock-out only through this signal: a locked-out account's
        # API tokens are revoked with it.
        user_locked_out.connect(revoke_on_lockout, dispatch_uid="eldercare.revoke_on_lockout")
