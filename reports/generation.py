"""Generated reports: request, claim, build, finish, retry, sweep (DESIGN §3, §5).

The life of a job (`Report`):
- `report_request` creates it `queued` and enqueues the Celery task when the transaction commits
  (a rolled-back request never runs);
- `report_generate` (the task body) claims it with one conditional UPDATE — `queued`, or
  `running` with an expired lease, and fewer than 3 attempts — so a second delivery of the same
  message does nothing; the claim counts the attempt and starts a lease that every progress step
  renews;
- the file is written to a temporary name in MEDIA_ROOT/reports/ and renamed (`os.replace`) only
  while the job is still this attempt's (row locked, attempt number checked), so a late or
  duplicate attempt never overwrites or marks anything;
- an error makes the job `queued` again (the task retries it after REPORT_RETRY_DELAY), or
  `failed` after the third attempt; the job shows a reference id (core.errors), the log holds the
  traceback with the same id; what the job stores for the page (its error) is written in the
  language of the user who requested it (accounts.language.in_language_of; the portal's for a
  scheduled report), the document itself always in the portal's;
- `reports_sweep` (beat, every minute; reports/job_queue.py) re-enqueues jobs whose lease
  expired: a worker killed mid-job (its lease stops being renewed), or a message lost before any
  worker claimed it; a job no worker claims within REPORT_QUEUE_TIMEOUT fails.

Test hooks — environment variables read by the worker at run time, for the integration tests
only (never set them in production):
- `REPORT_TEST_DELAY=<seconds>`: sleep that long after each progress step (a slow job that a test
  can kill mid-way);
- `REPORT_TEST_FAIL=1`: every attempt fails.
"""

import hashlib
import logging
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.language import addresses_by_language, in_language_of
from accounts.models import Role, User
from core.errors import log_exception, system_error_message
from core.links import portal_link

from .models import Report
from .stale_marks import mark_stale

__all__ = ["mark_stale"]  # the pages' marks live in reports.stale_marks; imported from here too

logger = logging.getLogger(__name__)

REPORTS_DIR = "reports"
PARTIAL_SUFFIX = ".part"


class Outcome(StrEnum):
    SKIPPED = "skipped"  # not claimable: done, running elsewhere, deleted, or out of attempts
    SUCCEEDED = "succeeded"
    RETRY = "retry"  # this attempt failed; the job is queued again
    FAILED = "failed"  # the last attempt failed


class LeaseLost(Exception):
    """The job is no longer this attempt's (another attempt claimed it, or it was deleted)."""


# --- request -------------------------------------------------------------------------------------

# A national installation (DESIGN §2) builds each province's documents (`Report.province`, its
# content, heading and register) and the Ministry's national one; an account without a province
# has none to request.
NO_PROVINCE = gettext_lazy(
    "Tài khoản của bạn chưa được gán tỉnh/thành phố nên chưa tạo được báo cáo tổng hợp. Vui lòng "
    "liên hệ quản trị hệ thống."
)


def report_request(
    *, kind: str, year: int, fmt: str, by, scheduled: bool = False, province: str = ""
) -> Report:
    """Create a queued report and enqueue its generation once the transaction commits.
    `province`: whose document (Report.province; "" the installation's own or the national)."""
    with transaction.atomic():
        report = Report.objects.create(
            kind=kind,
            year=year,
            province=province,
            format=fmt,
            requested_by=by,
            scheduled=scheduled,
            task_id=_new_task_id(),
            lease_expires_at=_queued_lease(),
        )
        transaction.on_commit(lambda: _enqueue(report.pk, report.task_id))
    return report


class ReportLimitReached(Exception):
    """The requester already has REPORT_MAX_ACTIVE_JOBS reports queued or running."""

    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(
            _(
                "Bạn đang có %(n)s báo cáo chờ hoặc đang tạo, bằng số tối đa cho phép. Vui lòng "
                "đợi một báo cáo hoàn thành rồi gửi yêu cầu mới."
            )
            % {"n": limit}
        )


