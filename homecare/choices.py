from django.db import models
from django.utils.translation import gettext_lazy as _


class PriceUnit(models.TextChoices):
    VISIT = "visit", _("Per visit")
    HOUR = "hour", _("Per hour")


class AllowanceUnit(models.TextChoices):
    YUAN = "yuan", _("Yuan")
    HOURS = "hours", _("Hours")


class Unused(models.TextChoices):
    LAPSE = "lapse", _("Lapses at the month's end")
    CARRY = "carry", _("Carries over to the next month")


class Channel(models.TextChoices):
    WORKER = "worker", _("Community worker")
    HOTLINE = "hotline", _("Family through the hotline")
    PROVIDER = "provider", _("Provider")


class OrderStatus(models.TextChoices):
    ORDERED = "ordered", _("Ordered")
    DISPATCHED = "dispatched", _("Dispatched")
    IN_PROGRESS = "in_progress", _("Checked in")
    DONE = "done", _("Checked out, awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")


class ConfirmedBy(models.TextChoices):
    ELDER = "elder", _("The elder")
    FAMILY = "family", _("A family member")


class FlagKind(models.TextChoices):
    OVERLAP = "overlap", _("Caregiver in two homes at once")
    AFTER_DEATH = "after_death", _("Service after the elder's death")
    IN_INSTITUTION = "in_institution", _("Elder in hospital or an institution")
    IN_HOSPITAL = "in_hospital", _("Elder in hospital")
    FAR = "far", _("Check-in far from the address")
    DURATION = "duration", _("Duration outside the item's range")


class FlagDecision(models.TextChoices):
    PENDING = "pending", _("Awaiting the district's decision")
    ACCEPTED = "accepted", _("Accepted: pay")
    REJECTED = "rejected", _("Rejected: do not pay")


class StatementStatus(models.TextChoices):
    DRAFT = "draft", _("Pending approval")
    APPROVED = "approved", _("Approved")


class LineStatus(models.TextChoices):
    PAYABLE = "payable", _("Payable")
    BEYOND = "beyond", _("Beyond the allowance")
    HELD = "held", _("Held: flagged")
    REJECTED = "rejected", _("Rejected by the district")


class CallKind(models.TextChoices):
    FALL = "fall", _("Fall")
    HEALTH = "health", _("Sudden illness")
    SAFETY = "safety", _("Safety (fire, gas, water)")
    HELP = "help", _("Help needed")
    OTHER = "other", _("Other")


class CallChannel(models.TextChoices):
    API = "api", _("Call centre or alarm device")
    HOTLINE = "hotline", _("Hotline operator")


class CallStatus(models.TextChoices):
    OPEN = "open", _("Awaiting response")
    ANSWERED = "answered", _("Answered")
    ESCALATED = "escalated", _("Escalated: no response in time")


class StaySource(models.TextChoices):
    """How the bureau learnt of a hospital stay."""

    FAMILY = "family", _("Reported by the family")
    WORKER = "worker", _("Found by a worker")
    HOSPITAL = "hospital", _("Notice from the hospital")
    INSURANCE = "insurance", _("Medical-insurance records")
