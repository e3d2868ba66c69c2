from django.db import models
from django.utils.translation import gettext_lazy as _


class VisitMethod(models.TextChoices):
    HOME = "home", _("Home visit")  # 上门
    PHONE = "phone", _("Phone call")  # 电话
    VIDEO = "video", _("Video call")  # 视频


class VisitOutcome(models.TextChoices):
    NORMAL = "normal", _("Normal")  # 正常
    PROBLEM = "problem", _("Problem found")  # 发现问题
    NOT_FOUND = "not_found", _("Did not see the elder")  # 未见到本人


class Problem(models.TextChoices):
    HEALTH = "health", _("Health")
    SAFETY = "safety", _("Safety")
    LIVING = "living", _("Living conditions")
    MENTAL = "mental", _("Mental state")
    SUBSIDY = "subsidy", _("Subsidy not received")
    OTHER = "other", _("Other")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
