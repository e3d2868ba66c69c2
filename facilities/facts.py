"""Facts about a facility for the condition language (subsidy schemes paid to facilities)."""

from django.utils.translation import gettext_lazy as _

from conditions import CHOICE_OPS, NUM_OPS, column_fact

from .choices import FacilityKind, FacilityStatus, Ownership

for name, column, label, choices in (
    ("facility_kind", "kind", _("facility kind"), FacilityKind.choices),
    ("facility_ownership", "ownership", _("facility ownership"), Ownership.choices),
    ("facility_status", "status", _("facility status"), FacilityStatus.choices),
):
    column_fact(name, column, label=label, kind="choice", ops=CHOICE_OPS, choices=choices, subject="facility")
column_fact(
    "facility_star", "star", label=_("star rating"), kind="int", ops=NUM_OPS | {"is_null"}, subject="facility"
)
column_fact("facility_beds", "beds", label=_("beds"), kind="int", ops=NUM_OPS, subject="facility")
column_fact(
    "facility_region",
    "region__code",
    attribute="region_id",
    label=_("facility region"),
    kind="region",
    ops={"under"},
    subject="facility",
)
