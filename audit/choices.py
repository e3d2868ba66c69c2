from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessAction(models.TextChoices):
    VIEW_UNMASKED = "view_unmasked", _("Viewed a full ID number")
    LIST_READ = "list_read", _("Read a list of personal data (API)")
    EXPORT = "export", _("Exported personal data")
    ROSTER_DOWNLOAD = "roster_download", _("Downloaded a bank roster")
