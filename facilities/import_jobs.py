"""Facility files of more than importing.ASYNC_ROW_THRESHOLD rows, checked and imported by Celery
(issue 3, item 4; DESIGN §5). Same code path as the page and the command: importing.plan_file and
importing.apply_import, with a progress callback that writes to the job. A valid plan's warnings
(rows imported all the same) are kept on the job with its counts.

The life of an `ImportJob`:
- `import_job_create` (upload view): the stored upload becomes a `queued` job; validation is
  enqueued when the transaction commits.
- `import_job_validate` (task body): claims the job — `queued`, or `validating` again when a worker
  died mid-check (checking writes nothing, so a second run is harmless) — at most MAX_ATTEMPTS
  times, plans the file and ends `validated` with the counts or `invalid` with the problems.
- `import_job_confirm` (confirm view): `validated` → `importing`, import enqueued on commit.
- `import_job_run` (task body): checks the file again, then applies it. The job is marked `done`
  inside the import's own transaction, so a crash leaves nothing half-written and the job still
  `importing`, and a duplicate delivery finds it `done` (or, running concurrently, rolls back
  because the job was no longer `importing`).
- The lease: a claim sets `lease_expires_at` IMPORT_LEASE_SECONDS ahead and every progress write
  renews it. A pool process killed mid-import gets its message back at once, lease still fresh:
  the import runs again. When the whole worker died, the message comes back only after the
  broker's visibility timeout (minutes later, staff may have corrected facilities since): an
  `importing` job whose lease expired is never run again but ends `failed` with
  INTERRUPTED_MESSAGE, by that late delivery or, within a minute or two, by
  `import_jobs_sweep` (beat, maintenance queue).
- The uploaded file is deleted once the job has ended (`invalid`, `done`, `failed`).

What a job stores for staff to read (its rows' problems and warnings, why it failed) is written
in the language of the user who uploaded the file (accounts.language.in_language_of), whatever
language the worker runs in.

Every state change is a conditional UPDATE on the expected state, so late or duplicate task runs
change nothing. Progress goes through its own database connection: the page must see it move
while the import's transaction is still open.
"""

import logging
import time
from datetime import timedelta
from enum import StrEnum
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.language import in_language_of
from core.errors import log_exception, system_error_message
from core.spreadsheets import Problem, problems_as_dicts

from . import importing, territory
from .models import ImportJob

logger = logging.getLogger(__name__)

State = ImportJob.State
VALIDATE_SPAN = (5, 99)  # percent of the bar while a job is being checked (reading comes first)
IMPORT_CHECK_SPAN = (0, 40)  # while the file is checked again before it is imported
IMPORT_WRITE_SPAN = (40, 99)  # while the facilities are written
# The import is written in one transaction that the dead worker never committed.
INTERRUPTED_MESSAGE = gettext_lazy(
    "Quá trình nhập bị gián đoạn (máy chủ xử lý dừng đột ngột); không có dữ liệu nào được ghi. "
    "Hãy tải tệp lên và xác nhận lại."
)


class Outcome(StrEnum):
    SKIPPED = "skipped"  # not this run's: already ended, taken by another run, or deleted
    VALIDATED = "validated"
    INVALID = "invalid"
    DONE = "done"
    FAILED = "failed"


class JobTaken(Exception):
    """The job left the state this run expected (another delivery of the task finished it)."""


# --- create and confirm (views) ------------------------------------------------------------------


def import_job_create(*, path: Path, original_name: str, by) -> ImportJob:
    """A queued job for an upload stored in MEDIA_ROOT/imports/; validation starts on commit."""
    relative = Path(path).resolve().relative_to(Path(settings.MEDIA_ROOT).resolve())
    with transaction.atomic():
        job = ImportJob.objects.create(
            kind=ImportJob.Kind.FACILITIES,
            file_path=relative.as_posix(),
            original_name=original_name,
            requested_by=by,
        )
        transaction.on_commit(lambda: _enqueue("validate_import_task", job.pk))
    return job


def import_job_confirm(*, job: ImportJob, by) -> bool:
    """Queue the import of a validated job; False when the job is not waiting for confirmation."""
    now = timezone.now()
    with transaction.atomic():
        confirmed = ImportJob.objects.filter(pk=job.pk, state=State.VALIDATED).update(
            state=State.IMPORTING,
            progress=0,
            attempts=0,
            confirmed_by=by,
            confirmed_at=now,
            updated_at=now,
            lease_expires_at=None,
        )
        if confirmed:
            transaction.on_commit(lambda: _enqueue("run_import_task", job.pk))
    return bool(confirmed)


