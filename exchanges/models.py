from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.scope import restrict, scoped
from elders.models import Elder
from regions.models import Region

from .choices import Change, Decision, ExchangeStatus, Kind, Outcome


class Via(models.TextChoices):
    PAGE = "page", _("Uploaded on the exchanges page")
    API = "api", _("Pushed through the API")
    DROP_FOLDER = "drop_folder", _("Placed in the drop folder")


def exchange_path(instance: Exchange, filename: str) -> str:
    return f"exchanges/{instance.kind}/{filename}"


class ExchangeQuerySet(models.QuerySet):
    def restrict(self, user) -> ExchangeQuerySet:
        return restrict(self, user)


@scoped("region")
class Exchange(models.Model):
    """One list another department sent (a file or an API push): its rows are matched to the
    registry and each difference waits as a proposed change until staff of the region review it."""

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    source = models.CharField(
        _("source"), max_length=100, help_text=_("Who sent the list, e.g. 市社会救助系统, 市公安局")
    )
    period = models.CharField(_("month of the list"), max_length=7, help_text=_("YYYY-MM"))
    file = models.FileField(_("file"), upload_to=exchange_path, max_length=200)
    filename = models.CharField(_("file name"), max_length=200)
    checksum = models.CharField(_("SHA-256 of the file"), max_length=64, db_index=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The region the list covers: the receiving account's region."),
    )
    via = models.CharField(_("received via"), max_length=12, choices=Via.choices, default=Via.PAGE)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("received by"), on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ExchangeStatus.choices, default=ExchangeStatus.RECEIVED
    )
    message = models.CharField(_("message"), max_length=300, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    invalid = models.PositiveIntegerField(_("invalid rows"), default=0)
    matched = models.PositiveIntegerField(_("matched"), default=0)
    proposed = models.PositiveIntegerField(_("proposed"), default=0)
    accepted = models.PositiveIntegerField(_("accepted"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)

    objects = ExchangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("exchange")
        verbose_name_plural = _("exchanges")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["region"], name="exchange_region_idx", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.source} · {self.period}"

    @property
    def reason(self) -> str:
        from .rules import reason_text

        return reason_text(self.source, self.period)


@scoped("region")
class ExchangeRow(models.Model):
    """One row of a list: what it said, what matching made of it, and the proposal's review."""

    exchange = models.ForeignKey(
        Exchange, verbose_name=_("exchange"), on_delete=models.CASCADE, related_name="lines"
    )
    line = models.PositiveIntegerField(_("line"))
    id_number = models.CharField(_("ID number"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=60, blank=True)
    cells = models.JSONField(_("cells"), default=dict)
    values = models.JSONField(_("checked values"), default=dict)
    errors = models.JSONField(_("errors"), default=list)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    elder = models.ForeignKey(
        Elder, verbose_name=_("elder"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Where the row belongs: the elder's community, the community a new file would go to, or the
    # exchange's region. Rows are scoped by it.
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    change = models.CharField(_("proposed change"), max_length=20, choices=Change.choices, blank=True)
    proposal = models.JSONField(_("proposal"), default=dict)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    apply_error = models.CharField(_("could not be applied"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("exchange row")
        verbose_name_plural = _("exchange rows")
        ordering = ["exchange", "line"]
        indexes = [
            models.Index(fields=["exchange", "outcome"], name="exchangerow_outcome_idx"),
            models.Index(fields=["exchange", "line"], name="exchangerow_line_idx"),
            models.Index(fields=["elder", "decision"], name="exchangerow_elder_idx"),
            models.Index(fields=["id_number", "decision"], name="exchangerow_idnumber_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.exchange_id}:{self.line}"


class LoadStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    CHECKING = "checking", _("Checking")
    CHECKED = "checked", _("Checked, waiting for confirmation")
    LOADING = "loading", _("Loading")
    DONE = "done", _("Loaded")
    FAILED = "failed", _("Failed")


def load_path(instance: BulkLoad, filename: str) -> str:
    return f"exchanges/loads/{filename}"


@scoped("region")
class BulkLoad(models.Model):
    """A city's first registry load (its 台账 from every street) at database speed: staged by COPY,
    checked set-based in SQL with the registry's rules and messages, written only once confirmed."""

    source = models.CharField(_("source"), max_length=100)
    file = models.FileField(_("file"), upload_to=load_path, max_length=200)
    filename = models.CharField(_("file name"), max_length=200)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("loaded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=LoadStatus.choices, default=LoadStatus.RECEIVED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    bad_rows = models.PositiveIntegerField(_("bad rows"), default=0)
    loaded = models.PositiveIntegerField(_("files written"), default=0)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("registry load")
        verbose_name_plural = _("registry loads")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source} · {self.filename}"

    @property
    def good_rows(self) -> int:
        return self.rows - self.bad_rows


@scoped("load__region")
class LoadError(models.Model):
    """One error of one row of a registry load (a row may have several)."""

    load = models.ForeignKey(
        BulkLoad, verbose_name=_("registry load"), on_delete=models.CASCADE, related_name="errors"
    )
    line = models.PositiveIntegerField(_("line"))
    field = models.CharField(_("column"), max_length=40)
    message = models.CharField(_("message"), max_length=300)

    class Meta:
        verbose_name = _("load error")
        verbose_name_plural = _("load errors")
        ordering = ["load", "line", "id"]
        indexes = [models.Index(fields=["load", "line"], name="loaderror_line_idx")]

    def __str__(self) -> str:
        return f"{self.load_id}:{self.line} {self.field}"
