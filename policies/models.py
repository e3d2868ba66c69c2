from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.scope import scoped
from regions.models import Region

from .sections import parse_section


@scoped(unscoped="A pack is published policy: every account reads the same documents.")
class PolicyPack(models.Model):
    """A city's policy documents turned into data (one folder under policy_packs/)."""

    name = models.SlugField(_("name"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    documents = models.JSONField(_("source documents"), default=list, blank=True)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        verbose_name = _("policy pack")
        verbose_name_plural = _("policy packs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.title


@scoped("region", read_above="region")
class PolicySection(models.Model):
    """One app's settings from a pack, in force for a region and everything under it.

    A section with no region is the national baseline. Every number in `data` carries the
    clause it comes from, so an editor in the admin sees why it is what it is.
    """

    pack = models.ForeignKey(
        PolicyPack, verbose_name=_("pack"), on_delete=models.CASCADE, related_name="sections"
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Empty for the national baseline."),
    )
    section = models.CharField(_("section"), max_length=40)
    data = models.JSONField(_("data"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("policy section")
        verbose_name_plural = _("policy sections")
        ordering = ["section", "region"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "section"],
                condition=Q(region__isnull=False),
                name="policysection_one_per_region",
                violation_error_message=_("This region already has this section."),
            ),
            models.UniqueConstraint(
                fields=["section"],
                condition=Q(region__isnull=True),
                name="policysection_one_national",
                violation_error_message=_("The national baseline already has this section."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pack.name}/{self.section} @ {self.region_id or '*'}"

    def clean(self) -> None:
        try:
            parse_section(self.section, self.data)
        except ValidationError as exc:
            raise ValidationError({"data": exc.messages}) from exc