def _enqueue(task_name: str, job_id: int) -> None:
    from . import tasks

    getattr(tasks, task_name).delay(job_id)


# --- task bodies ---------------------------------------------------------------------------------


def import_job_validate(*, job_id: int) -> Outcome:
    """Check the job's file and record the counts, or the problems (what the task runs)."""
    with in_language_of(_requester(job_id)):
        return _validate(job_id)


def import_job_run(*, job_id: int) -> Outcome:
    """Check the file again and import it, all or nothing (what the task runs)."""
    with in_language_of(_requester(job_id)):
        return _run(job_id)


def _requester(job_id: int):
    """Who uploaded the job's file: the job is written in their language (None: nobody)."""
    job = ImportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    return job.requested_by if job is not None else None


def _validate(job_id: int) -> Outcome:
    job = _claim(job_id, (State.QUEUED, State.VALIDATING), State.VALIDATING)
    if job is None:
        return _give_up(job_id, State.VALIDATING)
    try:
        with ProgressWriter(job.pk, State.VALIDATING) as progress:
            plan = _plan(job, progress.span(*VALIDATE_SPAN))
    except Exception as exc:
        return _fail(job, State.VALIDATING, exc)
    if not plan.is_valid:
        return _end_invalid(job, State.VALIDATING, plan)
    now = timezone.now()
    updated = _in_state(job, State.VALIDATING).update(
        state=State.VALIDATED, progress=100, validated_at=now, updated_at=now, **_counts(plan)
    )
    return Outcome.VALIDATED if updated else Outcome.SKIPPED


def _run(job_id: int) -> Outcome:
    job = _claim(job_id, (State.IMPORTING,), State.IMPORTING)
    if job is None:
        if _fail_interrupted(ImportJob.objects.filter(pk=job_id)):
            return Outcome.FAILED
        return _give_up(job_id, State.IMPORTING)
    try:
        with ProgressWriter(job.pk, State.IMPORTING) as progress:
            plan = _plan(job, progress.span(*IMPORT_CHECK_SPAN))
            if not plan.is_valid:
                return _end_invalid(job, State.IMPORTING, plan)
            _apply(job, plan, progress.span(*IMPORT_WRITE_SPAN))
    except JobTaken:
        return Outcome.SKIPPED
    except IntegrityError as exc:
        return _fail(job, State.IMPORTING, exc, _("Dữ liệu vừa bị thay đổi đồng thời."))
    except Exception as exc:
        return _fail(job, State.IMPORTING, exc)
    job.path.unlink(missing_ok=True)
    return Outcome.DONE


def _apply(job: ImportJob, plan: importing.ImportPlan, progress) -> None:
    """Write the plan and mark the job done in one transaction (JobTaken rolls both back)."""
    with transaction.atomic():
        importing.apply_import(plan, user=job.confirmed_by or job.requested_by, progress=progress)
        now = timezone.now()
        done = _in_state(job, State.IMPORTING).update(
            state=State.DONE, progress=100, finished_at=now, updated_at=now, **_counts(plan)
        )
        if not done:
            raise JobTaken


# --- helpers -------------------------------------------------------------------------------------


def _in_state(job: ImportJob, state: str):
    return ImportJob.objects.filter(pk=job.pk, state=state)


def _claim(job_id: int, from_states: tuple, state: str) -> ImportJob | None:
    """Take the job for one run (conditional UPDATE), or None when it is not claimable: an
    import whose worker died (lease expired) is not run again."""
    now = timezone.now()
    claimed = (
        ImportJob.objects.filter(
            pk=job_id, state__in=from_states, attempts__lt=ImportJob.MAX_ATTEMPTS
        )
        .exclude(ImportJob.lease_expired_q(now))
        .update(
            state=state,
            attempts=F("attempts") + 1,
            progress=0,
            updated_at=now,
            lease_expires_at=_lease_end(now),
        )
    )
    if not claimed:
        return None
    return ImportJob.objects.select_related("requested_by", "confirmed_by").get(pk=job_id)


def _lease_end(now):
    return now + timedelta(seconds=settings.IMPORT_LEASE_SECONDS)


def _fail_interrupted(jobs) -> int:
    """End `failed` those of `jobs` whose lease expired (their worker died); how many ended."""
    ended = 0
    for job in jobs.lease_expired(timezone.now()).select_related("requested_by"):
        now = timezone.now()
        with in_language_of(job.requested_by):
            error = str(INTERRUPTED_MESSAGE)
        if (
            _in_state(job, State.IMPORTING)
            .lease_expired(now)
            .update(
                state=State.FAILED,
                progress=100,
                finished_at=now,
                updated_at=now,
                lease_expires_at=None,
                error=error,
            )
        ):
            logger.warning("import job %s: its worker died mid-import (lease expired)", job.pk)
            job.path.unlink(missing_ok=True)
            ended += 1
    return ended


