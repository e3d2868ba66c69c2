"""Excel import and export of the registry (django-import-export).

Natural keys in the columns: the ID number identifies a file (an existing one is updated)
and regions are given by their 12-digit codes. Every row is validated through the model and
the registry's services; a file with any bad row writes nothing.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets

from regions.models import Region
from regions.scope import sees_personal_data

from . import fields as elder_fields
from . import services
from .choices import EconomicStatus, LivingArrangement, Sex, Status
from .models import Elder
from .rules import mask_id_number, mask_phone


class ChoiceWidget(widgets.Widget):
    """Accepts a choice's code or its label (中文 or English); exports the code."""

    def __init__(self, choices, **kwargs):
        self.choices = choices
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = ("" if value is None else str(value)).strip()
        if not text:
            return ""
        if text.endswith(".0"):  # a number column of Excel: 2.0 for the grade 2
            text = text[:-2]
        for code, label in self.choices:
            if text in (str(code), str(label)):
                return code
        with translation.override("zh-hans"):
            for code, label in self.choices:
                if text == str(label):
                    return code
        raise ValueError(
            _("'%(value)s' is not one of: %(codes)s.")
            # The labels a person types (独居、空巢…), never the codes behind them.
            % {"value": text, "codes": "、".join(str(label) for _code, label in self.choices)}
        )

    def render(self, value, obj=None, **kwargs):
        # Exported as the label a person reads (独居, not alone); the import reads either.
        return str(dict(self.choices).get(value, value or ""))


