"""How assessments plug into the rest: the `ability_grade` fact and the elder file section."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _grade_value(elder, on):
    from .selectors import current_grade

    found = current_grade(elder, on)
    return None if found is None else found.grade


def _file_context(request, elder) -> dict:
    from regions.scope import restrict

    from .models import Assessment, AssessmentRequest
    from .policy import assessment_settings
    from .rules import grade_label
    from .selectors import current_grade

    today = timezone.localdate()
    current = current_grade(elder, today)
    levels = assessment_settings(elder.residence_id).care_levels
    history = list(
        restrict(Assessment.objects.filter(elder=elder), request.user).select_related(
            "created_by", "confirmed_by"
        )[:20]
    )
    return {
        "current": current,
        "current_label": grade_label(current.grade) if current else "",
        "care_level": levels.get(current.grade, "") if current else "",
        "history": history,
        "recognised": list(elder.recognised_results.all()[:10]),
        "open_request": AssessmentRequest.objects.filter(elder=elder, status="open").first(),
        "today": today,
    }


def register() -> None:
    from elders.conditions import _NUM_OPS, Fact, register_fact
    from elders.file_sections import register_section

    from .selectors import alias_grade

    register_fact(
        Fact(
            "ability_grade",
            _("ability grade"),
            "int",
            _NUM_OPS | {"is_null"},
            value=_grade_value,
            lookup="ability_grade",
            annotate=alias_grade,
        )
    )
    register_section(
        "assessments",
        title=_("Ability assessment (GB/T 42195-2022)"),
        template="assessments/file_section.html",
        context=_file_context,
        order=30,
    )
