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


class ItemCategory(models.TextChoices):
    MATERIAL = "material", _("Material help")  # 物质帮助
    CARE = "care", _("Care services")  # 照护服务
    CARING = "caring", _("Caring services")  # 关爱服务


class CatalogueStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")


class ProviderKind(models.TextChoices):
    INSTITUTION = "institution", _("Elderly-care institution")
    HOME_CARE = "home_care", _("Home-care service company")
    SOCIAL_ORG = "social_org", _("Social organisation")
    STATION = "station", _("Community service station")
    CANTEEN = "canteen", _("Canteen or meal point")
    MEDICAL = "medical", _("Medical institution")


class FilingStatus(models.TextChoices):
    PENDING = "pending", _("Filing pending")
    FILED = "filed", _("Filed")
    REVOKED = "revoked", _("Filing revoked")


class CreditKind(models.TextChoices):
    WARNING = "warning", _("Warning")
    BLACKLIST = "blacklist", _("Blacklisted")


class ServiceKind(models.TextChoices):
    MEAL = "meal", _("Meal help")  # 助餐
    BATH = "bath", _("Bathing help")  # 助浴
    CLEANING = "cleaning", _("Cleaning help")  # 助洁
    MOBILITY = "mobility", _("Mobility help")  # 助行
    MEDICAL = "medical", _("Medical help")  # 助医
    EMERGENCY = "emergency", _("Emergency help")  # 助急
    RESPITE = "respite", _("Respite service")  # 喘息服务
    HOME_CARE = "home_care", _("Home care")  # 上门照护
    ADAPTATION = "adaptation", _("Home adaptation")  # 适老化改造


class Funding(models.TextChoices):
    GOVERNMENT = "government", _("Government purchase")
    SELF_PAID = "self_paid", _("Self-paid")
