from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports and dashboard")

    def ready(self) -> None:
        from . import policy  # noqa: F401  registers the targets section of policy packs
