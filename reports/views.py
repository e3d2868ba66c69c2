"""The leaders' dashboard and the month's report (printable page and Excel workbook)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from audit.choices import AccessAction
from audit.services import record_access
from core.admin import CappedCountPaginator
from core.scope import in_scope
from eldercare.db import reads_from_replica
from eldercare.pdf import pdf_response
from eldercare.spreadsheets import append_row, workbook_bytes, workbook_response
from jobs.pages import export
from policies.grades import LEVELS, grade_mapping
from regions.scope import sees_personal_data, user_region_code
from services.policy import visit_settings
from subsidies.models import Scheme

from . import pdf, selectors, workbooks
from .dashboard import cached_html, dashboard_part, dashboard_parts
from .metrics import CARDS, METRICS, SHEETS, metric_label

# A community's own month (its elders and visits, read from the live rows at most a minute ago), in
# place of sub-regions it has not.
dashboard_part("community", template="reports/_community.html", order=5, seconds=60)(
    selectors.community_month
)


def _region_period_ancestors(request):
    code = request.GET.get("region") or user_region_code(request.user) or "330300000000"
    # The scope check is the code-prefix test restrict() makes; the region itself is cached.
    region, ancestors = selectors.region_with_ancestors(code) if in_scope(request.user, code) else (None, [])
    if region is None:
        raise Http404(_("This region is outside your region of responsibility."))
    period = request.GET.get("period") or selectors.latest_period(request.user, region)
    return region, period, [r for r in ancestors if in_scope(request.user, r.code)]


def _region_and_period(request):
    region, period, _ancestors = _region_period_ancestors(request)
    return region, period


# A cached body outlives no statistics run or pack load (both are in its key); this only bounds
# how long a scheme renamed in the admin keeps its old name on the page.
BODY_SECONDS = 15 * 60


def _context(request, region, period):
    figures = selectors.figures(request.user, region, period) if period else {}
    children = selectors.by_child(request.user, region, period, "visit_rate") if period else []
    trend = selectors.trend(request.user, region, "visit_rate")
    target = visit_settings(region.code).target_rate
    mapping = grade_mapping(region.code)
    rows = [
        {
            "code": m.code,
            "label": m.label,
            "kind": m.kind,
            "definition": m.definition,
            "stat": figures.get(m.code),
        }
        for m in METRICS.values()
    ]
    return {
        "cards": _cards(figures),
        "stars": [
            (n, figures[f"star_rated_{n}"].numerator if f"star_rated_{n}" in figures else 0)
            for n in range(1, 6)
        ],
        "schemes": _scheme_rows(figures),
        "region": region,
        "period": period,
        "figures": figures,
        "rows": rows,
        "children": children,
        "worst": children[0][0].code if children else None,
        "trend": trend,
        "target": target,
        "run": selectors.freshness(period) if period else None,
        "chart": {
            "period": period,
            "trend": {"periods": [s.period for s in trend], "values": [float(s.value) for s in trend]},
            "children": {
                "names": [r.name for r, _s in children],
                "codes": [r.code for r, _s in children],
                "values": [float(s.value) for _r, s in children],
            },
            "care": [
                {"name": str(METRICS[m].label), "value": figures[m].numerator}
                for m in ("care_home", "care_community", "care_institution")
                if m in figures
            ],
            "grades": [figures[f"grade_{g}"].numerator if f"grade_{g}" in figures else 0 for g in range(5)],
            # Each grade with the word of the standard and the self-care level the pack maps it to.
            "grade_names": [f"{mapping.names[g]}（{LEVELS[mapping.levels[g]]}）" for g in range(5)],
            "target": target,
        },
    }


def _cards(figures: dict) -> list[dict]:
    """The dashboard's panels of metric cards, each with the month's figures of its metrics."""
    panels = []
    for key, title in CARDS.items():
        cards = [
            {
                "code": m.code,
                "label": m.label,
                "kind": m.kind,
                "definition": m.definition,
                "stat": figures[m.code],
            }
            for m in METRICS.values()
            if m.card == key and m.code in figures
        ]
        if cards:
            panels.append({"key": key, "title": title, "cards": cards})
    return panels


def _scheme_rows(figures: dict) -> list[dict]:
    """Recipients, amount and 应享未享 per scheme, from the per-scheme figures of the month."""
    per_scheme = tuple(f"{m.code}." for m in METRICS.values() if m.per_scheme)
    codes = sorted({m.split(".", 1)[1] for m in figures if m.startswith(per_scheme)})
    names = dict(Scheme.objects.filter(code__in=codes).values_list("code", "name"))
    return [
        {
            "code": code,
            "name": names.get(code, code),
            "recipients": figures.get(f"subsidy_recipients.{code}"),
            "amount": figures.get(f"subsidy_amount.{code}"),
            "unclaimed": figures.get(f"subsidy_unclaimed.{code}"),
        }
        for code in codes
    ]


def _cached(request, template: str, region, period) -> str:
    """The figures of a region and month rendered once per statistics run, language and pack
    version: they are the same for everyone allowed to see the region, so a leader's page costs a
    handful of indexed lookups whatever the size of the city."""
    return cached_html(
        f"dashboard:{template}:{region.code}:{period}:{selectors.figures_version()}",
        BODY_SECONDS,
        lambda: render_to_string(template, _context(request, region, period), request=request),
    )


@login_required
@permission_required("reports.view_monthlystat", raise_exception=True)
@reads_from_replica
def dashboard(request):
    region, period, ancestors = _region_period_ancestors(request)
    return render(
        request,
        "reports/dashboard.html",
        {
            "region": region,
            "period": period,
            "ancestors": ancestors,
            # Parts other apps add (the plan's targets and where its tasks stand), outside the
            # cached figures: each cached until its version changes or for the seconds it allows.
            "parts": dashboard_parts(request, region, timezone.localdate()),
            "body": _cached(request, "reports/_dashboard_body.html", region, period) if period else "",
        },
    )


@login_required
@permission_required("reports.view_monthlystat", raise_exception=True)
@reads_from_replica
def printable(request):
    region, period = _region_and_period(request)
    return HttpResponse(_cached(request, "reports/printable.html", region, period))


@login_required
@permission_required("reports.view_monthlystat", raise_exception=True)
@reads_from_replica
def report_pdf(request):
    """The month's report to print, sign and seal: the same region, month and figures as the
    printable page."""
    region, period = _region_and_period(request)
    content = pdf.month_report(request, _context(request, region, period))
    name = _("Monthly report %(name)s %(period)s.pdf") % {"name": region.name, "period": period or ""}
    return pdf_response(content, name, f"report-{region.code}-{period or 'none'}.pdf")


@login_required
@permission_required("reports.view_monthlystat", raise_exception=True)
@reads_from_replica
def workbook(request):
    """The month's report as Excel: one sheet per section, Chinese headings, region codes."""
    region, period = _region_and_period(request)
    stats = selectors.stats_in_scope(request.user).filter(
        period=period, region__code__startswith=region.prefix
    )
    by_metric: dict[str, list] = {}
    for s in stats.select_related("region").order_by("region_id"):
        by_metric.setdefault(s.metric, []).append(s)
    # Each metric stands on the sheet its declaration names; per-scheme figures follow the
    # metrics of their sheet.
    sections: dict[str, list[str]] = {key: [] for key in SHEETS}
    for m in METRICS.values():
        sections[m.sheet].append(m.code)
    for code in sorted(c for c in by_metric if "." in c):
        sections[METRICS[code.split(".", 1)[0]].sheet].append(code)
    book = Workbook()
    book.remove(book.active)
    for key, metrics in sections.items():
        sheet = book.create_sheet(str(SHEETS[key]))
        append_row(
            sheet,
            [
                _("Period"),
                _("Region code"),
                _("Region"),
                _("Metric"),
                _("Numerator"),
                _("Denominator"),
                _("Value"),
            ],
        )
        for metric in metrics:
            for s in by_metric.get(metric, []):
                append_row(
                    sheet,
                    [
                        s.period,
                        s.region_id,
                        s.region.name,
                        metric_label(metric),
                        s.numerator,
                        s.denominator,
                        s.value,
                    ],
                )
    return workbook_response(workbook_bytes(book), f"report-{region.code}-{period}.xlsx")


