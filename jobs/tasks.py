from celery import shared_task

from . import services


@shared_task(name="jobs.run_job")
def run_job_task(job_id: int) -> None:
    services.run_job(job_id)


@shared_task(name="jobs.purge_old_jobs")
def purge_old_jobs_task() -> int:
    return services.purge_old_jobs()
