from celery import shared_task

from core.periods import previous_period

from .services import compute_month


@shared_task(name="reports.compute_monthly_stats")
def compute_monthly_stats_task(period: str | None = None) -> dict:
    """On the 1st at 02:00: last month's figures for every region level."""
    result = compute_month(period or previous_period(), triggered_by="celery beat")
    return {"period": result.run.period, "written": result.written, "revised": result.revised}
