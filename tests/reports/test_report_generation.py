"""The life of a generated-report job, with the task body called directly (no worker):
request -> claim -> progress -> finish; retries, failure after 3 attempts, leases, the sweeper,
the yearly schedule and the officials' e-mail."""

import logging
import re
from datetime import date, timedelta
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.utils import timezone

from accounts.models import Role
from assessments.models import ReportingDeadline
from reports import generation, scheduling
from reports.generation import Outcome
from reports.models import Report
from reports.tasks import annual_reports_task, generate_report_task, sweep_reports_task

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enqueued():
    """The (report id, task id) pairs sent to the broker."""
    with mock.patch.object(generate_report_task, "apply_async") as apply_async:
        yield apply_async


def queued_report(**fields) -> Report:
    return Report.objects.create(year=2018, format="xlsx", **fields)


# --- request ---------------------------------------------------------------------------------


def test_request_enqueues_on_commit(staff, enqueued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = generation.report_request(
            kind=Report.Kind.ANNUAL_PROGRESS, year=2018, fmt="pdf", by=staff
        )
    assert report.state == Report.State.QUEUED
    assert report.requested_by == staff
    assert report.lease_expires_at > timezone.now()
    assert len(callbacks) == 1
    enqueued.assert_not_called()  # nothing is sent before the commit

    callbacks[0]()
    enqueued.assert_called_once_with(args=[report.pk], task_id=report.task_id)


def test_request_rolled_back_enqueues_nothing(staff, enqueued, django_capture_on_commit_callbacks):
    from django.db import transaction

    class Abort(Exception):
        pass

    callbacks = django_capture_on_commit_callbacks(execute=True)
    with callbacks, pytest.raises(Abort), transaction.atomic():
        generation.report_request(kind="annual_progress", year=2018, fmt="pdf", by=staff)
        raise Abort
    enqueued.assert_not_called()
    assert not Report.objects.exists()


# --- claim -----------------------------------------------------------------------------------


def test_second_delivery_of_the_same_job_does_nothing(db):
    report = queued_report()
    first = generation.report_claim(report.pk)
    assert first is not None and first.number == 1
    assert generation.report_claim(report.pk) is None
    assert generation.report_generate(report_id=report.pk) == Outcome.SKIPPED
    report.refresh_from_db()
    assert report.state == Report.State.RUNNING
    assert report.attempts == 1
    assert report.started_at is not None


def test_finished_jobs_are_never_claimed_again(db):
    report = queued_report()
    assert generation.report_generate(report_id=report.pk) == Outcome.SUCCEEDED
    assert generation.report_generate(report_id=report.pk) == Outcome.SKIPPED
    report.refresh_from_db()
    assert report.attempts == 1
    assert report.state == Report.State.SUCCEEDED


def test_an_expired_lease_can_be_claimed_and_the_old_attempt_loses(db, settings):
    report = queued_report()
    old = generation.report_claim(report.pk)
    Report.objects.filter(pk=report.pk).update(lease_expires_at=timezone.now() - timedelta(1))
    new = generation.report_claim(report.pk)
    assert new.number == 2

    with pytest.raises(generation.LeaseLost):
        old.progress(50)
    partial = generation.partial_path(old)
    partial.write_bytes(b"stale")
    with pytest.raises(generation.LeaseLost):
        old.finish(partial)
    assert partial.exists()  # not renamed into place
    assert old.fail("late") == Outcome.SKIPPED
    report.refresh_from_db()
    assert report.state == Report.State.RUNNING
    assert report.error == ""


def test_progress_renews_the_lease(db):
    report = queued_report()
    attempt = generation.report_claim(report.pk)
    Report.objects.filter(pk=report.pk).update(lease_expires_at=timezone.now())
    attempt.progress(40)
    report.refresh_from_db()
    assert report.progress == 40
    assert report.lease_expires_at > timezone.now() + timedelta(seconds=60)


def test_leftovers_of_a_killed_attempt_are_removed(db, settings):
    report = queued_report()
    folder = generation.reports_dir()
    (folder / f".report-{report.pk}-1-dead.part").write_bytes(b"half a file")
    (folder / ".report-999999-1-other.part").write_bytes(b"another job")
    assert generation.report_generate(report_id=report.pk) == Outcome.SUCCEEDED
    names = sorted(p.name for p in folder.iterdir())
    assert names == [".report-999999-1-other.part", report.download_name]


# --- failure and retries -----------------------------------------------------------------------


def logged_reference(caplog) -> tuple[str, logging.LogRecord]:
    """The reference id of the last error logged with a traceback, and its record."""
    [*_, record] = [r for r in caplog.records if r.exc_info and "[ref " in r.getMessage()]
    return re.search(r"\[ref ([0-9a-f]{12})\]", record.getMessage()).group(1), record


def test_failure_is_retried_then_fails_after_three_attempts(db, monkeypatch, caplog):
    monkeypatch.setenv("REPORT_TEST_FAIL", "1")
    report = queued_report()
    assert generation.report_generate(report_id=report.pk) == Outcome.RETRY
    report.refresh_from_db()
    assert report.state == Report.State.QUEUED
    assert report.attempts == 1
    # The job shows a reference id, never the exception; the log has both, with the same id.
    reference, record = logged_reference(caplog)
    assert report.error == f"Lần chạy 1/3 lỗi: Lỗi hệ thống, mã tham chiếu: {reference}"
    assert "REPORT_TEST_FAIL" in str(record.exc_info[1])

    assert generation.report_generate(report_id=report.pk) == Outcome.RETRY
    assert generation.report_generate(report_id=report.pk) == Outcome.FAILED
    report.refresh_from_db()
    assert report.state == Report.State.FAILED
    assert report.attempts == 3
    last, _record = logged_reference(caplog)
    assert last != reference
    assert report.error == f"Lần chạy 3/3 lỗi: Lỗi hệ thống, mã tham chiếu: {last}"
    assert "RuntimeError" not in report.error and "REPORT_TEST_FAIL" not in report.error
    assert report.finished_at is not None
    assert not report.file
    assert generation.report_generate(report_id=report.pk) == Outcome.SKIPPED
    assert list(generation.reports_dir().iterdir()) == []


def test_task_asks_celery_to_retry_after_a_failed_attempt(db, monkeypatch):
    monkeypatch.setenv("REPORT_TEST_FAIL", "1")
    report = queued_report()
    with pytest.raises(Retry):
        generate_report_task(report.pk)
    report.refresh_from_db()
    assert report.state == Report.State.QUEUED


def test_task_returns_the_outcome(db):
    report = queued_report()
    assert generate_report_task(report.pk) == "succeeded"
    assert generate_report_task(report.pk) == "skipped"
    assert generate_report_task(987654) == "skipped"


def test_task_options(settings):
    assert generate_report_task.acks_late is True
    assert generate_report_task.reject_on_worker_lost is True
    assert generate_report_task.soft_time_limit == settings.CELERY_TASK_SOFT_TIME_LIMIT
    assert generate_report_task.time_limit == settings.CELERY_TASK_TIME_LIMIT
    assert generate_report_task.soft_time_limit < generate_report_task.time_limit


def test_deleted_job_stops_the_attempt(db):
    report = queued_report()
    attempt = generation.report_claim(report.pk)
    generation.report_delete(report=report)
    with pytest.raises(generation.LeaseLost):
        attempt.progress(10)


# --- sweeper -------------------------------------------------------------------------------------


def expire(report: Report) -> None:
    Report.objects.filter(pk=report.pk).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )


