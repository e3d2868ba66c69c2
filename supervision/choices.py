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


class Outcome(models.TextChoices):
    MET = "met", _("Met")  # 符合
    NOT_MET = "not_met", _("Not met")  # 不符合
    NOT_APPLICABLE = "na", _("Not applicable")  # 不适用


class InspectionKind(models.TextChoices):
    DRAWN = "drawn", _("Random draw")  # 双随机抽查
    COMPLAINT = "complaint", _("Complaint")  # 投诉
    REINSPECTION = "reinspection", _("Re-inspection")  # 复查
    TASK = "task", _("Supervision task")  # 监管任务


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")


class OrderStatus(models.TextChoices):
    OPEN = "open", _("Open")  # 待整改
    ANSWERED = "answered", _("Answered by the operator")  # 已报整改
    CLOSED = "closed", _("Closed")  # 整改完成
    ESCALATED = "escalated", _("Escalated")  # 整改不到位，升级处理


class CaseActionKind(models.TextChoices):
    INTERVIEW = "interview", _("Interview (约谈)")
    PENALTY_REFERRAL = "penalty_referral", _("Referral for administrative penalty")


class Channel(models.TextChoices):
    WORKER_PAGE = "worker_page", _("Worker page")
    ADMIN = "admin", _("Administration")
    HOTLINE = "hotline", _("Hotline")  # 热线
    API = "api", _("Another system (API)")


class Subject(models.TextChoices):
    SERVICE = "service", _("A service to an elder")
    PROVIDER = "provider", _("A provider")
    CAREGIVER = "caregiver", _("A caregiver")
    FACILITY = "facility", _("A facility")


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("Being handled")
    REPLIED = "replied", _("Replied")
    CLOSED = "closed", _("Closed")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Not satisfied")


class RatingReason(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    ATTITUDE = "attitude", _("Attitude")
    QUALITY = "quality", _("Quality of the service")
    SKILL = "skill", _("Skill")
    SAFETY = "safety", _("Safety")
    PRICE = "price", _("Price")
    OTHER = "other", _("Other")


class Rater(models.TextChoices):
    ELDER = "elder", _("The elder")
    FAMILY = "family", _("A family member")


class TaskReason(models.TextChoices):
    LOW_RATING = "low_rating", _("Low monthly rating")
    REPEATED_COMPLAINTS = "repeated_complaints", _("Repeated complaints")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
