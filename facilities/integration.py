"""How facilities plug into the elder file: residency, wait-list positions, family care bed."""

from django.utils.translation import gettext_lazy as _


def _file_context(request, elder) -> dict:
    from regions.scope import restrict

    from .models import FamilyCareBed, Residency
    from .selectors import positions_for_elder

    stays = restrict(Residency.objects.filter(elder=elder), request.user).select_related("facility")
    return {
        "residency": stays.filter(discharged_on__isnull=True).first(),
        "past": list(stays.filter(discharged_on__isnull=False)[:5]),
        "waitlist": positions_for_elder(request.user, elder),
        "family_bed": restrict(FamilyCareBed.objects.filter(elder=elder), request.user)
        .exclude(status="closed")
        .select_related("provider")
        .first(),
    }


def register_facts() -> None:
    """Facts about a facility for the condition language (subsidy schemes paid to facilities)."""
    from elders.conditions import _CHOICE_OPS, _NUM_OPS, Fact, register_fact

    from .choices import FacilityKind, FacilityStatus, Ownership

    for fact in (
        Fact(
            "facility_kind",
            _("facility kind"),
            "choice",
            _CHOICE_OPS,
            value=lambda f, on: f.kind,
            lookup="kind",
            choices=tuple(FacilityKind.values),
            subject="facility",
        ),
        Fact(
            "facility_ownership",
            _("facility ownership"),
            "choice",
            _CHOICE_OPS,
            value=lambda f, on: f.ownership,
            lookup="ownership",
            choices=tuple(Ownership.values),
            subject="facility",
        ),
        Fact(
            "facility_status",
            _("facility status"),
            "choice",
            _CHOICE_OPS,
            value=lambda f, on: f.status,
            lookup="status",
            choices=tuple(FacilityStatus.values),
            subject="facility",
        ),
        Fact(
            "facility_star",
            _("star rating"),
            "int",
            _NUM_OPS | {"is_null"},
            value=lambda f, on: f.star,
            lookup="star",
            subject="facility",
        ),
        Fact(
            "facility_beds",
            _("beds"),
            "int",
            _NUM_OPS,
            value=lambda f, on: f.beds,
            lookup="beds",
            subject="facility",
        ),
        Fact(
            "facility_region",
            _("facility region"),
            "region",
            frozenset({"under"}),
            value=lambda f, on: f.region_id,
            lookup="region__code",
            subject="facility",
        ),
    ):
        register_fact(fact)


def register() -> None:
    from elders.file_sections import register_section

    register_facts()

    register_section(
        "facilities",
        title=_("Residence in a facility and wait-list"),
        template="facilities/file_section.html",
        context=_file_context,
        order=35,
    )
