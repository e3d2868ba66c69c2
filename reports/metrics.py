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
    "subsidy_unclaimed": (
        _("Eligible but not receiving (应享未享)"),
        "count",
        _(
            "Registered elders who meet an active scheme's conditions at the end of the month but hold no "
            "live entitlement to it, summed over the schemes."
        ),
    ),
    "residents_assessed": (
        _("Assessment coverage of institution residents"),
        "rate",
        _("Elders living in a facility at the end of the month who hold a valid ability assessment."),
    ),
    "street_centre_coverage": (
        _("Streets and towns with a comprehensive centre"),
        "rate",
        _(
            "Streets and towns with an operating comprehensive (or county) elder-care centre, over all of them."
        ),
    ),
    "community_facility_coverage": (
        _("Urban communities with a day-care centre or station"),
        "rate",
        _("Urban communities with an operating day-care centre or home-care station, over all of them."),
    ),
    "rural_mutual_aid_coverage": (
        _("Villages with a mutual-aid point"),
        "rate",
        _("Rural villages with an operating mutual-aid point (幸福院), over all of them."),
    ),
    "beds_per_1000": (
        _("Beds per 1,000 elders"),
        "per1000",
        _("Beds of operating facilities in the region per 1,000 registered elders."),
    ),
    "nursing_bed_share": (
        _("Nursing-bed share"),
        "rate",
        _("Nursing beds over all beds of operating facilities."),
    ),
    "public_private_share": (
        _("Public institutions run as 公建民营"),
        "rate",
        _("Publicly built, privately run residential facilities over all public residential facilities."),
    ),
    "day_care_centres": (_("Day-care centres"), "count", _("Operating community day-care centres.")),
    "home_care_stations": (_("Home-care stations"), "count", _("Operating home-care service stations.")),
    "canteens": (_("Elder canteens"), "count", _("Operating elder canteens and meal points.")),
    "mutual_aid_points": (_("Mutual-aid points"), "count", _("Operating rural mutual-aid points.")),
    "street_centres": (
        _("Comprehensive centres"),
        "count",
        _("Operating street/town comprehensive and county elder-care centres."),
    ),
    "star_rated_1": (
        _("Facilities rated 1 star"),
        "count",
        _("Operating facilities by their latest star rating."),
    ),
    "star_rated_2": (
        _("Facilities rated 2 stars"),
        "count",
        _("Operating facilities by their latest star rating."),
    ),
    "star_rated_3": (
        _("Facilities rated 3 stars"),
        "count",
        _("Operating facilities by their latest star rating."),
    ),
    "star_rated_4": (
        _("Facilities rated 4 stars"),
        "count",
        _("Operating facilities by their latest star rating."),
    ),
    "star_rated_5": (
        _("Facilities rated 5 stars"),
        "count",
        _("Operating facilities by their latest star rating."),
    ),
    "family_care_beds": (
        _("Family care beds"),
        "count",
        _("Family care beds in service at the end of the month, by the elder's community."),
    ),
}

# Per-scheme figures are "<metric>.<scheme code>" (e.g. subsidy_amount.JL_CARE): same kind and
# definition as the metric before the dot.
PER_SCHEME = ("subsidy_recipients", "subsidy_amount", "subsidy_unclaimed")


def metric_kind(code: str) -> str:
    return METRICS[code.split(".", 1)[0]][1]


def metric_label(code: str) -> str:
    base, _dot, scheme = code.partition(".")
    label = str(METRICS[base][0])
    return f"{label} · {scheme}" if scheme else label
