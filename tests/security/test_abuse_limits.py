"""Cheap requests stay cheap (issue 11, point 4): report jobs per user and identical requests,
the retention purge of generated files, and the password-reset mail limits."""

import logging
import os
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from reports.models import Report
from reports.tasks import generate_report_task, purge_report_files_task
from sxsh_portal.celery import app as celery_app

from ..concurrency import post_concurrently
from ..factories import UserFactory
from ..reports.report_view_helpers import PDF_BYTES, make_report

REQUEST = reverse("reports:request")
RESET = reverse("accounts:password_reset")
RESET_DONE = reverse("accounts:password_reset_done")


@pytest.fixture
def enqueued():
    """Celery's send (no worker runs here); the job rows are what the tests look at."""
    with mock.patch.object(generate_report_task, "apply_async") as apply_async:
        yield apply_async


def ask(client, *, year=2018, fmt="pdf", kind="annual_progress"):
    return client.post(REQUEST, {"kind": kind, "year": str(year), "format": fmt})


def last_message(response) -> str:
    """The message this response added (earlier ones wait unread in the session)."""
    return [str(message) for message in get_messages(response.wsgi_request)][-1]


# --- at most N active jobs per user --------------------------------------------------------------


def test_a_user_may_have_at_most_three_active_jobs(
    client, official, enqueued, django_capture_on_commit_callbacks
):
    client.force_login(official)
    with django_capture_on_commit_callbacks(execute=True):
        for year, fmt in ((2016, "pdf"), (2017, "pdf"), (2018, "xlsx")):
            assert ask(client, year=year, fmt=fmt).status_code == 302
    assert Report.objects.filter(requested_by=official).count() == 3
    assert enqueued.call_count == 3

    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, year=2018, fmt="docx")
    assert response.status_code == 302
    assert response.url == reverse("reports:list")
    message = last_message(response)
    assert "3 báo cáo chờ hoặc đang tạo" in message and "số tối đa" in message
    assert Report.objects.count() == 3  # nothing queued
    assert enqueued.call_count == 3
    page = client.get(response.url)
    assert "số tối đa cho phép" in page.text

    # The limit is per user: a colleague may still ask.
    other = UserFactory(username="lanhdao_khac", role=Role.OFFICIAL)
    client.force_login(other)
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, year=2018, fmt="docx")
    assert Report.objects.filter(requested_by=other).count() == 1

    # A finished job frees a place.
    Report.objects.filter(requested_by=official, year=2016).update(state=Report.State.SUCCEEDED)
    client.force_login(official)
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, year=2019, fmt="pdf")
    assert Report.objects.filter(requested_by=official).count() == 4


def test_the_limit_is_a_setting(client, staff, enqueued, settings):
    settings.REPORT_MAX_ACTIVE_JOBS = 1
    client.force_login(staff)
    ask(client, year=2017)
    response = ask(client, year=2018)
    assert "1 báo cáo chờ hoặc đang tạo" in last_message(response)
    assert Report.objects.count() == 1


# --- identical requests share one job ------------------------------------------------------------


