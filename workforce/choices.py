from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    """Who a training session is for."""

    CAREGIVERS = "caregivers", _("Elder-care caregivers")  # 养老护理员
    MEDICAL_CARERS = "medical_carers", _("Medical care workers")  # 医疗护理员
    FAMILY_CARERS = "family_carers", _("Family caregivers")  # 家庭照护者, 失能老年人家庭成员
    INSTITUTION_HEADS = "institution_heads", _("Heads of elder-care institutions")  # 养老机构负责人
    SOCIAL_WORKERS = "social_workers", _("Social workers and volunteers")  # 社会工作者, 志愿者
    OTHER = "other", _("Other elder-care staff")


# The training whose person-times count towards 温州's 5万人次 (养老、医疗护理员、家庭照护者).
CARE_TRAINING = (Audience.CAREGIVERS, Audience.MEDICAL_CARERS, Audience.FAMILY_CARERS)