def report_request_once(
    *, kind: str, year: int, fmt: str, by, province: str = ""
) -> tuple[Report, bool]:
    """What the request page and `generate_report` call: `(report, created)`.

    A job identical to this request (same kind, year, format and province — the year is the
    period) that is queued or running and that the requester may open (`shared_jobs`) is
    returned instead of queuing another one: staff share any such job, an official only their
    own (officials never open another's draft, DESIGN §5), so an official whose request matches
    a staff member's job gets a job of their own. Otherwise a requester (`by`; None = the command
    line, not limited) with REPORT_MAX_ACTIVE_JOBS jobs queued or running gets
    ReportLimitReached and nothing is queued. The requester's row and (PostgreSQL) an advisory
    lock on the request serialise concurrent requests, so neither rule can be raced past.
    """
    with transaction.atomic():
        if by is not None:
            locked = get_user_model().objects.select_for_update().filter(pk=by.pk)
            list(locked.values_list("pk", flat=True))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(hashtext(%s))",
                    [f"sxsh.report-request:{kind}:{year}:{fmt}:{province}"],
                )
        same = shared_jobs(by).filter(kind=kind, year=year, format=fmt, province=province)
        existing = same.order_by("requested_at", "pk").first()
        if existing is not None:
            if existing.requested_by_id != getattr(by, "pk", None) and not existing.shared:
                # Someone else waits for it now: its requester can no longer withdraw it.
                existing.shared = True
                existing.save(update_fields=["shared"])
            return existing, False
        limit = settings.REPORT_MAX_ACTIVE_JOBS
        if by is not None and Report.objects.active().filter(requested_by=by).count() >= limit:
            raise ReportLimitReached(limit)
        return report_request(kind=kind, year=year, fmt=fmt, by=by, province=province), True


def shared_jobs(by):
    """The queued or running jobs a request of `by` may be answered with: those `by` may open
    (Report.objects.visible_to; every job for the command line, `by` None) — never a job the
    requester would then get 404 for."""
    jobs = Report.objects.active()
    return jobs if by is None else jobs.visible_to(by)


class FormatsLimitReached(Exception):
    """Requesting every format at once would take the requester past REPORT_MAX_ACTIVE_JOBS."""

    def __init__(self, limit: int, *, active: int, needed: int):
        self.limit, self.active, self.needed = limit, active, needed
        super().__init__(
            _(
                "Chưa tạo báo cáo nào: tạo cả các định dạng cần %(needed)s lượt, nhưng bạn đang có "
                "%(active)s báo cáo chờ hoặc đang tạo và mỗi người chỉ được có tối đa %(limit)s. "
                "Vui lòng đợi các báo cáo đang tạo hoàn thành, hoặc chọn từng định dạng."
            )
            % {"needed": needed, "active": active, "limit": limit},
        )


def report_request_formats(
    *, kind: str, year: int, by, province: str = ""
) -> list[tuple[Report, bool]]:
    """Every format of `kind` (Report.formats_for) in one request: `(report, created)` per
    format, as `report_request_once`. All or nothing: when the formats that have no identical
    job queued or running would take the requester past REPORT_MAX_ACTIVE_JOBS, nothing is
    queued and FormatsLimitReached says how many places it needs."""
    formats = Report.formats_for(kind)
    with transaction.atomic():
        if by is not None:
            locked = get_user_model().objects.select_for_update().filter(pk=by.pk)
            list(locked.values_list("pk", flat=True))
            shared = set(
                shared_jobs(by)
                .filter(kind=kind, year=year, format__in=formats, province=province)
                .values_list("format", flat=True)
            )
            needed = len([fmt for fmt in formats if fmt not in shared])
            active = Report.objects.active().filter(requested_by=by).count()
            limit = settings.REPORT_MAX_ACTIVE_JOBS
            if needed and active + needed > limit:
                raise FormatsLimitReached(limit, active=active, needed=needed)
        return [
            report_request_once(kind=kind, year=year, fmt=fmt, by=by, province=province)
            for fmt in formats
        ]


def _new_task_id() -> str:
    return str(uuid.uuid4())


def _queued_lease():
    """When the sweeper should enqueue a still-unclaimed job again (its message was lost)."""
    return timezone.now() + timedelta(seconds=settings.REPORT_LEASE_SECONDS * 5)


def _enqueue(report_id: int, task_id: str) -> None:
    from .tasks import generate_report_task

    generate_report_task.apply_async(args=[report_id], task_id=task_id)


# --- claim and attempt ---------------------------------------------------------------------------


def _lease_end():
    return timezone.now() + timedelta(seconds=settings.REPORT_LEASE_SECONDS)


