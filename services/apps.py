from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = _("Services and visits")

    def ready(self) -> None:
        from . import catalogue, policy  # noqa: F401  register the pack sections visits and catalogue
        from .integration import register

        register()