def test_sweeper_requeues_a_job_whose_worker_died(enqueued, django_capture_on_commit_callbacks):
    report = queued_report()
    generation.report_claim(report.pk)  # the worker then dies: no more progress
    assert generation.reports_sweep() == {"requeued": 0, "failed": 0}  # lease still valid
    expire(report)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_reports_task() == {"requeued": 1, "failed": 0}
    report.refresh_from_db()
    assert report.state == Report.State.QUEUED
    assert report.attempts == 1
    enqueued.assert_called_once_with(args=[report.pk], task_id=report.task_id)

    assert generation.report_generate(report_id=report.pk) == Outcome.SUCCEEDED
    report.refresh_from_db()
    assert report.attempts == 2


def test_sweeper_requeues_a_queued_job_whose_message_was_lost(
    enqueued, django_capture_on_commit_callbacks
):
    report = queued_report(lease_expires_at=timezone.now() - timedelta(seconds=5))
    with django_capture_on_commit_callbacks(execute=True):
        generation.reports_sweep()
    enqueued.assert_called_once()
    report.refresh_from_db()
    assert report.lease_expires_at > timezone.now()


def test_sweeper_fails_a_job_that_used_every_attempt(enqueued):
    report = queued_report(state=Report.State.RUNNING, attempts=3)
    expire(report)
    assert generation.reports_sweep() == {"requeued": 0, "failed": 1}
    report.refresh_from_db()
    assert report.state == Report.State.FAILED
    assert "3/3" in report.error
    enqueued.assert_not_called()


def test_sweeper_leaves_finished_jobs_alone(enqueued):
    queued_report(state=Report.State.SUCCEEDED, lease_expires_at=timezone.now() - timedelta(1))
    queued_report(state=Report.State.FAILED, lease_expires_at=timezone.now() - timedelta(1))
    assert generation.reports_sweep() == {"requeued": 0, "failed": 0}


# --- schedule and e-mail -------------------------------------------------------------------------