def report_claim(report_id: int, *, task_id: str = "") -> "Attempt | None":
    """Take the job for one attempt, or None when it is not claimable (conditional UPDATE)."""
    now = timezone.now()
    claimed = (
        Report.objects.claimable(now)
        .filter(pk=report_id)
        .update(
            state=Report.State.RUNNING,
            attempts=F("attempts") + 1,
            progress=0,
            lease_expires_at=_lease_end(),
            started_at=Coalesce(F("started_at"), Value(now)),
            task_id=task_id or F("task_id"),
        )
    )
    if not claimed:
        return None
    report = Report.objects.select_related("requested_by").get(pk=report_id)
    return Attempt(report=report, number=report.attempts)


@dataclass
class Attempt:
    """One claimed run of a job. Every write checks that the job is still this attempt's."""

    report: Report
    number: int

    def _mine(self):
        return Report.objects.filter(
            pk=self.report.pk, state=Report.State.RUNNING, attempts=self.number
        )

    def progress(self, percent: int) -> None:
        """Record progress and renew the lease; LeaseLost if the job is no longer ours."""
        if not self._mine().update(progress=min(percent, 99), lease_expires_at=_lease_end()):
            raise LeaseLost
        _test_delay()

    def finish(self, partial: Path, content_sha256: str = "", figures_sha256: str = "") -> None:
        """Rename the finished file into place and mark the job succeeded, atomically with
        respect to any other attempt (the row stays locked until both are done); keep the
        fingerprints of its content, which issuing checks, and of its figures (`build_file`)."""
        digest, size = file_digest(partial)
        final = reports_dir() / self.report.download_name
        with transaction.atomic():
            if not self._mine().select_for_update().exists():
                raise LeaseLost
            os.replace(partial, final)
            self._mine().update(
                state=Report.State.SUCCEEDED,
                progress=100,
                file=f"{REPORTS_DIR}/{final.name}",
                sha256=digest,
                size_bytes=size,
                content_sha256=content_sha256,
                figures_sha256=figures_sha256,
                error="",
                finished_at=timezone.now(),
                lease_expires_at=None,
            )
            if self.report.scheduled:
                # A scheduled draft goes to staff to review and issue; officials hear of it only
                # once it is issued (reports/issuing.py).
                report_id = self.report.pk
                transaction.on_commit(lambda: notify_staff_draft(report_id))

    def fail(self, message: str) -> Outcome:
        """Queue the job again, or mark it failed after the last attempt; `message` is what the
        report page shows (a reference id for an unexpected error, never the exception text)."""
        last = self.number >= Report.MAX_ATTEMPTS
        now = timezone.now()
        if last:
            fields = {"state": Report.State.FAILED, "finished_at": now, "lease_expires_at": None}
        else:
            retry_at = now + timedelta(seconds=settings.REPORT_RETRY_DELAY)
            lease = retry_at + timedelta(seconds=settings.REPORT_LEASE_SECONDS)
            fields = {"state": Report.State.QUEUED, "lease_expires_at": lease}
        error = _("Lần chạy %(n)s/%(max)s lỗi: %(message)s") % {
            "n": self.number,
            "max": Report.MAX_ATTEMPTS,
            "message": message,
        }
        if not self._mine().update(error=error, **fields):
            return Outcome.SKIPPED
        return Outcome.FAILED if last else Outcome.RETRY


# --- the task body ---------------------------------------------------------------------------


def report_generate(*, report_id: int, task_id: str = "") -> Outcome:
    """Claim the job and build its file; what the Celery task runs."""
    attempt = report_claim(report_id, task_id=task_id)
    if attempt is None:
        return Outcome.SKIPPED
    with in_language_of(attempt.report.requested_by):
        return _run_attempt(attempt)


def _run_attempt(attempt: Attempt) -> Outcome:
    report_id = attempt.report.pk
    partial = None
    try:
        remove_partial_files(attempt.report)
        partial = partial_path(attempt)
        with translation.override(settings.LANGUAGE_CODE):
            kept = build_file(attempt.report, partial, attempt.progress) or ("", "")
        attempt.finish(partial, content_sha256=kept[0], figures_sha256=kept[1])
        return Outcome.SUCCEEDED
    except LeaseLost:
        logger.warning("report %s: attempt %s lost its lease", report_id, attempt.number)
        return Outcome.SKIPPED
    except Exception as exc:
        reference = log_exception(logger, "report %s: attempt %s failed", report_id, attempt.number)
        _drop_lost_connection(exc)
        return attempt.fail(system_error_message(reference))
    finally:
        if partial is not None:
            partial.unlink(missing_ok=True)


