"""The assessment section of a policy pack (policy_packs/<city>/assessment.yaml)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from policies.grades import DEFAULT, GradeMapping, parse_grades
from policies.sections import policy_section, sourced
from policies.selectors import get_section

SECTION = "assessment"

# Groups a pack may say must hold a valid assessment (吉林: every institution resident and
# every subsidy recipient). Data for the facility and subsidy checks to read.
COVERAGE_GROUPS = ("institution_residents", "subsidy_recipients")


@dataclass(frozen=True)
class AssessmentSettings:
    interval_months: int
    two_assessors: bool
    stack_raises: bool
    care_levels: dict[int, str]  # ability grade -> 照料护理等级
    # Who may ask for an assessment (国家基本养老服务清单 and 东莞: 65 and over on request).
    on_request_min_age: int = 65
    # Results of 卫健/医保/残联 are recognised instead of assessing again (东莞: 互认).
    mutual_recognition: bool = True
    required_for: tuple[str, ...] = ()
    # The pack's one grade mapping: grade -> the standard's word and 自理 / 半失能 / 失能.
    grades: GradeMapping = DEFAULT


def defaults() -> AssessmentSettings:
    # National baseline: GB/T 42195-2022 grades; two assessors (MZ/T 039-2013); 12 months;
    # assessment for 65+ on request (国家基本养老服务清单).
    return AssessmentSettings(
        interval_months=12,
        two_assessors=True,
        stack_raises=False,
        care_levels=dict(DEFAULT.names),
    )


@policy_section(SECTION, defaults=defaults)
def parse(data: dict) -> AssessmentSettings:
    interval = sourced(data, "interval_months", section=SECTION, kind=int)
    if not 1 <= interval <= 60:
        raise ValidationError(_("'assessment.interval_months' must be between 1 and 60."))
    two = sourced(data, "two_assessors", section=SECTION, kind=bool)
    stack = sourced(data, "stack_raises", section=SECTION, kind=bool)
    raw_grades = sourced(data, "grades", section=SECTION, kind=dict, default=None)
    grades = parse_grades(raw_grades) if raw_grades else DEFAULT
    raw_levels = sourced(data, "care_levels", section=SECTION, kind=dict, default=None) or {}
    levels = dict(grades.names)
    for grade, label in raw_levels.items():
        if int(grade) not in range(5) or not isinstance(label, str):
            raise ValidationError(_("'assessment.care_levels' maps grades 0-4 to names."))
        levels[int(grade)] = label
    min_age = sourced(data, "on_request_min_age", section=SECTION, kind=int, default=65)
    if not 60 <= min_age <= 120:
        raise ValidationError(_("'assessment.on_request_min_age' must be between 60 and 120."))
    mutual = sourced(data, "mutual_recognition", section=SECTION, kind=bool, default=True)
    required = tuple(sourced(data, "required_for", section=SECTION, kind=list, default=None) or ())
    unknown = [g for g in required if g not in COVERAGE_GROUPS]
    if unknown:
        raise ValidationError(
            _("'assessment.required_for' has unknown groups: %(groups)s; known: %(known)s.")
            % {"groups": ", ".join(map(str, unknown)), "known": ", ".join(COVERAGE_GROUPS)}
        )
    return AssessmentSettings(interval, two, stack, levels, min_age, mutual, required, grades)


def assessment_settings(region_code: str) -> AssessmentSettings:
    return get_section(region_code, SECTION)
