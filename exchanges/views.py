"""Worker pages of the exchanges: the log with the upload form and the layouts, one exchange with
its rows, review and report. Thin views over selectors and services."""

from __future__ import annotations

from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.pages import object_or_404
from eldercare.spreadsheets import TemplateColumn, workbook_response
from eldercare.spreadsheets import template_workbook as template_workbook_bytes
from elders.workbooks import field_column

from . import rules, selectors, services
from .choices import Decision, Kind, Outcome
from .forms import ReceiveForm, ReviewForm
from .models import BulkLoad, Exchange, ExchangeRow, Via

# Digit strings a spreadsheet would turn into numbers: kept as text in the templates.
TEXT_COLUMNS = ("id_number", "community", "certificate")


def _errors(exc) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


def _layouts() -> list[dict]:
    return [{"kind": kind, "label": label, "columns": rules.columns(kind)} for kind, label in Kind.choices]


@login_required
@permission_required("exchanges.view_exchange", raise_exception=True)
def exchange_list(request):
    form = None
    if request.user.has_perm("exchanges.add_exchange"):
        form = ReceiveForm(
            request.POST or None, request.FILES or None, initial={"period": f"{timezone.localdate():%Y-%m}"}
        )
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                exchange = services.receive_exchange(
                    acting_user=request.user,
                    kind=form.cleaned_data["kind"],
                    content=upload.read(),
                    filename=upload.name,
                    source=form.cleaned_data["source"],
                    period=form.cleaned_data["period"],
                    via=Via.PAGE,
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, _errors(exc))
            else:
                return redirect("exchanges:detail", exchange.pk)
    elif request.method == "POST":
        raise PermissionDenied
    exchanges = selectors.exchanges_in_scope(request.user)[:200]
    return render(
        request, "exchanges/list.html", {"form": form, "exchanges": exchanges, "layouts": _layouts()}
    )


@login_required
@permission_required("exchanges.view_exchange", raise_exception=True)
def template_workbook(request, kind: str):
    if kind not in Kind.values:
        raise Http404
    columns = [
        TemplateColumn(c.header, c.required, str(c.help), c.values, text=c.key in TEXT_COLUMNS)
        for c in rules.columns(kind)
    ]
    notes = [
        _(
            "Fill in the first sheet: the first row holds the column names, do not change them; one person per row."
        ),
        _("Columns in red must be filled."),
    ]
    return workbook_response(
        template_workbook_bytes(Kind(kind).label, columns, notes=notes), f"exchange-{kind}.xlsx"
    )


@login_required
@permission_required("exchanges.view_exchangerow", raise_exception=True)
def exchange_detail(request, pk: int):
    exchange = object_or_404(request, Exchange.objects.select_related("region", "received_by"), pk=pk)
    rows = selectors.rows_in_scope(request.user, exchange)
    outcome = request.GET.get("outcome", "")
    if outcome in Outcome.values:
        rows = rows.filter(outcome=outcome)
    shown = [selectors.row_view(request.user, r) for r in rows[: selectors.ROWS_ON_PAGE]]
    return render(
        request,
        "exchanges/detail.html",
        {
            "exchange": exchange,
            "rows": shown,
            "outcome": outcome,
            "outcomes": Outcome.choices,
            "pending": selectors.rows_in_scope(request.user, exchange)
            .filter(decision=Decision.PENDING)
            .exists(),
            "report": selectors.report(request.user, exchange) if exchange.accepted else None,
            "capped": len(shown) == selectors.ROWS_ON_PAGE,
        },
    )


