from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class LivingArrangement(models.TextChoices):
    ALONE = "alone", _("Living alone")
    EMPTY_NEST = "empty_nest", _("Empty nest")
    WITH_CHILDREN = "with_children", _("Living with children")
    WITH_OTHERS = "with_others", _("Living with other relatives")
    INSTITUTION = "institution", _("In an institution")


class EconomicStatus(models.TextChoices):
    EXTREME_POVERTY = "extreme_poverty", _("Extreme poverty (te kun)")
    DIBAO = "dibao", _("Minimum living allowance (di bao)")
    NEAR_DIBAO = "near_dibao", _("Near minimum living allowance")
    EXPENDITURE_HARDSHIP = "expenditure_hardship", _("Expenditure hardship")
    ORDINARY = "ordinary", _("Ordinary")


class Status(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    MOVED = "moved", _("Moved away")
    DECEASED = "deceased", _("Deceased")


class DisabilityGrade(models.IntegerChoices):
    # 残疾等级 of the disability certificate: grade 1 is the most severe.
    NONE = 0, _("No disability certificate")
    GRADE_1 = 1, _("Disability grade 1")
    GRADE_2 = 2, _("Disability grade 2")
    GRADE_3 = 3, _("Disability grade 3")
    GRADE_4 = 4, _("Disability grade 4")


class Category(models.TextChoices):
    """Categories of special-difficulty elders; flags on the file or derived from it."""

    HIGH_AGE = "high_age", _("High age (80+)")
    ALONE = "alone", _("Living alone")
    EMPTY_NEST = "empty_nest", _("Empty nest")
    LEFT_BEHIND = "left_behind", _("Left behind (rural, children away)")
    FAMILY_PLANNING_SPECIAL = "family_planning_special", _("Family-planning special family")
    EXTREME_POVERTY = "extreme_poverty", _("Extreme poverty (te kun)")
    DIBAO = "dibao", _("Minimum living allowance (di bao)")
    NEAR_DIBAO = "near_dibao", _("Near minimum living allowance")
    EXPENDITURE_HARDSHIP = "expenditure_hardship", _("Expenditure hardship")
    SEVERE_DISABILITY = "severe_disability", _("Severe disability (grade 1-2)")
    CHILDLESS_WIDOWED = "childless_widowed", _("Childless or widowed (gu gua)")
    VETERAN = "veteran", _("Veteran or entitled group")
    SPECIAL_CONTRIBUTION = "special_contribution", _("Special contribution")


class Relation(models.TextChoices):
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    RELATIVE = "relative", _("Other relative")
    NEIGHBOUR = "neighbour", _("Neighbour")
    GUARDIAN = "guardian", _("Appointed guardian")
    OTHER = "other", _("Other")
