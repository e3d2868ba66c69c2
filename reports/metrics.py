"""The metrics the monthly job computes, with their definitions (shown in the dashboard)."""

from django.utils.translation import gettext_lazy as _

# metric code -> (label, kind, definition). Kind "rate" values are percentages of numerator
# over denominator; "count" values are the numerator itself.
METRICS: dict[str, tuple] = {
    "visit_rate": (
        _("Monthly visit rate"),
        "rate",
        _(
            "Elders of the visit target group registered at the end of the month (the frozen list) with at "
            "least one visit in the month that the pack counts, over all of them. A 'did not see the elder' "
            "visit does not count."
        ),
    ),
    "visit_target_group": (_("Elders in the visit target group"), "count", _("The month's frozen list.")),
    "target_alone": (_("Target group: living alone"), "count", _("Of the frozen list.")),
    "target_empty_nest": (_("Target group: empty nest"), "count", _("Of the frozen list.")),
    "target_left_behind": (_("Target group: left behind"), "count", _("Of the frozen list.")),
    "target_severe_disability": (_("Target group: severe disability"), "count", _("Of the frozen list.")),
    "target_family_planning_special": (
        _("Target group: family-planning special family"),
        "count",
        _("Of the frozen list."),
    ),
    "visits_home": (_("Visits at home"), "count", _("All visits recorded in the month.")),
    "visits_phone": (_("Visits by phone"), "count", _("All visits recorded in the month.")),
    "visits_video": (_("Visits by video"), "count", _("All visits recorded in the month.")),
    "visits_normal": (_("Visits: normal"), "count", _("All visits recorded in the month.")),
    "visits_problem": (_("Visits: problem found"), "count", _("All visits recorded in the month.")),
    "visits_not_found": (_("Visits: elder not seen"), "count", _("All visits recorded in the month.")),
    "registered_elders": (_("Registered elders"), "count", _("Registered at the end of the month.")),
    "assessment_coverage": (
        _("Assessment coverage"),
        "rate",
        _("Registered elders with a valid ability assessment (own or recognised) at the end of the month."),
    ),
    "grade_0": (_("Grade: intact"), "count", _("Registered elders by their valid grade.")),
    "grade_1": (_("Grade: mild impairment"), "count", _("Registered elders by their valid grade.")),
    "grade_2": (_("Grade: moderate impairment"), "count", _("Registered elders by their valid grade.")),
    "grade_3": (_("Grade: severe impairment"), "count", _("Registered elders by their valid grade.")),
    "grade_4": (_("Grade: complete impairment"), "count", _("Registered elders by their valid grade.")),
    "care_home": (
        _("9073: cared for at home"),
        "rate",
        _("Registered elders not in an institution and without a service record in the month."),
    ),
    "care_community": (
        _("9073: community services"),
        "rate",
        _("Registered elders not in an institution with at least one service record in the month."),
    ),
    "care_institution": (
        _("9073: in an institution"),
        "rate",
        _("Registered elders living in an institution."),
    ),
    "caregivers_per_10k": (
        _("Caregivers per 10,000 elders"),
        "per10k",
        _("Caregivers employed by filed providers of the region, per 10,000 registered elders."),
    ),
    "caregivers_certified": (
        _("Certified caregivers"),
        "rate",
        _("Share of employed caregivers with a certificate valid at the end of the month."),
    ),
    "subsidy_recipients": (
        _("Subsidy recipients"),
        "count",
        _("Elders with at least one payment for the month (returned payments excluded)."),
    ),
    "subsidy_amount": (
        _("Subsidy paid (yuan)"),
        "money",
        _("Payments for the month; the numerator is in fen, the value in yuan."),
    ),
    "recipients_assessed": (
        _("Assessment coverage of subsidy recipients"),
        "rate",
        _("Elders with a live entitlement at the end of the month who hold a valid ability assessment."),
    ),
}
