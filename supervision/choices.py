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


class Purpose(models.TextChoices):
    """What a pack checklist is used for: an inspection judges items met or not; a review and a
    star evaluation score each item up to its points."""

    INSPECTION = "inspection", _("Inspection")  # 监督检查
    OPERATOR_REVIEW = "operator_review", _("Performance review of a publicly built, privately run operator")  # 公建民营绩效评价
    STAR_RATING = "star_rating", _("Star rating evaluation")  # 星级评定


class RoomStatus(models.TextChoices):
    """Where a residential estate's elder-care room (配建养老服务用房) stands at the yearly check."""

    NOT_PROVIDED = "not_provided", _("Not provided")  # 未配建
    PLANNED = "planned", _("Planned, not built")  # 已规划未建成
    BUILT = "built", _("Built, not handed over")  # 已建成未移交
    HANDED_OVER = "handed_over", _("Handed over, not in use")  # 已移交未使用
    IN_USE = "in_use", _("Handed over and in use")  # 已移交并投入使用
    DIVERTED = "diverted", _("Demolished or put to another use")  # 擅自拆除或改变用途


class RoomProblem(models.TextChoices):
    NOT_PROVIDED = "not_provided", _("No room provided")
    NOT_BUILT = "not_built", _("Not built yet")
    NOT_HANDED_OVER = "not_handed_over", _("Not handed over")
    NOT_IN_USE = "not_in_use", _("Not in use")
    DIVERTED = "diverted", _("Demolished or put to another use")
    AREA_SHORT = "area_short", _("Area below the standard")
    SITE_SMALL = "site_small", _("Site smaller than the standard's minimum")


class ContractDecision(models.TextChoices):
    RENEW = "renew", _("Continue the operating contract")  # 续约
    RECTIFY = "rectify", _("Continue after rectification within a deadline")  # 限期整改
    TERMINATE = "terminate", _("End the operating contract")  # 终止合同


class StarStatus(models.TextChoices):
    APPLIED = "applied", _("Application received")  # 已申请
    EVALUATING = "evaluating", _("Being evaluated")  # 评定中
    RATED = "rated", _("Rated")  # 已评定
    NOT_RATED = "not_rated", _("No star reached")  # 未达星级
    PUBLISHED = "published", _("Result published")  # 已公布


class Publication(models.TextChoices):
    """What a plan publishes of its inspections (双随机一公开: the results are made public)."""

    NONE = "none", _("Not published")
    RESULTS = "results", _("Each facility inspected, when, and how many items were not met")
    FINDINGS = "findings", _("The results with each item not met and its rectification")