def _drop_lost_connection(exc: Exception) -> None:
    """The database session died mid-attempt (server restart, failover, terminated backend):
    close it, so that recording the failure reconnects instead of failing the same way and
    leaving the job `running` until its lease expires."""
    lost = isinstance(exc, DatabaseError) and not connection.in_atomic_block
    if lost and not connection.is_usable():
        connection.close()


class ContentChanged(Exception):
    """Issuing refused: what the draft says has changed since it was built (or was never
    fingerprinted: `legacy`), so the issued document would not be the draft staff reviewed."""

    def __init__(self, *, legacy: bool = False):
        self.legacy = legacy
        if legacy:
            message = _(
                "Dự thảo này được tạo trước khi Cổng lưu dấu nội dung dự thảo, nên không kiểm tra "
                "được văn bản ban hành có giống dự thảo đã rà soát hay không. Chưa ban hành, chưa "
                "lấy số: hãy tạo dự thảo mới, rà soát rồi ban hành."
            )
        else:
            message = _(
                "Số liệu hoặc nội dung báo cáo đã thay đổi kể từ khi tạo dự thảo này (ví dụ có "
                "báo cáo năm được duyệt thêm, hoặc phần nhận xét, phương hướng, kiến nghị đã "
                "sửa), nên văn bản ban hành sẽ khác dự thảo đã rà soát. Chưa ban hành, chưa lấy "
                "số: hãy tạo dự thảo mới, rà soát rồi ban hành."
            )
        super().__init__(message)


def build_file(report: Report, path: Path, progress) -> tuple[str, str]:
    """Gather the content once, then write it in the report's format to `path`; returns the
    fingerprints of the content and of the figures of the format (reports.files.fingerprint;
    for the Ministry's table those of its figures, twice: reports.stale_marks), taken before the
    file is written: data changed in between makes the draft marked, never a changed file look
    unchanged.

    An issued report (issuing builds it once more, reports/issuing.py) is written only when the
    content gathered now has the fingerprint kept with its draft (`Report.content_sha256`):
    ContentChanged otherwise, before anything is written. The check is made on the very content
    that is then written, so nothing can change in between."""
    from .files import content, docx, ministry, pdf, xlsx
    from .files.fingerprint import figures_fingerprint, fingerprint
    from .stale_marks import table_fingerprint

    if os.environ.get("REPORT_TEST_FAIL"):
        raise RuntimeError("REPORT_TEST_FAIL: lỗi giả lập để kiểm thử")
    progress(5)
    if report.kind == Report.Kind.MINISTRY_TABLE:
        table = ministry.gather(report.year, province=report.province)
        table_sha256 = table_fingerprint(table)
        ministry.write_ministry_xlsx(table, path, progress)
        return table_sha256, table_sha256
    gathered = content.gather(report.year, progress, period=report.period, province=report.province)
    content_sha256 = fingerprint(gathered)
    figures_sha256 = "" if report.is_issued else figures_fingerprint(gathered, report.format)
    if report.is_issued:
        if not report.content_sha256:
            raise ContentChanged(legacy=True)
        if report.content_differs(content_sha256):
            raise ContentChanged
        # Issuing builds the document once more (reports/issuing.py) with what it recorded: the
        # number, the date, the signer and the recipients, before the file's SHA-256 is taken.
        content.dated(
            gathered, report.issue_date, f"Số: {report.number_label}", province=report.province
        )
        gathered.signer = content.Signer(
            on_behalf=report.signer_on_behalf, title=report.signer_title, name=report.signer_name
        )
        gathered.issued_recipients = report.recipient_lines
    writers = {
        Report.Format.XLSX: xlsx.write_xlsx,
        Report.Format.PDF: pdf.write_pdf,
        Report.Format.DOCX: docx.write_docx,
    }
    writers[report.format](gathered, path, progress)
    return content_sha256, figures_sha256


def _test_delay() -> None:
    delay = float(os.environ.get("REPORT_TEST_DELAY") or 0)
    if delay > 0:
        time.sleep(delay)


# --- files ---------------------------------------------------------------------------------------


def reports_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / REPORTS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def partial_path(attempt: Attempt) -> Path:
    """A temporary name in the final folder, so the rename is atomic (same file system)."""
    name = f".report-{attempt.report.pk}-{attempt.number}-{uuid.uuid4().hex[:8]}{PARTIAL_SUFFIX}"
    return reports_dir() / name


