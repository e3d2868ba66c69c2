from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = _("Services and visits")

    def ready(self) -> None:
        from . import policy  # noqa: F401  registers the visits section of policy packs
        from .integration import register

        register()
