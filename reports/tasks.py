"""Celery tasks of generated reports: thin, they take ids and call reports.generation."""

from celery import shared_task
from django.conf import settings

from . import fact_table, generation, scheduling


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
    max_retries=None,  # attempts are counted on the Report (at most 3), not by Celery
)
def generate_report_task(self, report_id: int) -> str:
    outcome = generation.report_generate(report_id=report_id, task_id=self.request.id or "")
    if outcome == generation.Outcome.RETRY:
        # Same queue as this delivery; the next attempt claims the job again.
        raise self.retry(countdown=settings.REPORT_RETRY_DELAY)
    return outcome.value


@shared_task
def sweep_reports_task() -> dict:
    return generation.reports_sweep()


@shared_task
def purge_report_files_task() -> int:
    """Delete generated files older than REPORT_RETENTION_DAYS (beat, daily)."""
    return generation.report_files_purge()


@shared_task
def annual_reports_task() -> list[int]:
    return [report.pk for report in scheduling.reports_schedule_annual()]


@shared_task
def half_year_reports_task() -> list[int]:
    return [report.pk for report in scheduling.reports_schedule_half_year()]


@shared_task(
    soft_time_limit=settings.FACTS_REBUILD_SECONDS, time_limit=settings.FACTS_REBUILD_SECONDS + 60
)
def rebuild_facts_task() -> dict:
    """Recompute the stored facts of every facility (reports.fact_table), after a bulk change."""
    return fact_table.rebuild()