class YesNoWidget(widgets.BooleanWidget):
    """是 / 否 in the sheet; reads 是, 否, 1, 0, true, false, yes, no (any case)."""

    YES = ("是", "1", "true", "yes", "y")
    NO = ("否", "0", "false", "no", "n", "")

    def clean(self, value, row=None, **kwargs):
        text = ("" if value is None else str(value)).strip().lower()
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValueError(_("'%(value)s' is neither 是 nor 否.") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return str(_("Yes") if value else _("No"))


class RegionCodeWidget(widgets.ForeignKeyWidget):
    def __init__(self, **kwargs):
        super().__init__(Region, field="code", **kwargs)

    def clean(self, value, row=None, **kwargs):
        code = ("" if value is None else str(value)).strip()
        if not code:
            return None
        # The template's drop-down offers "330302006044 五马社区": the code is the first word.
        code = code.split()[0]
        if code.endswith(".0"):  # Excel stores long digit strings as numbers
            code = code[:-2]
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise ValueError(_("No region has the code %(code)s.") % {"code": code})
        return region


class ElderResource(resources.ModelResource):
    id_number = fields.Field(attribute="id_number", column_name="id_number")
    residence = fields.Field(attribute="residence", column_name="residence", widget=RegionCodeWidget())
    hukou_region = fields.Field(
        attribute="hukou_region", column_name="hukou_region", widget=RegionCodeWidget()
    )
    living_arrangement = fields.Field(
        attribute="living_arrangement",
        column_name="living_arrangement",
        widget=ChoiceWidget(LivingArrangement.choices),
    )
    economic_status = fields.Field(
        attribute="economic_status",
        column_name="economic_status",
        widget=ChoiceWidget(EconomicStatus.choices),
    )
    sex = fields.Field(attribute="sex", column_name="sex", widget=ChoiceWidget(Sex.choices), readonly=True)
    birth_date = fields.Field(
        attribute="birth_date", column_name="birth_date", widget=widgets.DateWidget(), readonly=True
    )
    status = fields.Field(
        attribute="status", column_name="status", widget=ChoiceWidget(Status.choices), readonly=True
    )

    class Meta:
        model = Elder
        import_id_fields = ("id_number",)
        fields = elder_fields.EXCEL
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False
        use_transactions = True

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        # A column not declared above follows elders.fields: derived and decided fields are
        # exported only, and a coded text field reads its code or its label, like the others.
        readonly = readonly or field_name in elder_fields.DERIVED + elder_fields.DECIDED
        field = super().field_from_django_field(field_name, django_field, readonly)
        if django_field.choices:
            field.widget = ChoiceWidget(django_field.choices)
        elif django_field.get_internal_type() == "BooleanField":
            field.widget = YesNoWidget()
        return field

    # -- the sheet's headings: the fields' names in the reader's language ------------------

    def get_export_headers(self, selected_fields=None):
        names = self.column_headings()
        return [names.get(f.column_name, f.column_name) for f in self.get_export_fields(selected_fields) if f]

    def _heading_keys(self) -> dict[str, str]:
        """Every heading a sheet may carry for a column: its Chinese and English names and its
        code (a file exported before, or made by another system), each to the column's code."""
        keys: dict[str, str] = {}
        for language in ("zh-hans", "en"):
            with translation.override(language):
                for code, name in self.column_headings().items():
                    keys[name.strip().lower()] = code
        for field in self.get_import_fields():
            keys[field.column_name.lower()] = field.column_name
        return keys

    def __init__(self, user=None, on_row=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.on_row = on_row  # told after each row (a background import's progress)
        self._file_duplicates: dict[str, int] = {}
        self._seen: dict[str, int] = {}

    # -- import ---------------------------------------------------------------------------

    def import_data(self, dataset, *args, **kwargs):
        # A file is all or nothing: a row with a validation error rolls back the good ones too.
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, *args, **kwargs)

    def before_import(self, dataset, **kwargs):
        self._seen = {}
        if dataset.headers:
            # Chinese headings (the export's and the template's), English ones or codes alike.
            keys = self._heading_keys()
            dataset.headers = [keys.get(str(h or "").strip().lower(), h) for h in dataset.headers]
        for index, row in enumerate(dataset.dict):
            number = str(row.get("id_number") or "").strip().upper()
            if number:
                row_no = index + 1
                if number in self._seen:
                    self._file_duplicates[number] = self._seen[number]
                else:
                    self._seen[number] = row_no

    def get_instance(self, instance_loader, row):
        row["id_number"] = str(row.get("id_number") or "").strip().upper()
        return super().get_instance(instance_loader, row)

    def import_row(self, row, instance_loader, **kwargs):
        result = super().import_row(row, instance_loader, **kwargs)
        if self.on_row is not None:
            self.on_row()
        return result

    def import_instance(self, instance, row, **kwargs):
        # The duplicate is decided before the fields are read: a row whose other cells fail to
        # read must neither lose it nor inherit the previous row's.
        self._note_duplicate(row, kwargs)
        super().import_instance(instance, row, **kwargs)

    def _note_duplicate(self, row, kwargs) -> None:
        number = row["id_number"]
        first = self._file_duplicates.get(number)
        if first is not None and self._seen.get(number) != kwargs.get("row_number"):
            self._dup_error = _(
                "The ID number %(number)s appears twice in the file (first on line %(line)d)."
            ) % {
                "number": number,
                "line": first + 1,
            }
        else:
            self._dup_error = None

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if getattr(self, "_dup_error", None):
            errors.setdefault("id_number", []).append(self._dup_error)
        if self.user is not None and instance.residence_id:
            from core.scope import in_scope

            if not in_scope(self.user, instance.residence_id):
                errors.setdefault("residence", []).append(
                    _("%(region)s is outside your region of responsibility.")
                    % {"region": instance.residence_id}
                )
        super().validate_instance(instance, errors or None, validate_unique)

    def save_instance(self, instance, is_create, row, **kwargs):
        if kwargs.get("dry_run"):
            return
        services.save_elder(elder=instance, acting_user=self.user, reason=_("Excel import"))

    # -- export ---------------------------------------------------------------------------

    def dehydrate_id_number(self, elder: Elder) -> str:
        return elder.id_number if self._unmasked() else mask_id_number(elder.id_number)

    def dehydrate_birth_date(self, elder: Elder) -> str:
        # The masked middle of the ID number is the birth date: masked exports leave it out.
        return elder.birth_date.isoformat() if self._unmasked() else ""

    def dehydrate_phone(self, elder: Elder) -> str:
        return elder.phone if self._unmasked() else mask_phone(elder.phone)

    def _unmasked(self) -> bool:
        return self.user is not None and sees_personal_data(self.user)

    @classmethod
    def column_headings(cls) -> dict[str, str]:
        return {f.name: str(f.verbose_name) for f in Elder._meta.fields}


HEADING_HELP = gettext_lazy(
    "Columns use the field codes (id_number, name, residence, living_arrangement, ...); "
    "regions are 12-digit codes; choices accept the code or the Chinese label."
)
