from django.db import models
from django.utils.translation import gettext_lazy as _


class Beneficiary(models.TextChoices):
    ELDER = "elder", _("Elder")
    FACILITY = "facility", _("Facility")
    CAREGIVER = "caregiver", _("Caregiver")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    YEARLY = "yearly", _("Yearly")
    ONE_OFF = "one_off", _("One-off")


class PaymentForm(models.TextChoices):
    CASH = "cash", _("Cash to the person")
    SERVICE_CREDIT = "service_credit", _("Service credit paid to a provider")
