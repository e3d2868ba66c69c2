"""The registry's workbooks: the import template and the error report of an import.

The template's columns are the import's (elders.fields.EXCEL without what the ID number decides
and what only the status decision sets), headed, described and offered as the import reads them,
so the template and the import cannot disagree.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.scope import restrict
from eldercare.spreadsheets import (
    SafeXLSX,
    TemplateColumn,
    marked_workbook,
    streamed_workbook,
    template_workbook,
)
from jobs.kinds import Outcome, job_kind
from regions.choices import Level
from regions.models import Region
from regions.scope import sees_personal_data

from . import fields as elder_fields
from . import services
from .filters import registry_list
from .models import Elder
from .resources import ElderResource

# Above this many communities the residence column has no drop-down (a province's account):
# the instruction sheet still says what goes in it.
RESIDENCE_CHOICES_MAX = 20_000


def import_field_names() -> tuple[str, ...]:
    """The columns a registry import reads, in the sheet's order."""
    return tuple(n for n in elder_fields.EXCEL if n not in elder_fields.DERIVED + elder_fields.DECIDED)


def _residences(user) -> tuple[str, ...]:
    villages = restrict(Region.objects.filter(level=Level.VILLAGE), user).order_by("code")
    rows = list(villages.values_list("code", "name")[: RESIDENCE_CHOICES_MAX + 1])
    if len(rows) > RESIDENCE_CHOICES_MAX:
        return ()
    return tuple(f"{code} {name}" for code, name in rows)


def field_column(name: str, user=None) -> TemplateColumn:
    """The template column of an elder's field; the residence's drop-down lists the communities
    of `user`'s region (none without a user: a path that reads only the code)."""
    field = Elder._meta.get_field(name)
    required = not field.blank and not field.has_default()
    heading = str(field.verbose_name)
    if name == "id_number":
        return TemplateColumn(
            heading,
            required,
            _("18 characters; a file with this ID number already in the registry is updated."),
            text=True,
        )
    if isinstance(field, models.ForeignKey):
        values = _residences(user) if name == "residence" and user is not None else ()
        return TemplateColumn(
            heading,
            required,
            _("12-digit code of the community or village (choose from the list: the code and its name).")
            if values
            else _("12-digit code of the community or village."),
            values,
            text=True,
        )
    if field.choices:
        return TemplateColumn(
            heading,
            required,
            _("Choose from the list."),
            tuple(str(label) for _code, label in field.choices),
        )
    if isinstance(field, models.BooleanField):
        return TemplateColumn(heading, required, _("是 or 否; empty is 否."), (str(_("Yes")), str(_("No"))))
    if isinstance(field, models.DateField):
        return TemplateColumn(heading, required, _("A date such as 2026-11-03; empty is today."))
    if name == "phone":
        return TemplateColumn(heading, required, _("Mobile or landline number."), text=True)
    return TemplateColumn(heading, required, str(field.help_text) or _("Text."))


def import_columns(user) -> list[TemplateColumn]:
    return [field_column(name, user) for name in import_field_names()]


def import_template(user) -> bytes:
    """The registry import's template for `user`: the communities of its region in the drop-down."""
    return template_workbook(
        _("Registry"),
        import_columns(user),
        notes=[
            _(
                "Fill in the first sheet: the first row holds the column names, do not change them; one elder per row."
            ),
            _("Columns in red must be filled. A file whose ID number is already in the registry is updated."),
            _(
                "If any row is wrong nothing is written: the error report marks the rows and cells to correct."
            ),
        ],
    )


def error_report(headings: list, rows, errors: list[dict]) -> bytes:
    """The uploaded rows as sent (`headings` as the file had them: the import rewrites a
    dataset's to codes), the bad ones marked, with the field and message of each error.

    `errors` are the import's ({"line": sheet line, "field": field code or "", "message": text});
    the heading is line 1, so line n is the n - 2nd of `rows`.
    """
    names = {f.name: str(f.verbose_name) for f in Elder._meta.fields}
    # The column of each field, whatever heading the file used for it (Chinese, English, code).
    keys = ElderResource()._heading_keys()
    column_of = {keys.get(str(h or "").strip().lower()): i for i, h in enumerate(headings)}
    marks: dict[int, dict[int | None, list[str]]] = {}
    for error in errors:
        column = column_of.get(error["field"]) if error["field"] else None
        label = names.get(error["field"], "") if error["field"] else ""
        text = f"{label}：{error['message']}" if label else str(error["message"])
        marks.setdefault(error["line"] - 2, {}).setdefault(column, []).append(text)
    return marked_workbook(_("Errors"), headings, rows, marks)


# --- the registry's background jobs ----------------------------------------------------------