def test_schedule_waits_for_the_deadline_and_the_review_window(enqueued, settings, plan_2021_2030):
    settings.REPORT_AUTO_FORMATS = ["pdf"]
    settings.REPORT_REVIEW_DAYS = 30
    # 2020's self-reports are due on 15 January 2021 (the default): drafts from 14 February.
    assert scheduling.reports_schedule_annual(today=date(2021, 1, 10)) == []
    assert scheduling.reports_schedule_annual(today=date(2021, 2, 13)) == []
    assert {r.year for r in scheduling.reports_schedule_annual(today=date(2021, 2, 14))} == {2020}
    # A deadline set by staff moves the run.
    ReportingDeadline.objects.create(year=2021, deadline=date(2022, 3, 1))
    assert scheduling.reports_schedule_annual(today=date(2022, 3, 30)) == []
    assert {r.year for r in scheduling.reports_schedule_annual(today=date(2022, 3, 31))} == {2021}


def test_schedule_creates_last_years_reports_once(enqueued, settings):
    settings.REPORT_AUTO_FORMATS = ["pdf", "xlsx"]
    settings.REPORT_REVIEW_DAYS = 0
    created = scheduling.reports_schedule_annual(today=date(2021, 1, 15))
    # The annual report in each format, and the Ministry's table (XLSX only) with it.
    assert sorted((r.kind, r.year, r.format, r.scheduled) for r in created) == [
        ("annual_progress", 2020, "pdf", True),
        ("annual_progress", 2020, "xlsx", True),
        ("ministry_table", 2020, "xlsx", True),
    ]
    assert scheduling.reports_schedule_annual(today=date(2021, 2, 10)) == []
    Report.objects.filter(format="pdf").update(state=Report.State.FAILED)
    assert [r.format for r in scheduling.reports_schedule_annual(today=date(2021, 2, 10))] == [
        "pdf"
    ]


def test_annual_task_uses_this_year(enqueued, settings, plan_2021_2030):
    settings.REPORT_AUTO_FORMATS = ["docx"]
    settings.REPORT_REVIEW_DAYS = 0
    this_year = timezone.localdate().year
    ReportingDeadline.objects.create(year=this_year - 1, deadline=date(this_year, 1, 1))
    ids = annual_reports_task()
    report = Report.objects.get(pk__in=ids, kind=Report.Kind.ANNUAL_PROGRESS)
    assert Report.objects.get(pk__in=ids, kind=Report.Kind.MINISTRY_TABLE).format == "xlsx"
    assert report.year == timezone.localdate().year - 1
    assert report.requested_by is None


def test_beat_schedule_has_the_sweeper_and_the_yearly_report(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["generated-reports-sweep"]["task"] == "reports.tasks.sweep_reports_task"
    yearly = schedule["generated-reports-annual"]
    assert yearly["task"] == "reports.tasks.annual_reports_task"
    # Checked daily: the task itself waits for the deadline plus REPORT_REVIEW_DAYS.
    assert yearly["schedule"].hour == {6}
    assert len(yearly["schedule"].day_of_month) == 31
    assert len(yearly["schedule"].month_of_year) == 12


def test_scheduled_draft_emails_the_staff_not_the_officials(
    mailoutbox, settings, official, django_capture_on_commit_callbacks
):
    settings.PORTAL_URL = "https://sxsh.example.gov.vn"
    UserFactory(username="lanhdao_khong_email", role=Role.OFFICIAL, email="")
    UserFactory(username="lanhdao_nghi", role=Role.OFFICIAL, is_active=False)
    staff = UserFactory(username="canbo_email", role=Role.STAFF, email="canbo@example.gov.vn")
    UserFactory(username="canbo_nghi", role=Role.STAFF, is_active=False)
    report = queued_report(scheduled=True)

    with django_capture_on_commit_callbacks(execute=True):
        assert generation.report_generate(report_id=report.pk) == Outcome.SUCCEEDED
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == []
    assert message.bcc == [staff.email]
    assert official.email not in message.bcc
    assert "2018" in message.subject
    assert "Dự thảo" in message.subject
    assert f"https://sxsh.example.gov.vn/reports/files/{report.pk}/" in message.body
    report.refresh_from_db()
    assert not report.is_issued


def test_requested_report_sends_no_email(
    mailoutbox, official, staff, django_capture_on_commit_callbacks
):
    report = queued_report(requested_by=staff)
    with django_capture_on_commit_callbacks(execute=True):
        assert generation.report_generate(report_id=report.pk) == Outcome.SUCCEEDED
    assert mailoutbox == []


def test_email_failure_does_not_fail_the_report(staff, django_capture_on_commit_callbacks):
    report = queued_report(scheduled=True)
    send = mock.patch("reports.generation.EmailMessage.send", side_effect=OSError("no SMTP"))
    with send as sent, django_capture_on_commit_callbacks(execute=True):
        assert generation.report_generate(report_id=report.pk) == Outcome.SUCCEEDED
    sent.assert_called_once()
    report.refresh_from_db()
    assert report.state == Report.State.SUCCEEDED
