from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    DEATHS = "deaths", _("Deaths")
    SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance (te kun, di bao, near di bao)")
    DISABILITY = "disability", _("Disability certificates")
    HOUSEHOLD = "household", _("Household registration moves")
    ASSESSMENTS = "assessments", _("Ability results of other departments")


class ExchangeStatus(models.TextChoices):
    RECEIVED = "received", _("Received, being checked")
    IN_REVIEW = "in_review", _("Waiting for review")
    CLOSED = "closed", _("Reviewed")
    FAILED = "failed", _("Could not be read")


class Outcome(models.TextChoices):
    """What matching made of one row of the list."""

    INVALID = "invalid", _("Invalid row")
    NOT_FOUND = "not_found", _("Not in the registry")
    CONFLICT = "conflict", _("Conflicts with the file")
    OUTSIDE = "outside", _("Kept by another region")
    NO_CHANGE = "no_change", _("The file already says so")
    ALREADY_PROPOSED = "already_proposed", _("Already proposed by an earlier exchange")
    PROPOSED = "proposed", _("Change proposed")


class Change(models.TextChoices):
    DECEASED = "deceased", _("Deceased")
    ECONOMIC_STATUS = "economic_status", _("Economic status")
    DISABILITY_GRADE = "disability_grade", _("Disability grade")
    MOVED_AWAY = "moved_away", _("Moved away")
    RESIDENCE = "residence", _("Moved into a community")
    REGISTER = "register", _("New file")
    RECOGNISED_RESULT = "recognised_result", _("Recognised ability result")


class Decision(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    ACCEPTED = "accepted", _("Accepted and applied")
    REJECTED = "rejected", _("Rejected")
