from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EldersConfig(AppConfig):
    name = "elders"
    verbose_name = _("Elder registry")

    def ready(self) -> None:
        from regions.scope import sees_personal_data

        from . import policy  # noqa: F401  registers the registry section of policy packs
        from .file_sections import register_section
        from .selectors import file_history

        register_section(
            "basic",
            title=_("Basic information"),
            template="elders/sections/basic.html",
            context=lambda request, elder: {
                "residence_name": elder.residence.full_name(),
                "categories": [str(dict(_category_labels()).get(c, c)) for c in elder.categories()],
            },
            order=10,
        )
        register_section(
            "contacts",
            title=_("Contacts and guardians"),
            template="elders/sections/contacts.html",
            context=lambda request, elder: {"contacts": list(elder.contacts.all())},
            order=20,
        )
        register_section(
            "history",
            title=_("Change history"),
            template="elders/sections/history.html",
            context=lambda request, elder: {
                "entries": file_history(elder, masked=not sees_personal_data(request.user))
            },
            order=90,
        )


def _category_labels():
    from .choices import Category

    return Category.choices
