"""应享未享 as a workbook: the page's download and its background job (above EXPORT_JOB_ROWS)
build it with the same columns as the page, masked the same, audited the same."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.scope import restrict
from eldercare.spreadsheets import streamed_workbook
from jobs.kinds import Outcome, job_kind
from regions.models import Region
from regions.scope import sees_personal_data

from . import selectors


def unclaimed_columns(unmasked: bool) -> list[tuple[str, object]]:
    """The list's columns, the same on the page and in the workbook; personal data masked for a
    role without the right to it."""
    return [
        (_("Name"), lambda e: e.name),
        (_("Sex"), lambda e: e.get_sex_display()),
        (_("Age"), lambda e: e.age),
        (_("Community"), lambda e: e.residence.name),
        (_("Economic status"), lambda e: e.get_economic_status_display()),
        (_("Living arrangement"), lambda e: e.get_living_arrangement_display()),
        (_("ID number"), (lambda e: e.id_number) if unmasked else (lambda e: e.masked_id_number)),
        (_("Phone"), (lambda e: e.phone) if unmasked else (lambda e: e.masked_phone)),
    ]


def unclaimed_export(user, scheme, region, rows, progress=None) -> Outcome:
    unmasked = sees_personal_data(user)
    columns = unclaimed_columns(unmasked)
    total = max(1, rows.count()) if progress is not None else 1
    written = [0]

    def lines():
        for elder in rows.iterator(chunk_size=2000):
            written[0] += 1
            if progress is not None and written[0] % 500 == 0:
                progress(100 * written[0] / total)
            yield [value(elder) for _heading, value in columns]

    content = streamed_workbook(_("Unclaimed"), [heading for heading, _value in columns], lines())
    return Outcome(
        content=content,
        filename=f"unclaimed-{scheme.code}-{region.code}.xlsx",
        what=_("unclaimed %(scheme)s") % {"scheme": scheme.name},
        rows=written[0],
        unmasked=unmasked,
        result={"rows": written[0]},
    )


def _summary(result: dict) -> list[tuple[str, int]]:
    return [(_("Rows"), result.get("rows", 0))]


@job_kind("reports.unclaimed", label=gettext_lazy("Unclaimed export"), summary=_summary, back="reports:unclaimed")
def run_unclaimed_export(job, progress) -> Outcome:
    scheme = selectors.unclaimed_schemes().filter(code=job.params["scheme"]).first()
    region = restrict(Region.objects.filter(code=job.params["region"]), job.owner).first()
    if scheme is None or region is None:
        raise ValidationError(_("The scheme or the region of this export is no longer available."))
    rows = selectors.unclaimed_elders(job.owner, scheme, region, timezone.localdate())
    return unclaimed_export(job.owner, scheme, region, rows, progress)
