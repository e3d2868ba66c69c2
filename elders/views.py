"""Worker pages: thin views over elders.selectors and elders.services."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audit.choices import AccessAction
from audit.services import record_access, record_full_copy
from core.admin import CappedCountPaginator
from core.pages import add_errors, object_or_404
from eldercare.idempotency import idempotent_post
from eldercare.pdf import pdf_response
from eldercare.spreadsheets import workbook_response
from jobs.pages import export
from jobs.selectors import jobs_of
from jobs.services import start_job
from regions.scope import sees_personal_data, user_region_code

from . import fields as elder_fields
from . import pdf, selectors, services, workbooks
from .choices import Category
from .file_sections import file_section, sections
from .filters import registry_list
from .forms import ContactForm, ElderForm, ImportForm, StatusForm
from .models import Elder, ElderContact

PAGE_SIZE = 30
MAX_PAGE = 100_000
# The list's sortable columns: ?sort=name, -name, age, -age, community, -community (the key
# breaks ties, so pages never overlap).
_COLUMNS = {"name": ("name",), "age": ("-birth_date",), "community": ("residence_id",)}
SORTS = {
    **{key: (*fields, "id") for key, fields in _COLUMNS.items()},
    **{f"-{key}": (*(f[1:] if f.startswith("-") else f"-{f}" for f in fields), "-id") for key, fields in _COLUMNS.items()},
}


def _sort_links(params) -> dict[str, dict]:
    """For each sortable column, the query string that sorts by it (pressed again: the other
    way) and the arrow that says how the list is sorted now."""
    now = params.get("sort", "")
    links = {}
    for key in _COLUMNS:
        copy = params.copy()
        copy.pop("page", None)
        copy["sort"] = f"-{key}" if now == key else key
        links[key] = {"href": copy.urlencode(), "arrow": " ↑" if now == key else " ↓" if now == f"-{key}" else ""}
    return links


@login_required
@permission_required("elders.view_elder", raise_exception=True)
def my_elders(request):
    # The same filter as the API's list (elders.filters); a list opened without a status shows
    # the registered elders.
    filterset, qs = registry_list(request.user, request.GET)
    form = filterset.form
    if request.GET.get("format") == "xlsx":
        return _registry_workbook(request, qs)
    page = _page_number(request.GET.get("page", ""))
    sort = request.GET.get("sort", "")
    ordering = SORTS.get(sort, ("-id",))
    # A street may hold 100,000 files: fetch one row more than a page, and count at most the
    # cap (共 N 人, or "more than N"), never the whole scope.
    rows = list(qs.order_by(*ordering)[(page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1])
    has_next = len(rows) > PAGE_SIZE
    counted = CappedCountPaginator(qs, PAGE_SIZE)
    context = {
        "form": form,
        "elders": rows[:PAGE_SIZE],
        "page": page,
        "has_next": has_next,
        "total": counted.count,
        "total_capped": counted.capped,
        "cap": settings.LIST_COUNT_CAP,
        "sort": sort if sort in SORTS else "",
        "sorts": _sort_links(request.GET),
        # Above a community the list can be narrowed to one (the region picker, never a typed code).
        "pick_community": (user_region_code(request.user) or "")[-3:] in ("", "000"),
        "today": timezone.localdate(),
        "unmasked": sees_personal_data(request.user),
        "querystring": _without_page(request.GET),
    }
    # htmx restoring a page from history after a cache miss needs the whole page, not the rows.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "elders/_elder_rows.html" if partial else "elders/my_elders.html"
    response = render(request, template, context)
    # The same URL answers with rows or a whole page: caches must tell them apart.
    patch_vary_headers(response, ("HX-Request",))
    return response


def _page_number(raw: str) -> int:
    # A bound keeps a hand-typed page number from overflowing the database's OFFSET.
    return min(max(1, int(raw)), MAX_PAGE) if raw.isascii() and raw.isdigit() and len(raw) < 10 else 1


def _without_page(params) -> str:
    copy = params.copy()
    copy.pop("page", None)
    return copy.urlencode()


@login_required
@permission_required("elders.view_elder", raise_exception=True)
def elder_detail(request, pk: int):
    elder = object_or_404(request, Elder.objects.select_related("residence", "hukou_region"), pk=pk)
    rendered = [
        {"key": s.key, "title": s.title, "template": s.template, "context": s.context(request, elder)}
        for s in sections()
    ]
    unmasked = sees_personal_data(request.user)
    if unmasked:
        record_access(
            user=request.user,
            action=AccessAction.VIEW_UNMASKED,
            what=_("elder file"),
            object_id=elder.pk,
            unmasked=True,
            request=request,
        )
    return render(
        request,
        "elders/elder_detail.html",
        {"elder": elder, "sections": rendered, "unmasked": unmasked},
    )


@login_required
@permission_required("elders.view_elder", raise_exception=True)
def elder_file_pdf(request, pk: int):
    """The printed file (一人一档): the page's object and sections, masked as on the page; a
    full copy is an export of personal data and is audited as one."""
    elder = object_or_404(request, Elder.objects.select_related("residence", "hukou_region"), pk=pk)
    unmasked = sees_personal_data(request.user)
    content = pdf.elder_file(request, elder, unmasked=unmasked)
    record_full_copy(request, unmasked=unmasked, what=_("elder file (PDF)"), object_id=elder.pk)
    return pdf_response(content, _("Elder file %(name)s.pdf") % {"name": elder.name}, f"elder-{elder.pk}.pdf")


@login_required
@permission_required("elders.add_elder", raise_exception=True)
@idempotent_post
def elder_create(request):
    form = ElderForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            elder = services.register_elder(acting_user=request.user, **form.service_data())
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The file of %(name)s was created.") % {"name": elder.name})
            for warning in selectors.id_number_warnings(elder.id_number):
                messages.warning(request, warning)
            return redirect("elders:elder-detail", pk=elder.pk)
    return render(request, "elders/elder_form.html", {"form": form, "creating": True})


@login_required
@permission_required("elders.change_elder", raise_exception=True)
def elder_edit(request, pk: int):
    elder = object_or_404(request, Elder.objects.select_related("residence"), pk=pk)
    form = ElderForm(request.POST or None, instance=elder, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_elder(elder=elder, acting_user=request.user, **form.service_data())
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The file was saved."))
            return redirect("elders:elder-detail", pk=elder.pk)
    return render(request, "elders/elder_form.html", {"form": form, "elder": elder, "creating": False})


@login_required
@permission_required("elders.change_elder", raise_exception=True)
def elder_status(request, pk: int):
    elder = object_or_404(request, Elder.objects.select_related("residence"), pk=pk)
    form = StatusForm(request.POST or None, initial={"status": elder.status})
    if request.method == "POST" and form.is_valid():
        try:
            services.change_status(
                elder=elder,
                status=form.cleaned_data["status"],
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The status was changed."))
            return redirect("elders:elder-detail", pk=elder.pk)
    return render(request, "elders/elder_status.html", {"form": form, "elder": elder})


@login_required
@permission_required("elders.change_elder", raise_exception=True)
def contact_add(request, pk: int):
    elder = object_or_404(request, Elder.objects.select_related("residence"), pk=pk)
    form = ContactForm(request.POST or None, instance=ElderContact(elder=elder))
    if request.method == "POST" and form.is_valid():
        services.save_contact(contact=form.instance, acting_user=request.user)
        messages.success(request, _("The contact was added."))
        return redirect(_contacts_url(elder))
    return render(request, "elders/contact_form.html", {"form": form, "elder": elder})


@require_POST
@login_required
@permission_required("elders.change_elder", raise_exception=True)
def contact_remove(request, pk: int, contact_pk: int):
    elder = object_or_404(request, Elder.objects.select_related("residence"), pk=pk)
    contact = get_object_or_404(ElderContact.objects.filter(elder=elder), pk=contact_pk)
    services.remove_contact(contact=contact, acting_user=request.user)
    messages.success(request, _("The contact %(name)s was removed.") % {"name": contact.name})
    return redirect(_contacts_url(elder))


def _contacts_url(elder) -> str:
    return reverse("elders:elder-detail", args=[elder.pk]) + "#section-contacts"


# --- the registry's own sections of the file page --------------------------------------------


@file_section(
    "basic",
    title=gettext_lazy("Basic information"),
    template="elders/sections/basic.html",
    order=10,
    printed=pdf.basic_part,
)
def basic_section(request, elder) -> dict:
    labels = dict(Category.choices)
    shown = [Elder._meta.get_field(name) for name in elder_fields.FILE_PAGE]
    return {
        "residence_name": elder.residence.full_name(),
        "categories": [str(labels.get(c, c)) for c in elder.categories()],
        # The file's circumstances (elders.fields): each field with its value in words, and the
        # yes/no ones that hold as one list.
        "circumstances": [
            (field.verbose_name, _display(elder, field))
            for field in shown
            if field.get_internal_type() != "BooleanField"
        ],
        "flags": [
            field.verbose_name
            for field in shown
            if field.get_internal_type() == "BooleanField" and getattr(elder, field.attname)
        ],
    }


def _display(elder, field) -> str:
    if field.choices:
        return elder._get_FIELD_display(field) if getattr(elder, field.attname) not in (None, "") else "—"
    value = getattr(elder, field.name)
    return "—" if value in (None, "") else str(value)


@file_section(
    "contacts",
    title=gettext_lazy("Contacts and guardians"),
    template="elders/sections/contacts.html",
    order=20,
    printed=pdf.contacts_part,
)
def contacts_section(request, elder) -> dict:
    return {"contacts": list(elder.contacts.all())}


@file_section(
    "history", title=gettext_lazy("Change history"), template="elders/sections/history.html", order=90
)
def history_section(request, elder) -> dict:
    return {"entries": selectors.file_history(elder, masked=not sees_personal_data(request.user))}


def _registry_workbook(request, qs):
    if not request.user.has_perm("elders.export_elder"):
        raise PermissionDenied
    query = request.GET.copy()
    query.pop("format", None)
    query.pop("page", None)
    return export(
        request,
        qs,
        kind="elders.export",
        params={"query": query.urlencode()},
        build=lambda: workbooks.registry_export(request.user, qs),
    )


@login_required
@permission_required("elders.import_elder", raise_exception=True)
def import_template(request):
    return workbook_response(workbooks.import_template(request.user), "registry-import-template.xlsx")


@login_required
@permission_required("elders.import_elder", raise_exception=True)
def import_page(request):
    """Upload a registry workbook: a worker checks and writes it (all rows or none) while the
    job's page shows how far it is, then the result and, for a bad file, the error workbook."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = start_job(acting_user=request.user, kind="elders.import", upload=(upload.name, upload.read()))
        return redirect("jobs:detail", job.pk)
    recent = jobs_of(request.user).filter(kind="elders.import")[:10]
    return render(request, "elders/import.html", {"form": form, "jobs": recent})