@login_required
@permission_required("exchanges.change_exchangerow", raise_exception=True)
@require_POST
def review(request, pk: int, row_pk: int):
    exchange = object_or_404(request, Exchange.objects.select_related("region", "received_by"), pk=pk)
    row = object_or_404(request, ExchangeRow.objects.filter(exchange=exchange), pk=row_pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Accept or reject."))
        return redirect("exchanges:detail", exchange.pk)
    decision = Decision.ACCEPTED if form.cleaned_data["decision"] == "accept" else Decision.REJECTED
    try:
        services.review_row(
            acting_user=request.user, row=row, decision=decision, comment=form.cleaned_data["comment"]
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _("Line %(line)d: %(error)s") % {"line": row.line, "error": _errors(exc)})
    else:
        messages.success(request, _("Line %(line)d: decision recorded.") % {"line": row.line})
    return redirect("exchanges:detail", exchange.pk)


@login_required
@permission_required("exchanges.change_exchangerow", raise_exception=True)
@require_POST
def accept_all(request, pk: int):
    exchange = object_or_404(request, Exchange.objects.select_related("region", "received_by"), pk=pk)
    from django.conf import settings

    from .tasks import accept_all_task

    if not request.user.has_perm("exchanges.change_exchangerow"):
        raise PermissionDenied
    # A city's list may hold thousands of changes: they are applied by a worker.
    job = accept_all_task.delay(exchange.pk, request.user.pk, request.POST.get("comment", "")[:300])
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        messages.info(request, _("The changes are being applied; the counts follow as they are."))
        return redirect("exchanges:detail", exchange.pk)
    try:
        result = job.get()
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(
            request,
            _("%(accepted)d changes accepted and applied; %(failed)d could not be applied.") % result,
        )
    return redirect("exchanges:detail", exchange.pk)


# --- registry loads at database speed ----------------------------------------------------------


@login_required
@permission_required("elders.import_elder", raise_exception=True)
def loads(request):
    from . import bulk
    from .forms import LoadForm

    form = LoadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            load = bulk.receive_load(
                acting_user=request.user,
                content=upload.read(),
                filename=upload.name,
                source=form.cleaned_data["source"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, _errors(exc))
        else:
            return redirect("exchanges:load", load.pk)
    rows = selectors.loads_in_scope(request.user)[:100]
    columns = [(label, code in bulk.REQUIRED) for code, label in bulk.column_labels().items()]
    return render(request, "exchanges/loads.html", {"form": form, "loads": rows, "columns": columns})


@login_required
@permission_required("elders.import_elder", raise_exception=True)
def load_detail(request, pk: int):
    from . import bulk

    load = object_or_404(request, BulkLoad.objects.select_related("region"), pk=pk)
    labels = bulk.column_labels()
    errors = [
        {"line": e.line, "field": labels.get(e.field, e.field), "message": e.message}
        for e in load.errors.order_by("line", "id")[: bulk.ERRORS_ON_PAGE]
    ]
    return render(
        request,
        "exchanges/load_detail.html",
        {"load": load, "errors": errors, "running": load.status in ("received", "checking", "loading")},
    )


@login_required
@permission_required("elders.import_elder", raise_exception=True)
@require_POST
def load_confirm(request, pk: int):
    from . import bulk

    load = object_or_404(request, BulkLoad.objects.select_related("region"), pk=pk)
    try:
        bulk.confirm_load(acting_user=request.user, load=load)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
    return redirect("exchanges:load", load.pk)


@login_required
@permission_required("elders.import_elder", raise_exception=True)
def load_errors(request, pk: int):
    from . import bulk

    load = object_or_404(request, BulkLoad.objects.select_related("region"), pk=pk)
    return workbook_response(bulk.errors_workbook(load), f"load-{load.pk}-errors.xlsx")


@login_required
@permission_required("elders.import_elder", raise_exception=True)
def load_template(request):
    """The bulk load's template: its columns, as the registry's fields describe them (the
    residence by its code alone, as the load reads it)."""
    from . import bulk

    columns = [field_column(name) for name in bulk.COLUMNS]
    columns = [
        replace(c, required=name in bulk.REQUIRED) for name, c in zip(bulk.COLUMNS, columns, strict=True)
    ]
    notes = [
        _(
            "Fill in the first sheet: the first row holds the column names, do not change them; one elder per row."
        ),
        _("Columns in red must be filled. Nothing is written until you confirm the good rows."),
    ]
    return workbook_response(
        template_workbook_bytes(_("Registry"), columns, notes=notes), "registry-load.xlsx"
    )
