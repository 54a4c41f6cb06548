"""Thin Celery tasks: take ids, load, call assessments.notifications or quality_jobs (JSON
arguments only). The `notify_*` tasks go to the `mail` queue (CELERY_TASK_ROUTES)."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import notifications
from .models import AnnualReport, Assessment


def _report(report_id: int) -> AnnualReport | None:
    return AnnualReport.objects.select_related("facility").filter(pk=report_id).first()


@shared_task
def notify_report_submitted(report_id: int) -> int:
    report = _report(report_id)
    return notifications.report_submitted(report) if report else 0


@shared_task
def notify_report_reviewed(
    report_id: int, state: str, comment: str = "", changed: list[str] | None = None
) -> int:
    """What the step decided, as it queued it: `state`, the state the report was moved to;
    `comment`, the Department's comment of that step; `changed`, the data fields staff changed
    when they approved the report by saving it. The mail is written from these, not from the
    report as it is when the worker runs (a later step may have moved it on)."""
    report = _report(report_id)
    if report is None:
        return 0
    return notifications.report_reviewed(report, state, comment, changed=changed or ())


def _assessment(assessment_id: int) -> Assessment | None:
    return Assessment.objects.select_related("facility").filter(pk=assessment_id).first()


@shared_task
def notify_assessment_submitted(assessment_id: int) -> int:
    assessment = _assessment(assessment_id)
    return notifications.assessment_submitted(assessment) if assessment else 0


@shared_task
def notify_assessment_reviewed(assessment_id: int, state: str, comment: str = "") -> int:
    """As `notify_report_reviewed`: the mail says what the step decided (`state`, `comment`),
    not what the assessment is when the worker runs."""
    assessment = _assessment(assessment_id)
    return notifications.assessment_reviewed(assessment, state, comment) if assessment else 0


@shared_task
def send_report_reminders() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): reminders REPORT_REMINDER_DAYS before a deadline."""
    return notifications.deadline_reminders(timezone.localdate(), settings.REPORT_REMINDER_DAYS)


@shared_task
def notify_report_reminder(facility_id: int, year: int) -> int:
    """Staff's reminder to one facility now (assessments.reminders.report_reminder_send)."""
    return notifications.report_reminder(facility_id, year)


@shared_task(
    acks_late=True,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def run_quality_checks_task(run_id: int) -> str:
    """The data-quality rules over every stored report (assessments.quality_jobs)."""
    from .quality_jobs import quality_run_execute

    return quality_run_execute(run_id)
