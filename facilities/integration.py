"""How facilities plug into the elder file: residency, wait-list positions, family care bed."""

from django.utils.translation import gettext_lazy as _


def _file_context(request, elder) -> dict:
    from .models import FamilyCareBed, Residency
    from .selectors import positions_for_elder

    return {
        "residency": Residency.objects.filter(elder=elder, discharged_on__isnull=True)
        .select_related("facility")
        .first(),
        "past": list(
            Residency.objects.filter(elder=elder, discharged_on__isnull=False).select_related("facility")[:5]
        ),
        "waitlist": positions_for_elder(elder),
        "family_bed": FamilyCareBed.objects.filter(elder=elder)
        .exclude(status="closed")
        .select_related("provider")
        .first(),
    }


def register() -> None:
    from elders.file_sections import register_section

    register_section(
        "facilities",
        title=_("Residence in a facility and wait-list"),
        template="facilities/file_section.html",
        context=_file_context,
        order=35,
    )
