"""A generated report's last error (a failed run, a run given up by the sweeper) is stored by the
worker: it is written in the language of the user who requested the report (accounts.language),
whatever language the worker runs in, and shown as is on the report page."""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from reports import generation
from reports.generation import Outcome
from reports.models import Report
from reports.tasks import generate_report_task, sweep_reports_task

pytestmark = pytest.mark.django_db

FAILED_RUN = {
    "en": "Run 1/3 failed: System error, reference: ",
    "vi": "Lần chạy 1/3 lỗi: Lỗi hệ thống",
}
GIVEN_UP = {
    "en": "Report generation stopped at the last run (3/3).",
    "vi": "Tiến trình tạo báo cáo bị dừng ở lần chạy cuối (3/3).",
}
OTHER = {"en": "vi", "vi": "en"}


@pytest.fixture(autouse=True)
def enqueued():
    with mock.patch.object(generate_report_task, "apply_async") as apply_async:
        yield apply_async


def page(client, user, report: Report) -> str:
    client.force_login(user)
    response = client.get(reverse("reports:detail", args=[report.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language", ["en", "vi"])
def test_a_failed_run_is_shown_in_the_requesters_language(client, staff, monkeypatch, language):
    User.objects.filter(pk=staff.pk).update(language=language)
    report = generation.report_request(
        kind=Report.Kind.ANNUAL_PROGRESS, year=2018, fmt="xlsx", by=staff
    )
    monkeypatch.setenv("REPORT_TEST_FAIL", "1")

    with translation.override(OTHER[language]):  # the worker's own language
        assert generation.report_generate(report_id=report.pk) == Outcome.RETRY

    body = page(client, staff, report)
    assert FAILED_RUN[language] in body
    assert FAILED_RUN[OTHER[language]] not in body


@pytest.mark.parametrize("language", ["en", "vi"])
def test_a_run_given_up_by_the_sweeper_is_shown_in_the_requesters_language(client, staff, language):
    User.objects.filter(pk=staff.pk).update(language=language)
    report = Report.objects.create(
        year=2018,
        format="xlsx",
        requested_by=staff,
        state=Report.State.RUNNING,
        attempts=Report.MAX_ATTEMPTS,
        lease_expires_at=timezone.now() - timedelta(seconds=1),
    )

    with translation.override(OTHER[language]):
        assert sweep_reports_task() == {"requeued": 0, "failed": 1}

    body = page(client, staff, report)
    assert GIVEN_UP[language] in body
    assert GIVEN_UP[OTHER[language]] not in body


def test_a_scheduled_report_fails_in_the_portals_language(client, staff, monkeypatch):
    report = generation.report_request(
        kind=Report.Kind.ANNUAL_PROGRESS, year=2018, fmt="xlsx", by=None, scheduled=True
    )
    monkeypatch.setenv("REPORT_TEST_FAIL", "1")

    with translation.override("en"):
        assert generation.report_generate(report_id=report.pk) == Outcome.RETRY

    report.refresh_from_db()
    assert report.error.startswith(FAILED_RUN["vi"])
