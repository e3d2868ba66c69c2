from django.db import models
from django.utils.translation import gettext_lazy as _


class Comparison(models.TextChoices):
    AT_LEAST = "at_least", _("at least")  # 不少于, 以上, 达到
    AT_MOST = "at_most", _("at most")  # 不超过, 控制在


class Measure(models.TextChoices):
    """How a target reads its metric's monthly figures."""

    LEVEL = "level", _("The figure of the month")  # a stock: centres, beds, a rate
    YEAR_SUM = "year_sum", _("Sum of the months of the year")  # 每年 ... 人次/户
    SUM_SINCE = "sum_since", _("Sum of the months since the base month")  # 累计
    INCREASE = "increase", _("Increase over the base month")  # 新增


class Progress(models.TextChoices):
    MET = "met", _("met")
    ON_TRACK = "on_track", _("on track")
    AT_RISK = "at_risk", _("at risk")
    MISSED = "missed", _("missed")
    NO_DATA = "no_data", _("no data yet")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")  # 未启动
    IN_PROGRESS = "in_progress", _("In progress")  # 推进中
    DONE = "done", _("Done")  # 已完成
