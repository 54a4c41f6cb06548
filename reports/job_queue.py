"""Generated-report jobs waiting for a worker (reports/generation.py): the sweeper, the bound on
how long a job may wait, and the requester's cancel.

- `reports_sweep` (beat, every minute, through `generation.reports_sweep`) re-enqueues the jobs
  whose lease expired: a worker killed mid-job, or a message lost before any worker claimed it;
  it fails a job that used every attempt, and a job still waiting for a worker
  REPORT_QUEUE_TIMEOUT seconds after it was requested (no worker running, or none reading its
  queue): re-enqueued for ever, it would stay "Đang chờ" and hold one of its requester's
  REPORT_MAX_ACTIVE_JOBS places.
- `report_cancel`: the requester withdraws their own job while it still waits (staff delete any
  draft instead: `generation.report_delete`).
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.language import in_language_of

from . import generation
from .models import Report


def queue_timeout() -> timedelta:
    """REPORT_QUEUE_TIMEOUT (settings; 4 hours by default: well above the three attempts of a
    job with their retry delays, CELERY_TASK_TIME_LIMIT and REPORT_RETRY_DELAY)."""
    return timedelta(seconds=settings.REPORT_QUEUE_TIMEOUT)


def reports_sweep() -> dict[str, int]:
    """Re-enqueue jobs whose lease expired; fail those that already used every attempt or waited
    longer than REPORT_QUEUE_TIMEOUT for a worker."""
    now = timezone.now()
    counts = {"requeued": 0, "failed": 0}
    for report in Report.objects.lease_expired(now).select_related("requested_by"):
        with in_language_of(report.requested_by):
            outcome = _sweep_one(report, now)
        if outcome:
            counts[outcome] += 1
    return counts


def _sweep_one(report: Report, now) -> str | None:
    same = Report.objects.filter(
        pk=report.pk, state=report.state, attempts=report.attempts, lease_expires_at__lt=now
    )
    failed = {"state": Report.State.FAILED, "finished_at": now, "lease_expires_at": None}
    if report.state == Report.State.QUEUED and report.requested_at < now - queue_timeout():
        # Its lease expired with no worker claiming it, and it has waited past the bound.
        error = _(
            "Không có tiến trình nền nào nhận việc tạo báo cáo này trong thời gian chờ cho phép; "
            "hãy thử lại sau hoặc báo quản trị hệ thống."
        )
        return "failed" if same.update(error=error, **failed) else None
    if report.attempts >= Report.MAX_ATTEMPTS:
        error = _("Tiến trình tạo báo cáo bị dừng ở lần chạy cuối (%s/%s).") % (
            report.attempts,
            Report.MAX_ATTEMPTS,
        )
        return "failed" if same.update(error=error, **failed) else None
    task_id = generation._new_task_id()
    with transaction.atomic():
        updated = same.update(
            state=Report.State.QUEUED, lease_expires_at=generation._queued_lease(), task_id=task_id
        )
        if updated:
            transaction.on_commit(lambda: generation._enqueue(report.pk, task_id))
    return "requeued" if updated else None


class NotCancellable(Exception):
    """The job no longer waits (a worker took it, or it finished): it is not cancelled."""


def report_cancel(*, report: Report, by) -> None:
    """Withdraw `by`'s own job that still waits for a worker (`Report.cancellable_by`): the job
    is deleted (a worker that receives it later finds nothing to claim). NotCancellable when it
    no longer waits, checked on the locked row."""
    with transaction.atomic():
        locked = Report.objects.select_for_update().filter(pk=report.pk).first()
        if locked is None:
            return
        if not locked.cancellable_by(by):
            raise NotCancellable
        generation.remove_partial_files(locked)  # of an earlier attempt killed mid-write
        locked.delete()
