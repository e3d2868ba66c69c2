from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilitiesConfig(AppConfig):
    name = "facilities"
    verbose_name = _("Facilities and beds")

    def ready(self) -> None:
        from . import policy  # noqa: F401  registers the pack section "facilities"
        from .integration import register

        register()
