"""The visit lists as workbooks: the due list and the follow-ups. The list page's download and its
background job (above EXPORT_JOB_ROWS rows) build them with the same functions, so the columns,
the masking and the audit entry are the same whichever way the file comes."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.pages import row_urls
from core.scope import restrict
from eldercare.spreadsheets import streamed_workbook
from elders.filters import ElderFilterSet
from jobs.kinds import Outcome, job_kind
from regions.models import Region
from regions.scope import sees_personal_data

from . import selectors

RISK_LABELS = {
    "high_age": gettext_lazy("high age"),  # the pack's 高龄 age (registry.high_age)
    "alone": gettext_lazy("alone"),
    "severe_disability": gettext_lazy("severe disability"),
    "disabled": gettext_lazy("disabled"),
    "problem_last_time": gettext_lazy("problem last time"),
    "not_found_last_time": gettext_lazy("not found last time"),
    "never_visited": gettext_lazy("never visited"),
}
# Rows fetched per step of a download (each carries its risk facts: selectors.with_risk_facts).
BATCH = 2_000


def due_list(user, period: str, region_code: str = ""):
    """The month's due list, narrowed to one region of the account's (404 outside it)."""
    due = selectors.due_list(user, period)
    region = None
    if region_code:
        region = restrict(Region.objects.filter(code=region_code), user).first()
        if region is None:
            raise Http404(_("This region is outside your region of responsibility."))
        due = ElderFilterSet({"region": region.code}, queryset=due).qs  # as the API's `?region=`
    return due, region


def due_rows(elders) -> list[dict]:
    """A page of the due list as the page shows it: the links, the last visit's local date and the
    risk labels worked out once per row here, not by template tags (a page is 30 rows)."""
    file_url, visit_url = row_urls("elders:elder-detail"), row_urls("services:new")
    return [
        {
            "elder": e,
            "file_url": file_url(e.pk),
            "visit_url": visit_url(e.pk),
            "last_visit": timezone.localtime(e.last_visit_at).date().isoformat() if e.last_visit_at else "",
            "risks": [str(RISK_LABELS[m]) for m in selectors.risk_marks(e)],
        }
        for e in elders
    ]


def due_export(user, due, period: str, region=None, progress=None) -> Outcome:
    unmasked = sees_personal_data(user)
    total = max(1, due.count()) if progress is not None else 1
    headings = [_("Name"), _("Sex"), _("Age"), _("Community"), _("Phone"), _("Last visit"), _("Risks")]
    count = [0]

    def lines():
        for e in due.iterator(BATCH):
            count[0] += 1
            if progress is not None and count[0] % 500 == 0:
                progress(100 * count[0] / total)
            yield [
                e.name,
                e.get_sex_display(),
                e.age,
                e.residence.name,
                e.phone if unmasked else e.masked_phone,
                timezone.localtime(e.last_visit_at).date().isoformat()
                if e.last_visit_at
                else str(_("never visited")),
                "、".join(str(RISK_LABELS[m]) for m in selectors.risk_marks(e)),
            ]

    content = streamed_workbook(_("Due visits"), headings, lines())
    return Outcome(
        content=content,
        filename=f"due-{period}{'-' + region.code if region else ''}.xlsx",
        what=_("due visits %(period)s") % {"period": period},
        rows=count[0],
        unmasked=unmasked,
        result={"rows": count[0]},
    )


def follow_ups_list(user, overdue: bool):
    if overdue:
        return selectors.overdue_follow_ups(user, timezone.localdate())
    return selectors.open_follow_ups(user)


def follow_ups_export(user, rows, overdue: bool, progress=None) -> Outcome:
    """Who, what problem, found when and by whom, due when: no personal numbers to mask."""
    total = max(1, rows.count()) if progress is not None else 1
    headings = [
        _("Name"),
        _("Community"),
        _("Problem"),
        _("Found on"),
        _("Found by"),
        _("Due on"),
        _("Notes"),
    ]
    count = [0]

    def lines():
        for f in rows.select_related("elder__residence", "visit__visitor").iterator(BATCH):
            count[0] += 1
            if progress is not None and count[0] % 500 == 0:
                progress(100 * count[0] / total)
            yield [
                f.elder.name,
                f.elder.residence.name,
                f.get_problem_display(),
                timezone.localtime(f.visit.visited_at).date().isoformat() if f.visit else "",
                f.visit.visitor.get_username() if f.visit and f.visit.visitor else "",
                f.due_on.isoformat() if f.due_on else "",
                f.visit.notes if f.visit else "",
            ]

    title = _("Overdue follow-ups") if overdue else _("Open follow-ups")
    content = streamed_workbook(title, headings, lines())
    return Outcome(
        content=content,
        filename=f"follow-ups{'-overdue' if overdue else ''}.xlsx",
        what="",  # names and problems, no personal numbers: not an export the audit log keeps
        rows=count[0],
        unmasked=False,
        result={"rows": count[0]},
    )


def _summary(result: dict) -> list[tuple[str, int]]:
    return [(_("Rows"), result.get("rows", 0))]


@job_kind("services.due", label=gettext_lazy("Due visits export"), summary=_summary, back="services:due")
def run_due_export(job, progress) -> Outcome:
    period = job.params["period"]
    due, region = due_list(job.owner, period, job.params.get("region", ""))
    return due_export(job.owner, due, period, region, progress)


@job_kind(
    "services.follow_ups",
    label=gettext_lazy("Follow-ups export"),
    summary=_summary,
    back="services:follow-ups",
)
def run_follow_ups_export(job, progress) -> Outcome:
    overdue = bool(job.params.get("overdue"))
    return follow_ups_export(job.owner, follow_ups_list(job.owner, overdue), overdue, progress)
