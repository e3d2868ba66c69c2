from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.scope import scoped
from regions.models import Region

from . import rules
from .choices import (
    Category,
    DisabilityGrade,
    EconomicStatus,
    LivingArrangement,
    Relation,
    Sex,
    Status,
)
from .policy import registry_settings


class ElderQuerySet(models.QuerySet):
    def registered(self) -> ElderQuerySet:
        return self.filter(status=Status.REGISTERED)


@scoped("residence")
class Elder(models.Model):
    """One file per elder (一人一档): who they are, where they live, their circumstances."""

    id_number = models.CharField(
        _("ID number"),
        max_length=18,
        unique=True,
        help_text=_("18 characters; a lower-case x is accepted and stored as X."),
    )
    name = models.CharField(_("name"), max_length=50, db_index=True)
    # Searched, never shown: see rules.name_initials.
    name_initials = models.CharField(
        _("name initials (pinyin)"), max_length=60, blank=True, default="", db_default="", editable=False
    )
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices, editable=False)
    birth_date = models.DateField(_("birth date"), editable=False, db_index=True)
    residence = models.ForeignKey(
        Region,
        verbose_name=_("residence (community/village)"),
        on_delete=models.PROTECT,
        related_name="elders",
    )
    hukou_region = models.ForeignKey(
        Region,
        verbose_name=_("household registration (hukou) region"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    living_arrangement = models.CharField(
        _("living arrangement"), max_length=20, choices=LivingArrangement.choices
    )
    economic_status = models.CharField(_("economic status"), max_length=24, choices=EconomicStatus.choices)
    disability_grade = models.PositiveSmallIntegerField(
        _("disability grade"), choices=DisabilityGrade.choices, default=DisabilityGrade.NONE
    )
    is_left_behind = models.BooleanField(_("left behind (rural, children away)"), default=False)
    is_family_planning_special = models.BooleanField(_("family-planning special family"), default=False)
    is_childless_widowed = models.BooleanField(_("childless or widowed (gu gua)"), default=False)
    is_veteran = models.BooleanField(_("veteran or other entitled group"), default=False)
    is_special_contribution = models.BooleanField(_("special contribution"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED)
    status_date = models.DateField(_("status since"), null=True, blank=True)
    death_date = models.DateField(_("date of death"), null=True, blank=True)
    registered_on = models.DateField(_("registered on"), default=timezone.localdate)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The history is read by file (id) and date; the list filters' indexes on it only slowed every
    # write (a city's first load writes a history row per file), and so did checking each row's
    # user against the accounts at commit (it is the acting account; Django nulls it on delete).
    history = HistoricalRecords(
        excluded_fields=["updated_at"],
        no_db_index=["id_number", "name", "phone", "birth_date", "residence", "hukou_region", "created_by"],
        user_db_constraint=False,
    )

    objects = ElderQuerySet.as_manager()

    class Meta:
        verbose_name = _("elder")
        verbose_name_plural = _("elders")
        ordering = ["-id"]
        permissions = [
            ("import_elder", _("Can import the elder registry")),
            ("export_elder", _("Can export the elder registry")),
        ]
        indexes = [
            # Pattern opclasses (PostgreSQL; ignored elsewhere) so "everything under this
            # street" (a LIKE prefix) and the status use one index together.
            models.Index(
                fields=["residence", "status"],
                name="elder_residence_status_idx",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
            ),
            models.Index(fields=["status", "living_arrangement"], name="elder_status_living_idx"),
            models.Index(fields=["economic_status"], name="elder_economic_idx"),
            models.Index(fields=["name_initials"], name="elder_initials_idx", opclasses=["varchar_pattern_ops"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=Status.DECEASED, death_date__isnull=False)
                | (~Q(status=Status.DECEASED) & Q(death_date__isnull=True)),
                name="elder_death_date_iff_deceased",
                violation_error_message=_("A date of death is given exactly when the status is deceased."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # The pinyin initials follow the name on every save; rows inserted in bulk get theirs in
        # one pass afterwards (services.fill_name_initials), so the search finds every file.
        self.name_initials = rules.name_initials(self.name)
        fields = kwargs.get("update_fields")
        if fields is not None and "name" in fields:
            kwargs["update_fields"] = {*fields, "name_initials"}
        super().save(*args, **kwargs)

    # --- derived facts -------------------------------------------------------------

    def age_on(self, on: date) -> int:
        return rules.age_on(self.birth_date, on)

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())

    def categories(self, on: date | None = None) -> list[str]:
        """The special-difficulty categories that apply to this elder on a date."""
        return rules_categories(self, on or timezone.localdate())

    @property
    def masked_id_number(self) -> str:
        return rules.mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return rules.mask_phone(self.phone)

    # --- validation ------------------------------------------------------------------

    def clean(self) -> None:
        errors: dict[str, list] = {}
        today = timezone.localdate()
        try:
            parsed = rules.parse_id_number(self.id_number, today=today)
        except rules.IdNumberError as exc:
            errors["id_number"] = [str(exc)]
        else:
            self.id_number = parsed.number
            self.birth_date = parsed.birth_date
            self.sex = parsed.sex
        if self.residence_id:
            residence = self.residence
            if residence.level != "village":
                errors.setdefault("residence", []).append(_("The residence must be a community or village."))
            elif self.birth_date:
                min_age = registry_settings(residence.code).min_age
                registered = self.registered_on
                reference = registered if registered and registered >= self.birth_date else today
                if rules.age_on(self.birth_date, reference) < min_age:
                    errors.setdefault("id_number", []).append(
                        _("The registry holds people aged %(age)d or over; this person is %(actual)d.")
                        % {"age": min_age, "actual": rules.age_on(self.birth_date, reference)}
                    )
        if self.status == Status.DECEASED and not self.death_date:
            errors.setdefault("death_date", []).append(_("Give the date of death."))
        if self.death_date:
            if self.status != Status.DECEASED:
                errors.setdefault("death_date", []).append(
                    _("A date of death is only given for a deceased elder.")
                )
            if self.death_date > today:
                errors.setdefault("death_date", []).append(_("The date of death is in the future."))
            if self.birth_date and self.death_date < self.birth_date:
                errors.setdefault("death_date", []).append(_("The date of death is before the birth date."))
        if self.registered_on and self.registered_on > today:
            errors.setdefault("registered_on", []).append(_("The registration date is in the future."))
        if self.registered_on and self.birth_date and self.registered_on < self.birth_date:
            errors.setdefault("registered_on", []).append(
                _("The registration date is before the birth date.")
            )
        if errors:
            raise ValidationError(errors)

    def validate_unique(self, exclude=None) -> None:
        exclude = set(exclude or ())
        super().validate_unique(exclude=exclude | {"id_number"})
        if "id_number" in exclude or not self.id_number:
            return
        other = (
            Elder.objects.filter(id_number=self.id_number.strip().upper())
            .exclude(pk=self.pk)
            .select_related("residence")
            .first()
        )
        if other is not None:
            raise ValidationError({"id_number": duplicate_message(other)})


def duplicate_message(existing: Elder) -> str:
    return str(
        _("A file with this ID number already exists, kept by %(community)s (%(code)s).")
        % {"community": existing.residence.full_name(), "code": existing.residence_id}
    )


def rules_categories(elder: Elder, on: date) -> list[str]:
    cats = []
    from .policy import defaults, registry_settings

    high_age = registry_settings(elder.residence_id).high_age if elder.residence_id else defaults().high_age
    if rules.age_on(elder.birth_date, on) >= high_age:
        cats.append(Category.HIGH_AGE)
    if elder.living_arrangement == LivingArrangement.ALONE:
        cats.append(Category.ALONE)
    if elder.living_arrangement == LivingArrangement.EMPTY_NEST:
        cats.append(Category.EMPTY_NEST)
    if elder.is_left_behind:
        cats.append(Category.LEFT_BEHIND)
    if elder.is_family_planning_special:
        cats.append(Category.FAMILY_PLANNING_SPECIAL)
    if elder.economic_status in {
        EconomicStatus.EXTREME_POVERTY,
        EconomicStatus.DIBAO,
        EconomicStatus.NEAR_DIBAO,
        EconomicStatus.EXPENDITURE_HARDSHIP,
    }:
        cats.append(Category(elder.economic_status))
    if elder.disability_grade in (1, 2):
        cats.append(Category.SEVERE_DISABILITY)
    if elder.is_childless_widowed:
        cats.append(Category.CHILDLESS_WIDOWED)
    if elder.is_veteran:
        cats.append(Category.VETERAN)
    if elder.is_special_contribution:
        cats.append(Category.SPECIAL_CONTRIBUTION)
    return [str(c) for c in cats]


@scoped("elder__residence")
class ElderContact(models.Model):
    """A family member, guardian or neighbour to call about the elder."""

    elder = models.ForeignKey(
        Elder, verbose_name=_("elder"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=50)
    relation = models.CharField(_("relation"), max_length=12, choices=Relation.choices)
    phone = models.CharField(_("phone"), max_length=20)
    is_guardian = models.BooleanField(_("guardian"), default=False)
    notes = models.CharField(_("notes"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["elder", "-is_guardian", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relation_display()})"
