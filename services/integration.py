"""How visits plug into the elder file page."""

from django.utils.translation import gettext_lazy as _


def _file_context(request, elder) -> dict:
    from regions.scope import restrict

    from .models import FollowUp, Visit

    return {
        "visits": list(
            restrict(Visit.objects.filter(elder=elder), request.user).select_related("visitor")[:12]
        ),
        "open_follow_ups": list(restrict(FollowUp.objects.filter(elder=elder, status="open"), request.user)),
    }


def _entitlements_context(request, elder) -> dict:
    from django.utils import timezone

    from .selectors import entitlements_for

    return entitlements_for(elder, timezone.localdate())


def register() -> None:
    from elders.file_sections import register_section

    register_section(
        "entitlements",
        title=_("Basic services the elder is entitled to"),
        template="services/entitlements_section.html",
        context=_entitlements_context,
        order=25,
    )
    register_section(
        "visits",
        title=_("Caring visits"),
        template="services/file_section.html",
        context=_file_context,
        order=40,
    )
