from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.scope import scoped

from .choices import Channel, Kind, MessageStatus


@scoped("recipient__staff_profile__region")
class Message(models.Model):
    """A reminder to one staff account, kept whether or not a text message went out: the
    recipient reads it in the inbox, and a bureau without an SMS gateway still has every one.

    Reminders are digests ("12 elders are due for a visit"): one a day per recipient and kind,
    which the database enforces, so a task run twice the same day sends nothing twice. The text
    never carries an ID number (rules.safe_text masks any that slips in)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    day = models.DateField(_("day"), help_text=_("The local day the reminder is for (one per kind a day)."))
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    text = models.CharField(_("text"), max_length=500)
    link = models.CharField(_("link"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "day"], name="message_once_a_day"),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="message_recipient_idx"),
            models.Index(fields=["status", "day"], name="message_pending_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} → {self.recipient_id}"
