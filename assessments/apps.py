from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Ability assessments")

    def ready(self) -> None:
        from . import policy  # noqa: F401  registers the assessment section of policy packs
        from .integration import register

        register()
