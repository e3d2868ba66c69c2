"""Bureau staff enter training sessions and advisers here; every write goes through the services."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ScopedAdmin

from . import services
from .models import Adviser, TrainingSession


class TrainingSessionForm(forms.ModelForm):
    """Shows the service's refusals on the form, so nothing is saved half-checked."""

    acting_user = None

    class Meta:
        model = TrainingSession
        fields = services.TRAINING_FIELDS

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                services.check_training(
                    acting_user=self.acting_user, session=self.instance if self.instance.pk else None, **data
                )
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    self.add_error(field if field in self.fields else None, messages)
            except PermissionDenied as exc:
                self.add_error(None, str(exc))
        return data


@admin.register(TrainingSession)
class TrainingSessionAdmin(ScopedAdmin, SimpleHistoryAdmin):
    list_display = (
        "title",
        "audience",
        "region",
        "organiser",
        "starts_on",
        "ends_on",
        "person_times",
        "households",
    )
    list_filter = ("audience",)
    search_fields = ("title", "organiser")
    list_select_related = ("region",)
    date_hierarchy = "ends_on"
    raw_id_fields = ("region", "caregivers", "facilities")
    form = TrainingSessionForm
    fields = services.TRAINING_FIELDS

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.acting_user = request.user
        return form

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services.record_training(
            acting_user=request.user,
            session=obj if change else None,
            **{name: data.get(name) for name in services.TRAINING_FIELDS},
        )
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        pass  # the service has set the participants


@admin.register(Adviser)
class AdviserAdmin(ScopedAdmin, SimpleHistoryAdmin):
    list_display = ("name", "region", "appointed_on", "ended_on")
    list_filter = ("ended_on",)
    search_fields = ("name", "^region__code", "region__name")
    list_select_related = ("region",)
    raw_id_fields = ("region",)

    def get_readonly_fields(self, request, obj=None):
        # Once appointed, only the day the adviser leaves is entered.
        return ("name", "region", "appointed_on") if obj is not None else ()

    def save_model(self, request, obj, form, change):
        if change:
            if "ended_on" in form.changed_data and obj.ended_on is not None:
                services.end_adviser(acting_user=request.user, adviser=obj, ended_on=obj.ended_on)
            return
        saved = services.appoint_adviser(
            acting_user=request.user, region=obj.region, name=obj.name, appointed_on=obj.appointed_on
        )
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        return False
