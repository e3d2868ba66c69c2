from django.db import models
from django.utils.translation import gettext_lazy as _


class FacilityKind(models.TextChoices):
    NURSING_HOME = "nursing_home", _("Elder-care institution")  # 养老机构
    TEKUN_HOME = "tekun_home", _("Support home for extreme-poverty elders")  # 特困人员供养服务机构/敬老院
    COUNTY_CENTRE = "county_centre", _("County elder-care service centre")  # 县级养老服务中心
    STREET_CENTRE = (
        "street_centre",
        _("Street/town comprehensive elder-care centre"),
    )  # 街道/镇综合养老服务中心
    DAY_CARE = "day_care", _("Community day-care centre")  # 社区日间照料中心
    STATION = "station", _("Home-care service station")  # 居家养老服务站
    MUTUAL_AID = "mutual_aid", _("Rural mutual-aid point")  # 农村互助养老服务点/幸福院
    CANTEEN = "canteen", _("Elder canteen / meal point")  # 老年食堂/助餐点
    MEDICAL_CARE = "medical_care", _("Medical-care combined institution")  # 医养结合机构


# Kinds that take residents (全日托养); the others serve elders living at home.
RESIDENTIAL_KINDS = (
    FacilityKind.NURSING_HOME,
    FacilityKind.TEKUN_HOME,
    FacilityKind.COUNTY_CENTRE,
    FacilityKind.STREET_CENTRE,
    FacilityKind.MEDICAL_CARE,
)


class Ownership(models.TextChoices):
    PUBLIC = "public", _("Public")  # 公办
    PUBLIC_PRIVATE = "public_private", _("Publicly built, privately run")  # 公建民营
    PRIVATE = "private", _("Private")  # 民办
    STATE_OWNED = "state_owned", _("State-owned enterprise")  # 国有企业


# Facilities whose beds are allocated through the public wait-list (入住评估轮候).
PUBLIC_OWNERSHIPS = (Ownership.PUBLIC, Ownership.PUBLIC_PRIVATE, Ownership.STATE_OWNED)


class FacilityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")  # 规划
    BUILDING = "building", _("Under construction")  # 在建
    BUILT = "built", _("Built")  # 建成
    OPERATING = "operating", _("Operating")  # 运营
    CLOSED = "closed", _("Closed")  # 停业


class Function(models.TextChoices):
    FULL_TIME_CARE = "full_time_care", _("Full-time residential care")  # 全日托养
    DAY_CARE = "day_care", _("Day care")  # 日间照料
    MEALS = "meals", _("Meals")  # 助餐
    HOME_SERVICE = "home_service", _("Home services")  # 上门服务
    REHAB_NURSING = "rehab_nursing", _("Rehabilitation and nursing")  # 康复护理
    MEDICAL = "medical", _("Medical care")  # 医疗
    RESPITE = "respite", _("Respite care")  # 喘息服务
    ACTIVITIES = "activities", _("Cultural and leisure activities")  # 文体娱乐
    MENTAL_CARE = "mental_care", _("Emotional support")  # 精神慰藉


class StaffRole(models.TextChoices):
    CAREGIVER = "caregivers", _("Caregivers")  # 护理员
    NURSE = "nurses", _("Nurses")  # 护士
    DOCTOR = "doctors", _("Doctors")  # 医生
    SOCIAL_WORKER = "social_workers", _("Social workers")  # 社工
    MANAGER = "managers", _("Managers")  # 管理人员
    OTHER = "other_staff", _("Other staff")  # 其他


class DischargeReason(models.TextChoices):
    DEATH = "death", _("Death")
    TRANSFER = "transfer", _("Transfer to another facility")
    HOME = "home", _("Returned home")
    HOSPITAL = "hospital", _("Admitted to hospital")


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    OFFERED = "offered", _("Bed offered")
    ADMITTED = "admitted", _("Admitted")
    DECLINED = "declined", _("Offer declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    LEFT = "left", _("Left the list (died or moved)")


# An entry holds a place in the queue while waiting or holding an offer.
OPEN_WAITLIST_STATUSES = (WaitlistStatus.WAITING, WaitlistStatus.OFFERED)


class WaitlistEventKind(models.TextChoices):
    APPLIED = "applied", _("Applied")
    TIER_CHANGED = "tier_changed", _("Priority tier changed")
    OFFERED = "offered", _("Bed offered")
    SKIPPED = "skipped", _("Passed over")
    ADMITTED = "admitted", _("Admitted")
    DECLINED = "declined", _("Offer declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    LEFT = "left", _("Left the list")


class Equipment(models.TextChoices):
    NURSING_BED = "nursing_bed", _("Nursing bed")  # 护理床
    HANDRAILS = "handrails", _("Handrails")  # 扶手
    ANTI_SLIP = "anti_slip", _("Anti-slip flooring")  # 防滑
    CALL_DEVICE = "call_device", _("Emergency call device")  # 呼叫设备
    SMART_MONITOR = "smart_monitor", _("Smart monitoring")  # 智能监测
    WHEELCHAIR = "wheelchair", _("Wheelchair")  # 轮椅
    SHOWER_CHAIR = "shower_chair", _("Shower chair")  # 洗澡椅
    RAMP = "ramp", _("Ramp")  # 坡道


class BedStatus(models.TextChoices):
    ACTIVE = "active", _("In service")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


class Estate(models.TextChoices):
    NEW = "new", _("New residential area")  # 新建住宅小区
    OLD = "old", _("Old residential area")  # 老旧小区


# The construction standards' measures (policy.METRICS), as the standards form labels its boxes.
STANDARD_METRIC_LABELS = {
    "beds": _("Beds at least"),
    "nursing_beds": _("Nursing beds at least"),
    "nursing_bed_share": _("Nursing-bed share at least (%)"),
    "floor_area_m2": _("Floor area at least (m²)"),
    "land_area_mu": _("Land area at least (mu)"),
    "staff": _("Staff at least"),
    "caregivers": _("Caregivers at least"),
}
