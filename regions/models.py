from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.scope import scoped

from .choices import DepartmentKind, Kind, Level, Role
from .rules import candidate_ancestor_codes, scope_prefix


@scoped("code")
class Region(models.Model):
    """An administrative division; the 12-digit code is the key, so scope is a prefix test."""

    code = models.CharField(
        _("division code"),
        max_length=12,
        primary_key=True,
        validators=[RegexValidator(r"^\d{12}$", _("A division code has 12 digits."))],
    )
    name = models.CharField(_("name"), max_length=100, db_index=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    kind = models.CharField(_("urban or rural"), max_length=5, choices=Kind.choices, blank=True)
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"], name="region_level_code_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def prefix(self) -> str:
        return scope_prefix(self.code, self.level)

    def contains(self, code: str) -> bool:
        return code.startswith(self.prefix)

    def ancestors(self) -> list[Region]:
        """Outermost first, in one query (ancestors' codes are prefixes of this one's)."""
        found = {r.code: r for r in Region.objects.filter(code__in=candidate_ancestor_codes(self.code))}
        return [found[c] for c in candidate_ancestor_codes(self.code) if c in found]

    def full_name(self) -> str:
        return "".join(r.name for r in [*self.ancestors()[1:], self])


@scoped("region")
class Department(models.Model):
    """A responsible unit (责任单位): a department or other body of a division's government that a
    policy document makes responsible for a target or a task, such as 市民政局 or 市卫健委 of a
    city, or the people's government of a county.

    Departments are not regions: several belong to one division, and an account belongs to at
    most one of them (StaffProfile.department). The name is the document's own (市民政局), unique
    within the division.
    """

    region = models.ForeignKey(
        Region, verbose_name=_("division"), on_delete=models.PROTECT, related_name="departments"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(
        _("kind"), max_length=10, choices=DepartmentKind.choices, default=DepartmentKind.DEPARTMENT
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("responsible unit")
        verbose_name_plural = _("responsible units")
        ordering = ["region_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="department_unique_name",
                violation_error_message=_("This division already has a unit of this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


@scoped("region")
class StaffProfile(models.Model):
    """A staff account's role and region of responsibility."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="staff_profile",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, db_index=True)
    region = models.ForeignKey(Region, verbose_name=_("region of responsibility"), on_delete=models.PROTECT)
    certificate_number = models.CharField(
        _("certificate number"),
        max_length=50,
        blank=True,
        help_text=_("Assessors: the number of their assessor certificate."),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text=_("The unit this account reports for on plan tasks (a unit of its own division)."),
    )
    # Set when an administrator gave the account a temporary password: the next sign-in must
    # change it before any page opens (eldercare.middleware.PasswordChangeRequiredMiddleware).
    must_change_password = models.BooleanField(_("must change the password"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")
        ordering = ["user__username"]

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.get_role_display()}, {self.region})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.department_id and self.department.region_id != self.region_id:
            raise ValidationError({"department": _("The unit must belong to the account's own division.")})


class AccountAction(models.TextChoices):
    CREATED = "created", _("Account created")
    CHANGED = "changed", _("Role, region or status changed")
    PASSWORD_RESET = "password_reset", _("Temporary password issued")
    LOCKOUT_RESET = "lockout_reset", _("Sign-in lock-out lifted")


@scoped("region")
class AccountEvent(models.Model):
    """Who did what to a staff account, when and from where: the audit trail of account management
    (the profile's history keeps the values; this keeps the acts, a password reset included)."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.CASCADE, related_name="+"
    )
    # The account's region when it happened: the trail stays in scope of the region it concerned.
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    action = models.CharField(_("action"), max_length=20, choices=AccountAction.choices)
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    acted_at = models.DateTimeField(_("at"), auto_now_add=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("account event")
        verbose_name_plural = _("account events")
        ordering = ["-acted_at", "-id"]
        indexes = [models.Index(fields=["account", "-acted_at"], name="account_event_account_idx")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.acted_at:%Y-%m-%d %H:%M}"


# Accounts are scoped by their staff profile's region (a superuser has none: no role account sees
# one); the role groups are the same everywhere (regions/roles.py writes them).
scoped("staff_profile__region")(User)
scoped(unscoped="The role groups are one table for the whole portal, written from roles.py.")(Group)