def test_an_identical_request_returns_the_queued_job(
    client, official, staff, enqueued, django_capture_on_commit_callbacks
):
    client.force_login(official)
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, year=2018, fmt="pdf")
    [job] = Report.objects.all()

    # Another requester asks for the same figures: same job, no second message to the workers.
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, year=2018, fmt="pdf")
    assert response.status_code == 302
    assert response.url == reverse("reports:detail", args=[job.pk])
    message = last_message(response)
    assert f"#{job.pk}" in message and "không tạo thêm yêu cầu mới" in message
    assert Report.objects.count() == 1
    assert enqueued.call_count == 1

    # ... and may follow it and download the file once it is built.
    assert client.get(response.url).status_code == 200
    Report.objects.filter(pk=job.pk).update(state=Report.State.RUNNING)
    assert ask(client, year=2018, fmt="pdf").url == reverse("reports:detail", args=[job.pk])
    job.refresh_from_db()
    job.file.save(job.download_name, make_report().file, save=False)
    job.state = Report.State.SUCCEEDED
    job.save()
    download = client.get(reverse("reports:download", args=[job.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES


@pytest.mark.parametrize("different", [{"year": 2017}, {"fmt": "xlsx"}])
def test_a_different_request_gets_its_own_job(client, official, enqueued, different):
    client.force_login(official)
    ask(client)
    ask(client, **different)
    assert Report.objects.count() == 2


@pytest.mark.parametrize("state", [Report.State.SUCCEEDED, Report.State.FAILED])
def test_a_finished_job_is_not_reused(client, official, enqueued, state):
    old = make_report(state=state, by=official)
    client.force_login(official)
    response = ask(client, year=old.year, fmt=old.format)
    assert response.url == reverse("reports:list")
    assert Report.objects.exclude(pk=old.pk).get().state == Report.State.QUEUED


def test_an_identical_request_is_answered_even_at_the_limit(client, staff, official, enqueued):
    # Staff see every job, so an official's identical one answers them (an official is never
    # sent to a staff member's job they may not open: test_request_once_visibility).
    for year in (2016, 2017, 2018):
        Report.objects.create(year=year, format="docx", requested_by=staff)
    shared = Report.objects.create(year=2018, format="pdf", requested_by=official)
    client.force_login(staff)
    response = ask(client, year=2018, fmt="pdf")
    assert response.url == reverse("reports:detail", args=[shared.pk])
    assert Report.objects.count() == 4


def test_the_command_reuses_an_identical_job(db, enqueued):
    job = Report.objects.create(year=2018, format="xlsx", state=Report.State.RUNNING)
    with pytest.raises(CommandError, match=rf"Báo cáo #{job.pk} vẫn ở trạng thái “Đang tạo”"):
        call_command("generate_report", year=2018, format="xlsx", timeout=1)
    assert Report.objects.count() == 1
    enqueued.assert_not_called()


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_cannot_pass_the_limit(enqueued):
    official = UserFactory(username="lanhdao_dongthoi", role=Role.OFFICIAL)
    requests = [
        (official, {"kind": "annual_progress", "year": str(year), "format": fmt})
        for year in (2016, 2017, 2018)
        for fmt in ("pdf", "xlsx")
    ]
    assert post_concurrently(REQUEST, requests) == [302] * 6
    assert Report.objects.filter(requested_by=official).count() == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_identical_requests_share_one_job(enqueued):
    users = [UserFactory(username=f"canbo_dongthoi_{i}", role=Role.STAFF) for i in range(5)]
    data = {"kind": "annual_progress", "year": "2018", "format": "pdf"}
    assert post_concurrently(REQUEST, [(user, data) for user in users]) == [302] * 5
    assert Report.objects.count() == 1


# --- retention purge ---------------------------------------------------------------------------


def _aged(report, days):
    Report.objects.filter(pk=report.pk).update(finished_at=timezone.now() - timedelta(days=days))
    report.refresh_from_db()
    return report


def test_old_files_are_purged_and_the_download_page_says_so(
    client, official, staff, enqueued, django_capture_on_commit_callbacks
):
    old = _aged(make_report(by=staff), 91)
    recent = _aged(make_report(by=staff, fmt="xlsx"), 89)
    failed = _aged(make_report(state=Report.State.FAILED, by=staff), 400)
    old_path = old.file.path

    assert purge_report_files_task() == 1  # the beat task's body

    old.refresh_from_db()
    assert not old.file and old.file_purged
    assert old.state == Report.State.SUCCEEDED  # the row stays
    assert not os.path.exists(old_path)
    recent.refresh_from_db()
    assert recent.file and os.path.exists(recent.file.path)
    assert Report.objects.filter(pk=failed.pk).exists()

    client.force_login(staff)  # drafts: staff only (officials see issued documents)
    response = client.get(reverse("reports:download", args=[old.pk]))
    assert response.status_code == 410
    assert "đã được xóa theo quy định lưu trữ" in response.text
    assert "chỉ được giữ 90 ngày" in response.text
    assert f'action="{REQUEST}"' in response.text
    assert 'name="year" value="2018"' in response.text
    assert 'name="format" value="pdf"' in response.text
    assert client.get(reverse("reports:download", args=[recent.pk])).status_code == 200

    detail = client.get(reverse("reports:detail", args=[old.pk]))
    assert "Tệp đã xóa (hết hạn lưu trữ)" in detail.text
    assert "Tệp đã xóa" in client.get(reverse("reports:list")).text

    # The offer to build it again goes through the ordinary request.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(REQUEST, {"kind": old.kind, "year": "2018", "format": "pdf"})
    assert again.status_code == 302
    assert Report.objects.filter(state=Report.State.QUEUED, format="pdf").count() == 1
    assert enqueued.call_count == 1

    assert purge_report_files_task() == 0  # nothing left to purge


def test_retention_is_a_setting(db, settings):
    settings.REPORT_RETENTION_DAYS = 5
    report = _aged(make_report(), 6)
    assert purge_report_files_task() == 1
    report.refresh_from_db()
    assert report.file_purged


def test_the_purge_runs_daily_on_beat():
    [entry] = [
        entry
        for entry in celery_app.conf.beat_schedule.values()
        if entry["task"] == "reports.tasks.purge_report_files_task"
    ]
    schedule = entry["schedule"]  # a crontab: once a day, every day
    assert len(schedule.hour) == 1 and len(schedule.minute) == 1
    assert len(schedule.day_of_week) == 7 and len(schedule.day_of_month) == 31
    assert len(schedule.month_of_year) == 12
    assert "reports.tasks.purge_report_files_task" in celery_app.tasks


# --- password-reset mails ---------------------------------------------------------------------


def test_reset_mails_per_email_are_limited_without_telling(
    client, facility_user, mailoutbox, caplog, reset_mail_sent_at_once
):
    answers = []
    with caplog.at_level(logging.WARNING, logger="accounts.password_reset"):
        for email in (facility_user.email, facility_user.email.upper(), facility_user.email) * 2:
            response = client.post(RESET, {"email": email})
            answers.append((response.status_code, response.url))
    assert answers == [(302, RESET_DONE)] * 6  # the same answer every time
    assert len(mailoutbox) == 3
    warnings = [r for r in caplog.records if r.name == "accounts.password_reset"]
    assert len(warnings) == 3
    assert "rate limit" in warnings[0].getMessage()
    assert facility_user.email not in warnings[0].getMessage()
    # The page after the redirect is the ordinary one.
    assert "hướng dẫn đặt lại mật khẩu đã được gửi" in client.get(RESET_DONE).text


def test_reset_mails_per_address_are_limited(
    client, db, mailoutbox, settings, reset_mail_sent_at_once
):
    settings.PASSWORD_RESET_MAX_PER_ADDRESS = 4
    users = [UserFactory(username=f"coso_{i}", role=Role.FACILITY) for i in range(6)]
    for user in users:
        response = client.post(RESET, {"email": user.email}, REMOTE_ADDR="198.51.100.9")
        assert response.url == RESET_DONE
    assert [mail.to for mail in mailoutbox] == [[user.email] for user in users[:4]]

    # Another address is not affected; X-Forwarded-For does not make a new address when no
    # proxy is configured (the same address resolution as the login lockout).
    client.post(
        RESET,
        {"email": users[4].email},
        REMOTE_ADDR="198.51.100.9",
        HTTP_X_FORWARDED_FOR="203.0.113.1",
    )
    assert len(mailoutbox) == 4
    client.post(RESET, {"email": users[5].email}, REMOTE_ADDR="198.51.100.10")
    assert mailoutbox[-1].to == [users[5].email]


def test_unknown_addresses_count_too(client, db, mailoutbox, settings):
    settings.PASSWORD_RESET_MAX_PER_ADDRESS = 2
    user = UserFactory(username="coso_that", role=Role.FACILITY)
    client.post(RESET, {"email": "khong-co-1@example.vn"})
    client.post(RESET, {"email": "khong-co-2@example.vn"})
    response = client.post(RESET, {"email": user.email})
    assert response.url == RESET_DONE
    assert mailoutbox == []
