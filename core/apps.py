from importlib import import_module
from pathlib import Path

from django.apps import AppConfig, apps
from django.conf import settings
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _

from .registry import DEFINING_MODULES


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Portal core")

    def ready(self) -> None:
        # Every app's facts, pack sections, metrics and file-page sections register themselves
        # where they are defined; importing those modules of the project's own apps (the
        # packages at the repository's top) once fills the registry's stores.
        base = Path(settings.BASE_DIR).resolve()
        for config in apps.get_app_configs():
            if Path(config.path).resolve().parent != base:
                continue
            for name in DEFINING_MODULES:
                if module_has_submodule(config.module, name):
                    import_module(f"{config.name}.{name}")
