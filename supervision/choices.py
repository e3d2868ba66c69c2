from django.db import models
from django.utils.translation import gettext_lazy as _


class SafetyRisk(models.TextChoices):
    """The nine service safety risks of GB 38600-2019."""

    CHOKING = "choking", _("Choking")  # 噎食
    FOOD_DRUG = "food_drug", _("Wrong food or medicine taken")  # 食品药品误食
    PRESSURE_SORE = "pressure_sore", _("Pressure sores")  # 压疮
    SCALD = "scald", _("Scalds")  # 烫伤
    BED_FALL = "bed_fall", _("Falls from bed")  # 坠床
    FALL = "fall", _("Falls")  # 跌倒
    WANDERING = "wandering", _("Wandering off")  # 走失
    HARM = "harm", _("Harm to others and self-harm")  # 他伤和自伤
    ACTIVITY = "activity", _("Accidents in leisure activities")  # 文娱活动意外


class ItemArea(models.TextChoices):
    RISK_ASSESSMENT = "risk_assessment", _("Risk assessment")  # 安全风险评估
    PREVENTION = "prevention", _("Service protection")  # 服务防护
    MANAGEMENT = "management", _("Management duties")  # 管理要求
    LOCAL = "local", _("City supervision item")  # 城市文件的监管要求


class Severity(models.TextChoices):
    GENERAL = "general", _("General")  # 一般
    SERIOUS = "serious", _("Serious")  # 严重
