from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("District/county")
    TOWN = "town", _("Street/town")
    VILLAGE = "village", _("Community/village")


# Significant digits of the 12-digit code at each level: scope checks are prefix checks.
LEVEL_DIGITS = {
    Level.PROVINCE: 2,
    Level.CITY: 4,
    Level.COUNTY: 6,
    Level.TOWN: 9,
    Level.VILLAGE: 12,
}


class Kind(models.TextChoices):
    URBAN = "urban", _("Urban (residents' committee)")
    RURAL = "rural", _("Rural (villagers' committee)")


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", _("City administrator")
    DISTRICT_OFFICER = "district_officer", _("District officer")
    STREET_OFFICER = "street_officer", _("Street officer")
    COMMUNITY_WORKER = "community_worker", _("Community worker")
    ASSESSOR = "assessor", _("Assessor")
    LEADER = "leader", _("Leader (read-only)")
    PROVIDER_STAFF = "provider_staff", _("Provider staff")
    DEPARTMENT_STAFF = "department_staff", _("Department staff")


class DepartmentKind(models.TextChoices):
    """What kind of body a responsible unit (责任单位) is."""

    GOVERNMENT = "government", _("People's government or management committee")  # 人民政府/管委会
    DEPARTMENT = "department", _("Government department")  # 市民政局, 市卫健委, ...
    OTHER = "other", _("Other body")  # 高校, 银行分支机构, 领导小组成员单位, ...