UNCLAIMED_PAGE = 50


@login_required
@permission_required("reports.view_monthlystat", raise_exception=True)
@reads_from_replica
def unclaimed(request):
    """应享未享 as a page: the elders behind the dashboard's number for one scheme and region,
    counted (共 N 人), paged, and exported to Excel; masked for leaders, every read audited."""
    region, period = _region_and_period(request)
    schemes = list(selectors.unclaimed_schemes())
    scheme = next(
        (s for s in schemes if s.code == request.GET.get("scheme")), schemes[0] if schemes else None
    )
    if scheme is None:
        raise Http404(_("No active subsidy scheme for elders."))
    on = timezone.localdate()
    rows = selectors.unclaimed_elders(request.user, scheme, region, on)
    unmasked = sees_personal_data(request.user)
    columns = workbooks.unclaimed_columns(unmasked)
    if request.GET.get("format") == "xlsx":
        return export(
            request,
            rows,
            kind="reports.unclaimed",
            params={"scheme": scheme.code, "region": region.code},
            build=lambda: workbooks.unclaimed_export(request.user, scheme, region, rows),
        )
    paginator = CappedCountPaginator(rows, UNCLAIMED_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    record_access(
        user=request.user,
        action=AccessAction.LIST_READ,
        what=_("unclaimed %(scheme)s") % {"scheme": scheme.name},
        rows=len(page.object_list),
        unmasked=unmasked,
        request=request,
    )
    figure = (
        selectors.figures(request.user, region, period).get(f"subsidy_unclaimed.{scheme.code}")
        if period
        else None
    )
    return render(
        request,
        "reports/unclaimed.html",
        {
            "region": region,
            "period": period,
            "scheme": scheme,
            "schemes": schemes,
            "page": page,
            "count": paginator.count,
            "capped": paginator.capped,
            "headings": [heading for heading, _value in columns],
            "table": [[value(e) for _heading, value in columns] for e in page.object_list],
            "figure": figure,
            "on": on,
        },
    )