def remove_partial_files(report: Report) -> None:
    """Leftovers of earlier attempts of this job (a worker killed mid-write)."""
    for leftover in reports_dir().glob(f".report-{report.pk}-*{PARTIAL_SUFFIX}"):
        leftover.unlink(missing_ok=True)


def file_digest(path: Path) -> tuple[str, int]:
    with open(path, "rb") as handle:
        digest = hashlib.file_digest(handle, "sha256")
    return digest.hexdigest(), path.stat().st_size


class IssuedReportProtected(Exception):
    """An issued document (a number of the outgoing register) is never deleted."""


def report_delete(*, report: Report) -> None:
    """Delete the report and its file (a running attempt then loses its lease and stops);
    IssuedReportProtected for an issued document."""
    with transaction.atomic():
        locked = Report.objects.select_for_update().filter(pk=report.pk).first()
        if locked is None:
            return
        if locked.is_issued:
            raise IssuedReportProtected
        report = locked
        remove_partial_files(report)
        if report.file:
            report.file.delete(save=False)
        report.delete()


# --- retention -----------------------------------------------------------------------------------


def report_files_purge(*, now=None) -> int:
    """Delete the files of reports built more than REPORT_RETENTION_DAYS ago (beat, daily).

    The row stays (with its size and SHA-256) and `Report.file_purged` becomes true, so the pages
    say the file was removed under the retention policy. Which reports qualify is decided by
    `ReportQuerySet.retention_expired` alone (the hook that will keep issued documents).
    Returns the number of files deleted."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.REPORT_RETENTION_DAYS)
    purged = 0
    for pk in Report.objects.retention_expired(cutoff).values_list("pk", flat=True):
        with transaction.atomic():
            report = Report.objects.retention_expired(cutoff).select_for_update().filter(pk=pk)
            report = report.first()
            if report is None:  # deleted or purged meanwhile
                continue
            name = report.file.name
            Report.objects.filter(pk=pk).update(file="")
            # Inside the transaction: if the storage refuses, the row keeps pointing at the file.
            report.file.storage.delete(name)
        purged += 1
        logger.info(
            "report %s: file %s deleted (older than %s days)",
            pk,
            name,
            settings.REPORT_RETENTION_DAYS,
        )
    return purged


# --- sweeper and schedule ------------------------------------------------------------------------


def reports_sweep() -> dict[str, int]:
    """The sweeper (beat, every minute): reports/job_queue.py."""
    from .job_queue import reports_sweep

    return reports_sweep()


def notify_staff_draft(report_id: int) -> int:
    """E-mail the active staff (Bcc) that a scheduled draft awaits review and issuing; returns
    the number of recipients. Officials are not told: a draft is not a document yet. In a
    national installation the staff of the document's province; nobody for the national document
    (no province's staff issue it; the Ministry reads it on the list)."""
    report = Report.objects.get(pk=report_id)
    link = portal_link("reports:detail", report.pk)

    def write():
        subject = _("Dự thảo %(report)s chờ rà soát và ban hành") % {"report": report}
        body = _(
            "Kính gửi cán bộ Sở Công Thương,\n\n"
            "Dự thảo %(report)s đã được tạo tự động sau hạn nộp số liệu của cơ sở và thời gian "
            "rà soát. Vui lòng kiểm tra dự thảo, rồi ban hành (cấp số) để gửi lãnh đạo (cần "
            "đăng nhập):\n%(link)s\n\n"
            "Cổng thông tin Sản xuất sạch hơn – Sở Công Thương"
        ) % {"report": report, "link": link}
        return subject, body

    staff = User.objects.mailed_for(Role.STAFF, report.province)
    return mail_in_each_language(staff, write, about=f"report {report_id}: the staff")


def mail_in_each_language(users, write: Callable[[], tuple[str, str]], *, about: str) -> int:
    """E-mail `users` (Bcc) one message per language they picked (accounts.language), `write()`
    giving its (subject, body) in the language active when it is called; returns the number of
    addresses mailed. A mail server error is logged, not raised: what the mail tells of stands."""
    mailed = 0
    for language, recipients in addresses_by_language(users):
        with translation.override(language):
            subject, body = write()
        try:
            EmailMessage(subject=subject, body=body, bcc=recipients).send()
        except OSError:
            logger.exception("%s: could not e-mail those who read %s", about, language)
            continue
        mailed += len(recipients)
    return mailed
