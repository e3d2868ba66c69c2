from django.db import models
from django.utils.translation import gettext_lazy as _


class Reason(models.TextChoices):
    FIRST = "first", _("First assessment")  # 首次评估
    ROUTINE = "routine", _("Routine re-assessment")  # 常规评估
    IMMEDIATE = "immediate", _("Immediate (condition changed)")  # 即时评估
    REVIEW = "review", _("Review (result disputed)")  # 复评
    OTHER = "other", _("Other")  # 其他


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CONFIRMED = "confirmed", _("Confirmed")


class Grade(models.IntegerChoices):
    INTACT = 0, _("Intact")
    MILD = 1, _("Mild impairment")
    MODERATE = 2, _("Moderate impairment")
    SEVERE = 3, _("Severe impairment")
    COMPLETE = 4, _("Complete impairment")


class RecognisedSource(models.TextChoices):
    HEALTH = "health", _("Health commission (wei jian)")  # 卫健
    LTC_INSURANCE = "ltc_insurance", _("Long-term care insurance (yi bao)")  # 医保长护险
    DISABILITY = "disability", _("Disabled persons' federation (can lian)")  # 残联


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Waiting for an assessor")
    SUBMITTED = "submitted", _("Assessed, waiting for confirmation")
    DONE = "done", _("Assessed")
    CANCELLED = "cancelled", _("Cancelled")