def import_jobs_sweep() -> int:
    """Fail the imports whose worker died (beat, every minute), so that their page stops
    showing them running; returns how many."""
    return _fail_interrupted(ImportJob.objects.all())


def _give_up(job_id: int, state: str) -> Outcome:
    """A job whose worker died MAX_ATTEMPTS times in this phase fails instead of looping."""
    stuck = ImportJob.objects.filter(
        pk=job_id, state=state, attempts__gte=ImportJob.MAX_ATTEMPTS
    ).first()
    if stuck is None:
        return Outcome.SKIPPED
    error = _("Tiến trình bị dừng %(n)s lần; đã ngừng thử lại.") % {"n": stuck.attempts}
    return _end(stuck, state, State.FAILED, error=error)


def _plan(job: ImportJob, progress) -> importing.ImportPlan:
    try:
        handle = job.path.open("rb")
    except FileNotFoundError:
        message = _("Không còn tệp đã tải lên trên máy chủ; vui lòng tải tệp lên lại.")
        return importing.ImportPlan(
            filename=job.original_name, problems=[Problem(None, None, message)]
        )
    with handle:
        return importing.plan_file(
            handle,
            job.original_name,
            progress=progress,
            province=territory.province_for(job.requested_by),
        )


def _counts(plan: importing.ImportPlan) -> dict:
    """The counts of a valid plan and its warnings (rows imported all the same)."""
    return {
        "to_create": plan.to_create,
        "to_update": plan.to_update,
        "unchanged": plan.unchanged,
        "warnings": problems_as_dicts(plan.warnings, ImportJob.MAX_PROBLEMS),
        "warning_count": len(plan.warnings),
    }


def _end_invalid(job: ImportJob, state: str, plan: importing.ImportPlan) -> Outcome:
    problems = problems_as_dicts(plan.problems, ImportJob.MAX_PROBLEMS)
    return _end(job, state, State.INVALID, problems=problems, problem_count=len(plan.problems))


def _fail(job: ImportJob, state: str, exc: Exception, message: str = "") -> Outcome:
    """End the job `failed`: with `message` for an expected error, else a reference id that the
    log holds with the traceback (never the exception text)."""
    reference = log_exception(logger, "import job %s failed while %s", job.pk, state)
    error = message or system_error_message(reference)
    return _end(job, state, State.FAILED, error=error)


def _end(job: ImportJob, state: str, end_state: str, **fields) -> Outcome:
    """Move the job from `state` to an end state and delete its file (if it was still ours)."""
    now = timezone.now()
    ended = _in_state(job, state).update(
        state=end_state, progress=100, finished_at=now, updated_at=now, **fields
    )
    if not ended:
        return Outcome.SKIPPED
    job.path.unlink(missing_ok=True)
    return Outcome(end_state)


class ProgressWriter:
    """`progress(done, total)` callbacks for importing.plan_file / apply_import that record the
    job's percentage, mapped into the current span, and renew its lease: once per percent, and
    at least every quarter lease while the percent stands still. The writes go through a
    connection of their own (autocommit), so they are visible at once even while the caller's
    transaction is open; they only touch the job while it is in `state`."""

    def __init__(self, job_id: int, state: str):
        self.job_id, self.state = job_id, state
        self.start, self.end = 0, 99
        self.last = -1
        self.written_at = time.monotonic()  # the claim started the lease
        self.connection = None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if self.connection is not None:
            self.connection.close()

    def span(self, start: int, end: int) -> "ProgressWriter":
        self.start, self.end = start, end
        return self

    def __call__(self, done: int, total: int) -> None:
        percent = self.start + (self.end - self.start) * min(done, total) // max(total, 1)
        percent = min(max(percent, self.last), 99)
        renew = time.monotonic() - self.written_at >= settings.IMPORT_LEASE_SECONDS / 4
        if percent != self.last or renew:
            self.last = percent
            self.write(percent)

    def write(self, percent: int) -> None:
        if self.connection is None:
            self.connection = connections.create_connection(DEFAULT_DB_ALIAS)
        table = self.connection.ops.quote_name(ImportJob._meta.db_table)
        now = timezone.now()
        with self.connection.cursor() as cursor:
            # The table name is the model's, quoted; every value is a parameter.
            cursor.execute(
                f"UPDATE {table} SET progress = %s, updated_at = %s, lease_expires_at = %s "  # nosec B608
                "WHERE id = %s AND state = %s",
                [percent, now, _lease_end(now), self.job_id, self.state],
            )
        self.written_at = time.monotonic()