XLSX_NAMES = (".xlsx",)


def read_upload(content: bytes):
    """The uploaded workbook as the import reads it (its first sheet, headings on line 1)."""
    try:
        dataset = SafeXLSX().create_dataset(content)
    except Exception:  # noqa: BLE001 - any unreadable workbook is the same answer to the sender
        raise ValidationError(
            {"file": _("This file could not be read as an Excel workbook (.xlsx); save it again as .xlsx.")}
        ) from None
    if not dataset.headers:
        raise ValidationError({"file": _("The file is empty.")})
    return dataset


def _import_summary(result: dict) -> list[tuple[str, int]]:
    return [
        (_("Rows in the file"), result.get("total", 0)),
        (_("Files created"), result.get("created", 0)),
        (_("Files updated"), result.get("updated", 0)),
    ]


@job_kind(
    "elders.import",
    label=gettext_lazy("Registry import"),
    summary=_import_summary,
    back="elders:import",
    errors_workbook=True,
)
def run_import(job, progress) -> Outcome:
    """The registry import of an uploaded workbook, through the row import's one service; with
    any bad row nothing is written and the result is the file itself with the errors marked."""
    with job.upload.open("rb") as fh:
        dataset = read_upload(fh.read())
    headings = list(dataset.headers)  # the import rewrites them to the fields' codes
    rows = [list(row) for row in dataset]
    report = services.import_elders(dataset=dataset, acting_user=job.owner, progress=progress)
    if report.ok:
        return Outcome(result={"total": report.total, "created": report.created, "updated": report.updated})
    names = {f.name: str(f.verbose_name) for f in Elder._meta.fields}
    shown = [
        {"line": e["line"], "column": names.get(e["field"], ""), "message": e["message"]}
        for e in report.errors[:ERRORS_KEPT]
    ]
    stem = job.upload_name.rsplit(".", 1)[0] or "registry"
    return Outcome(
        result={
            "total": report.total,
            "created": 0,
            "updated": 0,
            "errors": shown,
            "error_count": len(report.errors),
        },
        content=error_report(headings, rows, report.errors),
        filename=f"{stem}-errors.xlsx",
        what=_("registry import error report"),
        rows=len({e["line"] for e in report.errors}),
        # The uploaded rows as sent: the full numbers the account sent.
        unmasked=True,
    )


# The errors kept for the result page (the workbook has every one).
ERRORS_KEPT = 200


def export_rows(user, queryset, progress=None):
    """The registry export's headings and rows for `user`: the admin's columns (Chinese headings,
    the labels of coded fields), masked for an account without the right to personal data."""
    resource = ElderResource(user=user)
    headings = resource.get_export_headers()
    total = max(1, queryset.count()) if progress is not None else 1

    def rows():
        for index, elder in enumerate(queryset.select_related("residence", "hukou_region").iterator(2_000)):
            if progress is not None and index % 500 == 0:
                progress(100 * index / total)
            yield resource.export_resource(elder)

    return headings, rows()


def registry_export(user, queryset, progress=None) -> Outcome:
    """The registry export, the same for the direct download and the background job."""
    headings, rows = export_rows(user, queryset, progress)
    count = [0]

    def counted():
        for row in rows:
            count[0] += 1
            yield row

    content = streamed_workbook(_("Registry"), headings, counted())
    return Outcome(
        content=content,
        filename="registry.xlsx",
        what=_("elder registry (%(format)s)") % {"format": "xlsx"},
        rows=count[0],
        unmasked=sees_personal_data(user),
        result={"rows": count[0]},
    )


def _export_summary(result: dict) -> list[tuple[str, int]]:
    return [(_("Rows"), result.get("rows", 0))]


@job_kind(
    "elders.export", label=gettext_lazy("Registry export"), summary=_export_summary, back="elders:my-elders"
)
def run_export(job, progress) -> Outcome:
    _filterset, queryset = registry_list(job.owner, QueryDict(job.params.get("query", "")))
    return registry_export(job.owner, queryset, progress)


@job_kind(
    "elders.admin_export",
    label=gettext_lazy("Registry export"),
    summary=_export_summary,
    back="admin:elders_elder_changelist",
)
def run_admin_export(job, progress) -> Outcome:
    """The admin's export of a long list: its filters and search as the admin read them from
    the export's address, in the owner's scope (the admin's own queryset, as the direct export)."""
    from django.contrib import admin

    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = "/admin/elders/elder/export/"
    request.GET = QueryDict(job.params.get("query", ""))
    request.user = job.owner
    queryset = admin.site._registry[Elder].get_export_queryset(request)
    if job.params.get("items"):
        queryset = queryset.filter(pk__in=job.params["items"])
    return registry_export(job.owner, queryset, progress)
