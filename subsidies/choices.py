from django.db import models
from django.utils.translation import gettext_lazy as _


class Beneficiary(models.TextChoices):
    ELDER = "elder", _("Elder")
    FACILITY = "facility", _("Facility")
    CAREGIVER = "caregiver", _("Caregiver")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    YEARLY = "yearly", _("Yearly")
    ONE_OFF = "one_off", _("One-off")


class PaymentForm(models.TextChoices):
    CASH = "cash", _("Cash to the person")
    SERVICE_CREDIT = "service_credit", _("Service credit paid to a provider")


class ApplicationStatus(models.TextChoices):
    UNDER_REVIEW = "under_review", _("Under review")
    RETURNED = "returned", _("Returned with a reason")
    IN_NOTICE = "in_notice", _("In public notice")
    APPROVED = "approved", _("Approved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = ("under_review", "returned", "in_notice")


class Level(models.TextChoices):
    STREET = "street", _("Street/town")
    DISTRICT = "district", _("District/county")
    CITY = "city", _("City")


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")


class EntitlementStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    STOPPED = "stopped", _("Stopped")


class StopReason(models.TextChoices):
    DEATH = "death", _("Died (paid through the month of death)")
    MOVED = "moved", _("Moved away (paid through the month of the move)")
    INELIGIBLE = "ineligible", _("No longer meets the scheme's conditions")


class SuspensionReason(models.TextChoices):
    CONDITION = (
        "condition",
        _("The scheme's suspension condition holds (for example, living in an institution)"),
    )
    CONDITION_ENDED = (
        "condition_ended",
        _("The suspension condition no longer holds (for example, back home)"),
    )
    STOPPED = "stopped", _("The entitlement was stopped")


class DocumentKind(models.TextChoices):
    ID_PROOF = "id_proof", _("Proof of identity")
    HUKOU = "hukou", _("Household register (hukou booklet)")
    ASSESSMENT_REPORT = "assessment_report", _("Assessment report")
    DIBAO_CERTIFICATE = "dibao_certificate", _("Minimum living allowance (di bao) certificate")
    DISABILITY_CERTIFICATE = "disability_certificate", _("Disability certificate")
    OTHER = "other", _("Other")


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    PAID = "paid", _("Paid")
    RETURNED = "returned", _("Returned")
    # Taken out of a roll before approval after a cross-check: not sent to the bank for that month.
    EXCLUDED = "excluded", _("Excluded from the roll")


# Payments that are not money sent: left out of totals, rosters and figures. A returned one is paid
# again by a later run; an excluded one stays the decision for its month.
NOT_COUNTED = (PaymentStatus.RETURNED, PaymentStatus.EXCLUDED)


class CheckCode(models.TextChoices):
    """Why a payment of a roll deserves a second look before approval."""

    DECEASED = "deceased", _("the elder has died")
    MOVED = "moved", _("the elder has moved away")
    INELIGIBLE = (
        "ineligible",
        _("no longer meets the scheme's conditions (for example now lives in an institution)"),
    )
    NO_VISIT = "no_visit", _("no visit in the last months the scheme requires")
    UNGRADED = "ungraded", _("no valid ability assessment")
    SHARED_ACCOUNT = "shared_account", _("bank account used by several people")
    NO_ACCOUNT = "no_account", _("no bank account for a cash payment")


class CheckDecision(models.TextChoices):
    OPEN = "open", _("Not yet decided")
    ACKNOWLEDGED = "acknowledged", _("Checked: pay")
    EXCLUDED = "excluded", _("Excluded from this roll")


class RollRunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")
