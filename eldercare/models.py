"""Tables shared by every app's requests (not a domain concept of their own)."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken


class IdempotencyKey(models.Model):
    """A submission the server has already carried out, keyed by the client's key.

    Written in the same transaction as what the submission created, so a key exists exactly
    when its record does; a resend with the same key gets the first answer back.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE)
    key = models.CharField(_("key"), max_length=64)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("status code"), default=0)
    location = models.CharField(_("location"), max_length=500, blank=True)
    body = models.JSONField(_("response body"), null=True, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_per_user"),
        ]

    def __str__(self) -> str:
        return self.key


class ApiToken(AbstractAuthToken):
    """An API token (django-rest-knox: stored hashed, with an expiry).

    `auth_hash` is the user's session hash at issue (it derives from the password hash), so a
    token stops working the moment its owner's password changes, by whatever path.
    """

    auth_hash = models.CharField(_("account hash"), max_length=128)
    client_address = models.GenericIPAddressField(_("issued to address"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]


def revoke_tokens(*, user) -> int:
    """Every API token of `user` stops working at once; how many there were."""
    deleted, _by_model = ApiToken.objects.filter(user=user).delete()
    return deleted
