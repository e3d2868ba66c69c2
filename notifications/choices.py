from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    VISITS_DUE = "visits_due", _("Visits due this month")
    REASSESSMENTS_DUE = "reassessments_due", _("Re-assessments due")
    APPLICATIONS_RETURNED = "applications_returned", _("Returned applications")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    SMS = "sms", _("Text message")
    INBOX = "inbox", _("Inbox only")


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    RECORDED = "recorded", _("Recorded (no gateway)")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Sending failed")
