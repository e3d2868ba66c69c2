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


def _certified(caregiver, on) -> bool:
    return bool(caregiver.certificate_number) and (
        caregiver.certificate_expires is None or caregiver.certificate_expires >= on
    )


def _certified_q(op, value, on):
    from django.db.models import Q

    held = Q(certificate_number__gt="") & (
        Q(certificate_expires__isnull=True) | Q(certificate_expires__gte=on)
    )
    return held if value else ~held


def register_facts() -> None:
    """Facts about a caregiver for the condition language (subsidy schemes paid to caregivers)."""
    from elders.conditions import _NUM_OPS, Fact, register_fact

    for fact in (
        Fact(
            "caregiver_skill_level",
            _("vocational skill level"),
            "int",
            _NUM_OPS | {"is_null"},
            value=lambda c, on: c.skill_level,
            lookup="skill_level",
            subject="caregiver",
        ),
        Fact(
            "caregiver_certified",
            _("holds a valid caregiver certificate"),
            "bool",
            frozenset({"eq"}),
            value=_certified,
            to_q=_certified_q,
            subject="caregiver",
        ),
        Fact(
            "caregiver_employed",
            _("employed"),
            "bool",
            frozenset({"eq"}),
            value=lambda c, on: c.active,
            lookup="active",
            subject="caregiver",
        ),
    ):
        register_fact(fact)


def register() -> None:
    from elders.file_sections import register_section

    register_facts()

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
