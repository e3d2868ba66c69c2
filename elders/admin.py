from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from audit.choices import AccessAction
from audit.services import record_access
from core.admin import ScopedAdmin
from eldercare.spreadsheets import SafeXLSX
from jobs.pages import is_long
from jobs.services import start_job
from regions.models import Region
from regions.scope import sees_personal_data
from regions.selectors import district_choices

from . import fields as elder_fields
from . import selectors, services, workbooks
from .choices import Category
from .models import Elder, ElderContact
from .resources import ElderResource


class RegionFilter(admin.SimpleListFilter):
    """The districts in the user's scope and the streets of the chosen one (regions.selectors)."""

    title = _("region")
    parameter_name = "region"

    def lookups(self, request, model_admin):
        return district_choices(request.user, self.value() or "")

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        region = Region.objects.filter(code=self.value()).first()
        if region is None:
            return queryset.none()
        return queryset.filter(residence__code__startswith=region.prefix)


class CategoryFilter(admin.SimpleListFilter):
    title = _("category")
    parameter_name = "category"

    def lookups(self, request, model_admin):
        return Category.choices

    def queryset(self, request, queryset):
        if self.value() in Category.values:
            return queryset.filter(selectors.category_q(self.value(), timezone.localdate()))
        return queryset


class AgeBandFilter(admin.SimpleListFilter):
    title = _("age band")
    parameter_name = "age"

    def lookups(self, request, model_admin):
        return [(key, key) for key, _lo, _hi in selectors.AGE_BANDS]

    def queryset(self, request, queryset):
        for key, lo, hi in selectors.AGE_BANDS:
            if self.value() == key:
                return queryset.filter(selectors.age_band_q(lo, hi, timezone.localdate()))
        return queryset


class ElderContactInline(admin.TabularInline):
    model = ElderContact
    extra = 0
    fields = ("name", "relation", "phone", "is_guardian", "notes")


@admin.register(Elder)
class ElderAdmin(ScopedAdmin, ImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [ElderResource]
    formats = [SafeXLSX]
    # The import page links the template and the background import (elders.views.import_page).
    import_template_name = "admin/elders/elder/import.html"
    list_display = (
        "name",
        "sex",
        "age_display",
        "community",
        "living_arrangement",
        "economic_status",
        "status",
        "id_number",
        "phone",
    )
    list_select_related = ("residence",)
    # The columns above (age from the birth date, masked numbers from the numbers), the name of
    # the row's checkbox and the community's name.
    list_fields = (
        "name",
        "sex",
        "birth_date",
        "residence__name",
        "living_arrangement",
        "economic_status",
        "status",
        "id_number",
        "phone",
    )
    list_filter = (
        RegionFilter,
        CategoryFilter,
        "status",
        "living_arrangement",
        "economic_status",
        AgeBandFilter,
    )
    search_fields = ("name",)  # the real search is selectors.search, below
    search_help_text = _(
        "Any part of a name or its pinyin initials, a full ID number or its first digits, a phone "
        "number or its last four digits."
    )
    ordering = ("-id",)
    list_per_page = 50
    readonly_fields = (*elder_fields.DERIVED, *elder_fields.RECORD)
    raw_id_fields = ("residence", "hukou_region")
    inlines = [ElderContactInline]
    fieldsets = tuple((title, {"fields": names}) for title, names in elder_fields.GROUPS)

    @admin.display(description=_("age"))
    def age_display(self, obj: Elder) -> int:
        return obj.age

    @admin.display(description=_("community"), ordering="residence__name")
    def community(self, obj: Elder) -> str:
        return obj.residence.name

    @admin.display(description=_("ID number"))
    def masked_id_number(self, obj: Elder) -> str:
        return obj.masked_id_number

    @admin.display(description=_("phone"))
    def masked_phone(self, obj: Elder) -> str:
        return obj.masked_phone

    def get_list_display(self, request):
        if sees_personal_data(request.user):
            return self.list_display
        return tuple(
            {"id_number": "masked_id_number", "phone": "masked_phone"}.get(f, f) for f in self.list_display
        )

    def get_search_results(self, request, queryset, search_term):
        return selectors.search(queryset, search_term), False

    def save_formset(self, request, form, formset, change):
        if formset.model is not ElderContact:
            return super().save_formset(request, form, formset, change)
        # Contacts are written through the service, as on the worker's page.
        changed = formset.save(commit=False)
        for contact in formset.deleted_objects:
            services.remove_contact(contact=contact, acting_user=request.user)
        for contact in changed:
            services.save_contact(contact=contact, acting_user=request.user)
        return None

    def save_model(self, request, obj, form, change):
        status_fields = set(elder_fields.DECIDED)
        try:
            if change and status_fields & set(form.changed_data):
                services.change_status(
                    elder=obj,
                    status=obj.status,
                    on=obj.death_date or obj.status_date or timezone.localdate(),
                    acting_user=request.user,
                )
            else:
                services.save_elder(elder=obj, acting_user=request.user)
        except ValidationError as exc:
            # The form already validated the same rules; a scope error is what remains.
            messages.error(request, "; ".join(exc.messages))
            raise

    # -- import / export ------------------------------------------------------------------

    def import_action(self, request, **kwargs):
        # A long file is checked and written by a worker (jobs/), past gunicorn's time-out: its
        # page shows the progress, then the result or the error workbook, in place of the preview.
        upload = request.FILES.get("import_file")
        if request.method == "POST" and upload is not None and self.has_import_permission(request):
            content = upload.read()
            upload.seek(0)
            try:
                rows = len(workbooks.read_upload(content))
            except ValidationError:
                rows = 0  # the admin's own form says the file cannot be read
            if rows > settings.IMPORT_JOB_ROWS:
                job = start_job(acting_user=request.user, kind="elders.import", upload=(upload.name, content))
                return redirect("jobs:detail", job.pk)
        return super().import_action(request, **kwargs)

    def add_data_read_fail_error_to_form(self, form, e):
        # django-import-export names the Python exception (BadZipFile, ...); say it in words.
        form.add_error(
            "import_file",
            _("This file could not be read as an Excel workbook (.xlsx); save it again as .xlsx."),
        )

    def get_import_resource_kwargs(self, request, **kwargs):
        return {**super().get_import_resource_kwargs(request, **kwargs), "user": request.user}

    def get_export_resource_kwargs(self, request, **kwargs):
        return {**super().get_export_resource_kwargs(request, **kwargs), "user": request.user}

    def has_import_permission(self, request):
        return request.user.has_perm("elders.import_elder")

    def has_export_permission(self, request):
        return request.user.has_perm("elders.export_elder")

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        # A long list is built by a worker (jobs/), past gunicorn's time-out: the admin's filters
        # and search go with the job, which exports every column of the registry's resource.
        if not is_long(queryset):
            return super()._do_file_export(file_format, request, queryset, export_form=export_form)
        params = {"query": request.GET.urlencode()}
        if export_form is not None and "export_items" in export_form.changed_data:
            params["items"] = [int(pk) for pk in export_form.cleaned_data["export_items"]]
        job = start_job(acting_user=request.user, kind="elders.admin_export", params=params)
        return redirect("jobs:detail", job.pk)

    def get_export_data(self, file_format, request, queryset, **kwargs):
        data = super().get_export_data(file_format, request, queryset, **kwargs)
        record_access(
            user=request.user,
            action=AccessAction.EXPORT,
            what=_("elder registry (%(format)s)") % {"format": file_format.get_title()},
            rows=queryset.count(),
            unmasked=sees_personal_data(request.user),
            request=request,
        )
        return data
