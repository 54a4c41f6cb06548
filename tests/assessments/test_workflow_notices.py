"""The annual-report e-mails: a staff "Lưu và duyệt" tells the facility as "Duyệt" does (with the
figures staff changed), and every workflow mail is written in its recipient's language and
links to the report (PORTAL_URL)."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.models import Role
from assessments import tasks

from ..factories import UserFactory
from .report_helpers import report_data

PORTAL = "https://sxsh.example.gov.vn"
# The POST of the edit form with the figures AnnualReportFactory stores: nothing changed.
SAME_FIGURES = {
    "output": "1000",
    "electricity_kwh": "500000",
    "coal_t": "100",
    "water_m3": "",
    "employees": "",
    "revenue_bn_vnd": "",
    "capital_bn_vnd": "",
    "aware": None,
    "trained_staff": "0",
}


@pytest.fixture(autouse=True)
def _portal_url(settings):
    settings.PORTAL_URL = PORTAL


@pytest.fixture
def run_tasks(monkeypatch):
    """The notification tasks run in the test (their e-mails reach the outbox) once queued."""
    for name in ("notify_report_submitted", "notify_report_reviewed"):
        task = getattr(tasks, name)
        monkeypatch.setattr(task, "delay", task)


def _edit(client, report, **data):
    post = report_data(**data)
    del post["year"]
    post["version"] = report.version
    return client.post(reverse("assessments:report_edit", args=[report.pk]), post)


def _link(report) -> str:
    return PORTAL + reverse("assessments:report_detail", args=[report.pk])


def test_staff_save_and_approve_mails_the_facility_with_the_changed_figures(
    client,
    staff,
    facility_user,
    submitted_report,
    run_tasks,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = _edit(client, submitted_report, **{**SAME_FIGURES, "output": "999"})
    assert response.status_code == 302
    submitted_report.refresh_from_db()
    assert submitted_report.state == "approved"
    [mail] = mailoutbox
    assert mail.to == [facility_user.email]
    assert "đã được duyệt" in mail.subject
    assert "Cán bộ Sở đã sửa số liệu của báo cáo khi duyệt: sản lượng." in mail.body
    assert _link(submitted_report) in mail.body


def test_staff_save_without_changes_mails_a_plain_approval(
    client,
    staff,
    facility_user,
    returned_report,
    run_tasks,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        _edit(client, returned_report, **SAME_FIGURES)
    returned_report.refresh_from_db()
    assert returned_report.state == "approved"
    [mail] = mailoutbox
    assert "đã được duyệt" in mail.subject
    assert "đã sửa số liệu" not in mail.body


def test_a_staff_entry_of_a_new_report_mails_nobody(
    client,
    staff,
    facility_user,
    facility,
    run_tasks,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    # The facility filed nothing: staff entered its paper report (DESIGN §3).
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("assessments:report_create", args=[facility.pk]), report_data())
    assert mailoutbox == []


def test_the_approval_step_mails_in_the_recipients_language(
    client,
    staff,
    facility_user,
    facility,
    submitted_report,
    run_tasks,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    facility_user.language = "en"
    facility_user.save(update_fields=["language"])
    vietnamese = UserFactory(username="coso_vi", role=Role.FACILITY, email="vi@coso.vn")
    vietnamese.facilities.add(facility)
    client.force_login(staff)
    url = reverse("assessments:report_approve", args=[submitted_report.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"confirm": "1"})
    by_address = {tuple(mail.to): mail for mail in mailoutbox}
    assert set(by_address) == {("vi@coso.vn",), (facility_user.email,)}
    assert "đã được duyệt" in by_address[("vi@coso.vn",)].subject
    english = by_address[(facility_user.email,)]
    assert "has been approved" in english.subject
    assert "đã được duyệt" not in english.subject
    assert all(_link(submitted_report) in mail.body for mail in mailoutbox)


def test_the_submission_mail_to_staff_follows_their_language(submitted_report, staff, mailoutbox):
    staff.language = "en"
    staff.save(update_fields=["language"])
    assert tasks.notify_report_submitted(submitted_report.pk) == 1
    [mail] = mailoutbox
    assert "đã gửi báo cáo" not in mail.subject
    assert submitted_report.facility.name in mail.subject
    assert _link(submitted_report) in mail.body


def test_the_reminder_links_to_the_reports_and_follows_the_language(
    facility_user, facility, monkeypatch, mailoutbox, settings
):
    settings.REPORT_REMINDER_DAYS = 14
    facility_user.language = "en"
    facility_user.save(update_fields=["language"])
    monkeypatch.setattr(tasks.timezone, "localdate", lambda: date(2020, 1, 1))
    assert tasks.send_report_reminders() == 1
    [mail] = mailoutbox
    assert "Nhắc nộp" not in mail.subject
    assert PORTAL + reverse("assessments:report_list") in mail.body


def test_an_unknown_language_falls_back_to_vietnamese(approved_report, facility_user, mailoutbox):
    facility_user.language = "xx"
    facility_user.save(update_fields=["language"])
    assert tasks.notify_report_reviewed(approved_report.pk, "approved") == 1
    assert "đã được duyệt" in mailoutbox[0].subject
