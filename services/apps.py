from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = _("Services and visits")

    def ready(self) -> None:
        from .signals import connect

        connect()  # derived data: the visit status follows the elder's facts and ability results
