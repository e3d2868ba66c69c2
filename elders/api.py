from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

import conditions
from audit.api import PersonalDataAuditMixin
from core.api import ScopedModelViewSet
from eldercare.idempotency import IdempotentCreateMixin
from regions.models import Region
from regions.scope import sees_personal_data

from . import fields as elder_fields
from . import selectors, services
from .choices import Status
from .filters import ElderFilterSet
from .models import Elder
from .rules import mask_id_number, mask_phone

_STATUS_FIELDS = ("status", "death_date", "status_date")


class ElderSerializer(serializers.ModelSerializer):
    residence = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), label=_("residence (community/village)")
    )
    hukou_region = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Region.objects.all(),
        required=False,
        allow_null=True,
        label=_("household registration (hukou) region"),
    )
    birth_date = serializers.DateField(
        read_only=True,
        allow_null=True,
        label=_("birth date"),
        help_text=_("Null for roles without personal-data rights: the age stands in for it."),
    )
    age = serializers.SerializerMethodField(label=_("age"))
    categories = serializers.SerializerMethodField(label=_("categories"))
    status = serializers.ChoiceField(choices=Status.choices, required=False, label=_("status"))
    warnings = serializers.SerializerMethodField(label=_("warnings"))
    ability_grade = serializers.SerializerMethodField(label=_("ability grade"))

    class Meta:
        model = Elder
        # The file's fields (elders.fields), with the age next to the birth date and what is
        # computed for the reader.
        fields = [
            *elder_fields.API[: elder_fields.API.index("birth_date") + 1],
            "age",
            *elder_fields.API[elder_fields.API.index("birth_date") + 1 : elder_fields.API.index("status")],
            "categories",
            *elder_fields.API[elder_fields.API.index("status") :],
            "ability_grade",
            "warnings",
        ]
        read_only_fields = ["sex", "birth_date"]
        # Uniqueness is checked by the model, whose message names the existing file's community.
        extra_kwargs = {"id_number": {"validators": []}}

    def get_age(self, obj: Elder) -> int:
        return obj.age_on(timezone.localdate())

    def get_categories(self, obj: Elder) -> list[str]:
        return obj.categories()

    def get_ability_grade(self, obj: Elder) -> int | None:
        """The current valid grade (annotated on lists; computed for a single file)."""
        if hasattr(obj, "current_grade"):
            return obj.current_grade
        return conditions.fact_value("ability_grade", obj, timezone.localdate())

    def get_warnings(self, obj: Elder) -> list[str]:
        # Only on a single file: a list would pay a query per row for it.
        if self.context.get("view") is not None and self.context["view"].action == "list":
            return []
        return selectors.id_number_warnings(obj.id_number)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None and not sees_personal_data(request.user):
            data["id_number"] = mask_id_number(data["id_number"])
            data["phone"] = mask_phone(data["phone"])
            # The birth date is the masked middle of the ID number: the age stands in for it.
            data["birth_date"] = None
        return data

    def create(self, validated_data):
        user = self.context["request"].user
        status = {k: validated_data.pop(k) for k in _STATUS_FIELDS if k in validated_data}
        elder = services.register_elder(acting_user=user, **validated_data)
        if status.get("status", Status.REGISTERED) != Status.REGISTERED:
            elder = services.change_status(
                elder=elder,
                status=status["status"],
                on=status.get("death_date") or status.get("status_date") or timezone.localdate(),
                acting_user=user,
            )
        return elder

    def update(self, instance, validated_data):
        user = self.context["request"].user
        status = {k: validated_data.pop(k) for k in _STATUS_FIELDS if k in validated_data}
        if validated_data:
            instance = services.update_elder(elder=instance, acting_user=user, **validated_data)
        new_status = status.get("status", instance.status)
        if status and (new_status != instance.status or "death_date" in status):
            instance = services.change_status(
                elder=instance,
                status=new_status,
                on=status.get("death_date") or status.get("status_date") or timezone.localdate(),
                acting_user=user,
            )
        return instance


class ElderViewSet(PersonalDataAuditMixin, IdempotentCreateMixin, ScopedModelViewSet):
    """The elder registry. Elders outside the caller's region are not found (404)."""

    audit_what = _("elder files")
    audit_id_numbers = True

    queryset = Elder.objects.select_related("residence", "hukou_region")
    serializer_class = ElderSerializer
    filterset_class = ElderFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.request.method == "GET":
            queryset = conditions.with_fact(
                queryset, "ability_grade", timezone.localdate(), as_name="current_grade"
            )
        return queryset
