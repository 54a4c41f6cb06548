"""Celery tasks of big facility imports: thin, they take a job id and call import_jobs."""

from celery import shared_task
from django.conf import settings

from . import import_jobs

TASK_OPTIONS = {
    "acks_late": True,
    "reject_on_worker_lost": True,  # a killed worker's job runs again (at most MAX_ATTEMPTS)
    "soft_time_limit": settings.CELERY_TASK_SOFT_TIME_LIMIT,
    "time_limit": settings.CELERY_TASK_TIME_LIMIT,
}


@shared_task(**TASK_OPTIONS)
def validate_import_task(job_id: int) -> str:
    return import_jobs.import_job_validate(job_id=job_id).value


@shared_task(**TASK_OPTIONS)
def run_import_task(job_id: int) -> str:
    return import_jobs.import_job_run(job_id=job_id).value


@shared_task
def sweep_import_jobs_task() -> int:
    """Fail the imports whose worker died (expired lease); beat, every minute."""
    return import_jobs.import_jobs_sweep()
