"""The only write path of background jobs: ask for one, run it, report its progress, hand over
its workbook (audited) to the account that asked."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.choices import AccessAction
from audit.services import record_access
from regions.models import Region
from regions.scope import user_region_code

from .choices import JobStatus
from .kinds import kind as job_kind
from .models import Job

# The progress is written at most this often (seconds): a poll a second reads it.
PROGRESS_EVERY = 1.0


def start_job(
    *,
    acting_user,
    kind: str,
    params: dict | None = None,
    upload: tuple[str, bytes] | None = None,
) -> Job:
    """Keep what the account asked for and hand it to a worker (at once when tasks run in-process)."""
    job_kind(kind)  # an unknown kind is a programming error, refused before anything is kept
    # An account responsible for everything (a superuser) has no region: its job is a national row.
    code = user_region_code(acting_user)
    region = Region.objects.filter(code=code).first() if code else None
    job = Job(
        kind=kind,
        owner=acting_user,
        region=region,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        params=params or {},
    )
    if upload is not None:
        name, content = upload
        job.upload_name = name[-200:]
        job.upload.save(f"job-{timezone.now():%Y%m%d%H%M%S}-{name[-5:]}", ContentFile(content), save=False)
    job.full_clean()
    job.save()
    enqueue(job)
    return job


def enqueue(job: Job) -> None:
    from .tasks import run_job_task

    if settings.CELERY_TASK_ALWAYS_EAGER:
        run_job_task.delay(job.pk)
    else:
        # The worker must find the job's row: sent once the request's transaction is committed.
        transaction.on_commit(lambda: run_job_task.delay(job.pk))


class Progress:
    """How far a job is, written where the page polling it can read it.

    The work may run inside one transaction (an import is all or nothing), where the job's row
    would only change at the commit; the progress then goes through a connection of its own."""

    def __init__(self, job: Job) -> None:
        self.job_id = job.pk
        self.percent = 0
        self._written_at = 0.0
        self._side = None

    def __call__(self, percent: float) -> None:
        percent = max(0, min(99, int(percent)))
        now = time.monotonic()
        if percent <= self.percent or now - self._written_at < PROGRESS_EVERY:
            return
        self.percent, self._written_at = percent, now
        if not connection.in_atomic_block:
            Job.objects.filter(pk=self.job_id).update(progress=percent)
        elif connection.vendor == "postgresql":
            if self._side is None:
                self._side = connections.create_connection(DEFAULT_DB_ALIAS)
            with self._side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {Job._meta.db_table} SET progress = %s WHERE id = %s", [percent, self.job_id]
                )
        # SQLite in development runs the job in the request: nobody polls it meanwhile.

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None


def run_job(job_id: int) -> None:
    """Run a job's work as its owner; run again from the start after a lost worker (each kind
    writes all or nothing), never after it finished."""
    job = Job.objects.select_related("owner").filter(pk=job_id).first()
    if job is None or job.finished:
        return
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now(), progress=0)
    progress = Progress(job)
    with translation.override(job.language):
        try:
            outcome = job_kind(job.kind).run(job, progress)
        except (ValidationError, PermissionDenied) as exc:
            message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            _finish(job, JobStatus.FAILED, message=message or _("The job could not be done."))
            return
        except Exception:
            _finish(job, JobStatus.FAILED, message=_("The job stopped on an unexpected error; try again."))
            raise
        finally:
            progress.close()
        if outcome.content is not None:
            job.file.save(
                f"job-{job.pk}-{timezone.now():%Y%m%d%H%M%S}.xlsx", ContentFile(outcome.content), save=False
            )
        job.filename, job.what = outcome.filename[:200], str(outcome.what)[:200]
        job.rows, job.unmasked, job.result = outcome.rows, outcome.unmasked, outcome.result
        _finish(job, JobStatus.DONE)


def _finish(job: Job, status: str, *, message: str = "") -> None:
    job.status, job.message, job.finished_at = status, message, timezone.now()
    job.progress = 100 if status == JobStatus.DONE else job.progress
    job.save()


def download(*, acting_user, job: Job, request=None) -> tuple[bytes, str]:
    """The job's workbook for the account that asked for it (another account, even one above
    it, is refused: the file is that account's export); every download is written to the audit
    log as the direct download is."""
    if job.owner_id != acting_user.pk:
        raise PermissionDenied(_("Only the account that asked for this job can download its workbook."))
    if not job.file:
        raise ValidationError(_("This job has no workbook."))
    with job.file.open("rb") as fh:
        content = fh.read()
    if job.what:  # as the direct download: a kind without personal data is not logged
        record_access(
            user=acting_user,
            action=AccessAction.EXPORT,
            what=job.what,
            rows=job.rows,
            unmasked=job.unmasked,
            request=request,
        )
    return content, job.filename or f"job-{job.pk}.xlsx"


def purge_old_jobs(*, now=None) -> int:
    """Delete the jobs older than JOB_KEEP_DAYS with their files (uploads and workbooks hold
    personal data: kept for the owner to fetch, not for ever). Returns how many."""
    from datetime import timedelta

    cutoff = (now or timezone.now()) - timedelta(days=settings.JOB_KEEP_DAYS)
    old = list(Job.objects.filter(created_at__lt=cutoff).only("pk", "upload", "file"))
    for job in old:
        for stored in (job.upload, job.file):
            if stored:
                stored.delete(save=False)
    Job.objects.filter(pk__in=[j.pk for j in old]).delete()
    return len(old)
