from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.scope import scoped
from regions.models import Region

from .choices import JobStatus


@scoped("region")
class Job(models.Model):
    """A long import or export run by a worker for one account: what it asked for, how far the
    worker is, and what came out (the counts and a workbook that only this account downloads).

    The region is the account's when it asked: the admin's scope; the pages show a job to its
    owner alone."""

    kind = models.CharField(_("kind"), max_length=50)  # a registered job kind (jobs.kinds)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("asked by"), on_delete=models.CASCADE, related_name="+"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # The language the owner reads: the worker writes the messages and headings in it.
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    upload = models.FileField(_("uploaded file"), upload_to="jobs/in/", blank=True)
    upload_name = models.CharField(_("uploaded file name"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    result = models.JSONField(_("result"), default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)
    file = models.FileField(_("workbook"), upload_to="jobs/out/", blank=True)
    filename = models.CharField(_("workbook name"), max_length=200, blank=True)
    # What the download is written to the audit log as.
    what = models.CharField(_("what"), max_length=200, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    unmasked = models.BooleanField(_("full ID numbers"), default=False)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="job_owner_created_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100),
                name="job_progress_percent",
                violation_error_message=_("Progress is a percentage."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
