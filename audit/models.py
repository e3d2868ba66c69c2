"""The one audit log of personal data (GB/T 22239-2019 level 3, security audit).

Every view of a full ID number, every API list read of personal data, every export and every
bank-roster download is one row: who, when, what, how many rows, from which address. Rows are
written by `audit.services.record_access` only; nothing in the portal changes or deletes them
(on PostgreSQL a trigger refuses it outright), except the retention job for rows older than
`AUDIT_RETENTION_DAYS` (at least six months).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scope import scoped

from .choices import AccessAction


@scoped("scope")
class AccessLog(models.Model):
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=20, choices=AccessAction.choices)
    what = models.CharField(_("what"), max_length=200)
    object_id = models.CharField(_("record"), max_length=64, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=1)
    unmasked = models.BooleanField(_("full ID numbers"), default=False)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    path = models.CharField(_("request"), max_length=500, blank=True)
    # The region prefix the account could see then: the city reads the entries of its accounts.
    scope = models.CharField(_("scope prefix"), max_length=12, blank=True)

    class Meta:
        verbose_name = _("personal-data access")
        verbose_name_plural = _("personal-data access log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "at"], name="accesslog_user_at_idx")]

    def __str__(self) -> str:
        return f"{self.user} {self.get_action_display()} {self.what}"
