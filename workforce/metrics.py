"""The workforce's monthly figures: training and elder-care advisers (registered with
reports.metrics where they are defined; the monthly job computes them)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from facilities.choices import RESIDENTIAL_KINDS
from facilities.selectors import operating_on
from reports.metrics import Figures, Month, _by_village, declare, metrics
from services.models import Caregiver

from .choices import CARE_TRAINING, Audience
from .models import Adviser, TrainingSession


@metrics(
    declare(
        "certified_caregivers_per_10k",
        _("Certified caregivers per 10,000 elders"),
        "per10k",
        _(
            "Employed caregivers of filed providers with a certificate valid at the end of the month, per 10,000 registered elders."
        ),
        sheet="workforce",
    ),
    declare(
        "caregivers_qualified_share",
        _("Caregivers with a vocational skill level"),
        "rate",
        _(
            "Employed caregivers of filed providers holding a vocational skill level (level 5, junior, or above)."
        ),
        sheet="workforce",
    ),
    declare(
        "caregivers_trained_share",
        _("Caregivers trained in the last three years"),
        "rate",
        _(
            "Employed caregivers of filed providers named on a caregivers' training that ended in the last 36 months."
        ),
        sheet="workforce",
    ),
)
def caregiver_qualifications(month: Month) -> dict[str, Figures]:
    since = date(month.last.year - 3, month.last.month, 1)
    trained = TrainingSession.caregivers.through.objects.filter(
        caregiver_id=OuterRef("pk"),
        trainingsession__ends_on__gte=since,
        trainingsession__ends_on__lte=month.last,
    )
    carers = Caregiver.objects.filter(active=True, provider__filing_status="filed").alias(
        trained=Exists(trained)
    )
    certified: Figures = {}
    qualified: Figures = {}
    recent: Figures = {}
    for code, row in _by_village(
        carers,
        "provider__region_id",
        n=Count("id"),
        certified=Count("id", filter=Q(certificate_expires__gte=month.last) & ~Q(certificate_number="")),
        qualified=Count("id", filter=Q(skill_level__isnull=False)),
        trained=Count("id", filter=Q(trained=True)),
    ).items():
        certified[code] = (row["certified"], 0)
        qualified[code] = (row["qualified"], row["n"])
        recent[code] = (row["trained"], row["n"])
    return {
        "certified_caregivers_per_10k": month.per_elder(certified),
        "caregivers_qualified_share": qualified,
        "caregivers_trained_share": recent,
    }


@metrics(
    declare(
        "training_person_times",
        _("Care training person-times"),
        "count",
        _(
            "Person-times of caregiver, medical care worker and family caregiver training that ended in the month."
        ),
        sheet="workforce",
    ),
    declare(
        "caregiver_training_person_times",
        _("Caregiver training person-times"),
        "count",
        _("Person-times of caregiver training that ended in the month."),
        sheet="workforce",
    ),
    declare(
        "family_training_households",
        _("Households reached by family caregiver training"),
        "count",
        _("Households of family caregiver training that ended in the month."),
        sheet="workforce",
    ),
    declare(
        "institution_heads_trained_share",
        _("Institutions whose head was trained this year"),
        "rate",
        _(
            "Operating residential facilities named on a training of institution heads that ended between 1 January "
            "and the end of the month, over all of them."
        ),
        sheet="workforce",
    ),
)
def training(month: Month) -> dict[str, Figures]:
    ended = TrainingSession.objects.filter(ends_on__gte=month.first, ends_on__lte=month.last)
    rows = _by_village(
        ended,
        "region_id",
        care=Coalesce(Sum("person_times", filter=Q(audience__in=CARE_TRAINING)), 0),
        carers=Coalesce(Sum("person_times", filter=Q(audience=Audience.CAREGIVERS)), 0),
        households=Coalesce(Sum("households", filter=Q(audience=Audience.FAMILY_CARERS)), 0),
    )
    heads = TrainingSession.facilities.through.objects.filter(
        facility_id=OuterRef("pk"),
        trainingsession__audience=Audience.INSTITUTION_HEADS,
        trainingsession__ends_on__gte=date(month.last.year, 1, 1),
        trainingsession__ends_on__lte=month.last,
    )
    institutions = (
        operating_on(month.last)
        .filter(kind__in=RESIDENTIAL_KINDS)
        .filter(month.under_cities("region__code"))
        .alias(trained=Exists(heads))
    )
    return {
        "training_person_times": {c: (r["care"], None) for c, r in rows.items() if r["care"]},
        "caregiver_training_person_times": {c: (r["carers"], None) for c, r in rows.items() if r["carers"]},
        "family_training_households": {
            c: (r["households"], None) for c, r in rows.items() if r["households"]
        },
        "institution_heads_trained_share": {
            code: (row["trained"], row["n"])
            for code, row in _by_village(
                institutions, "region_id", n=Count("id"), trained=Count("id", filter=Q(trained=True))
            ).items()
        },
    }


@metrics(
    declare(
        "town_advisers",
        _("Elder-care advisers at streets and towns"),
        "count",
        _("Elder-care advisers in post at the end of the month who are posted to a street or town itself."),
        sheet="workforce",
    ),
    declare(
        "village_advisers",
        _("Elder-care advisers at communities and villages"),
        "count",
        _("Elder-care advisers in post at the end of the month who are posted to a community or village."),
        sheet="workforce",
    ),
)
def advisers(month: Month) -> dict[str, Figures]:
    in_post = Adviser.objects.filter(appointed_on__lte=month.last).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=month.last)
    )
    out: dict[str, Figures] = {"town_advisers": {}, "village_advisers": {}}
    for row in in_post.values("region_id", "region__level").annotate(n=Count("id")).order_by():
        metric = "town_advisers" if row["region__level"] == "town" else "village_advisers"
        out[metric][row["region_id"]] = (row["n"], None)
    return out
