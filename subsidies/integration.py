"""How subsidies plug into the elder file page."""

from django.utils.translation import gettext_lazy as _


def _file_context(request, elder) -> dict:
    from django.utils import timezone

    from .selectors import eligibility_for, payments_of_elder

    return {
        "rows": eligibility_for(elder, timezone.localdate()),
        "payments": payments_of_elder(request.user, elder),
    }


def register() -> None:
    from elders.file_sections import register_section

    register_section(
        "subsidies",
        title=_("Subsidies: eligibility and payments"),
        template="subsidies/file_section.html",
        context=_file_context,
        order=27,
    )
