"""The annual-report e-mails: task bodies called directly, with the test outbox."""

from datetime import date

import pytest
from django.conf import settings as django_settings

from accounts.models import Role
from assessments import tasks
from assessments.models import DeadlineException, ReportingDeadline
from facilities.models import Facility

from ..factories import AnnualReportFactory, FacilityFactory, UserFactory


@pytest.fixture
def staff_mailboxes(staff):
    UserFactory(username="canbo_2", role=Role.STAFF, email="canbo2@soct.gov.vn")
    UserFactory(username="canbo_nghi", role=Role.STAFF, email="nghi@soct.gov.vn", is_active=False)
    UserFactory(username="canbo_khong_mail", role=Role.STAFF, email="")
    return sorted([staff.email, "canbo2@soct.gov.vn"])


def test_submitted_mails_the_staff(submitted_report, staff_mailboxes, facility_user, mailoutbox):
    assert tasks.notify_report_submitted(submitted_report.pk) == 1
    [mail] = mailoutbox
    assert sorted(mail.to) == staff_mailboxes
    assert facility_user.email not in mail.to
    assert "đã gửi báo cáo năm 2019" in mail.subject
    assert submitted_report.facility.tax_code in mail.body


def test_returned_mails_the_facility_users(facility_user, staff, facility, mailoutbox):
    report = AnnualReportFactory(
        facility=facility, year=2019, state="returned", review_comment="Bổ sung số liệu nước."
    )
    UserFactory(username="coso_2", role=Role.FACILITY, email="ketoan@coso.vn").facilities.add(
        facility
    )
    assert tasks.notify_report_reviewed(report.pk, "returned", "Bổ sung số liệu nước.") == 1
    [mail] = mailoutbox
    assert sorted(mail.to) == sorted([facility_user.email, "ketoan@coso.vn"])
    assert staff.email not in mail.to
    assert "bị trả lại" in mail.subject
    assert "Bổ sung số liệu nước." in mail.body


def test_approved_mails_the_facility_users(facility_user, approved_report, mailoutbox):
    assert tasks.notify_report_reviewed(approved_report.pk, "approved") == 1
    assert "đã được duyệt" in mailoutbox[0].subject
    assert mailoutbox[0].to == [facility_user.email]


def test_nothing_for_a_draft_or_a_missing_report(facility_user, draft_report, mailoutbox):
    assert tasks.notify_report_reviewed(draft_report.pk, "draft") == 0
    assert tasks.notify_report_submitted(999_999) == 0
    assert mailoutbox == []


def test_nobody_to_tell(submitted_report, mailoutbox):
    assert tasks.notify_report_submitted(submitted_report.pk) == 0  # no staff user
    assert tasks.notify_report_reviewed(submitted_report.pk, "approved") == 0  # nobody
    assert mailoutbox == []


@pytest.fixture
def reminder_cast(facility_user, facility, outsider, other_facility):
    """facility: nothing for 2019 (reminded); other_facility: submitted (not reminded); a closed
    facility with a user (not reminded)."""
    AnnualReportFactory(facility=other_facility, year=2019, state="submitted")
    closed = FacilityFactory(status=Facility.Status.CLOSED, closed_year=2018)
    UserFactory(username="coso_dong_cua", role=Role.FACILITY).facilities.add(closed)
    return facility_user


def test_reminders_n_days_before_the_deadline(reminder_cast, monkeypatch, mailoutbox, settings):
    settings.REPORT_REMINDER_DAYS = 14
    monkeypatch.setattr(tasks.timezone, "localdate", lambda: date(2020, 1, 1))  # 15/01 − 14
    assert tasks.send_report_reminders() == 1
    [mail] = mailoutbox
    assert mail.to == [reminder_cast.email]
    assert "Nhắc nộp báo cáo năm 2019 trước ngày 15/01/2020" in mail.subject


def test_no_reminder_on_other_days(reminder_cast, monkeypatch, mailoutbox):
    monkeypatch.setattr(tasks.timezone, "localdate", lambda: date(2020, 1, 2))
    assert tasks.send_report_reminders() == 0
    assert mailoutbox == []


def test_reminders_follow_a_deadline_set_by_staff(reminder_cast, monkeypatch, mailoutbox, settings):
    settings.REPORT_REMINDER_DAYS = 7
    ReportingDeadline.objects.create(year=2019, deadline=date(2020, 3, 8))
    monkeypatch.setattr(tasks.timezone, "localdate", lambda: date(2020, 1, 1))
    assert tasks.send_report_reminders() == 0
    monkeypatch.setattr(tasks.timezone, "localdate", lambda: date(2020, 3, 1))
    assert tasks.send_report_reminders() == 1


def test_an_extended_facility_is_reminded_before_its_own_deadline(
    reminder_cast, facility, monkeypatch, mailoutbox, settings
):
    settings.REPORT_REMINDER_DAYS = 14
    DeadlineException.objects.create(facility=facility, year=2019, until=date(2020, 3, 31))
    # Not 14 days before the province's 15/01/2020: its deadline is later.
    monkeypatch.setattr(tasks.timezone, "localdate", lambda: date(2020, 1, 1))
    assert tasks.send_report_reminders() == 0
    # 14 days before its own: reminded once, with its own day.
    monkeypatch.setattr(tasks.timezone, "localdate", lambda: date(2020, 3, 17))
    assert tasks.send_report_reminders() == 1
    [mail] = mailoutbox
    assert mail.to == [reminder_cast.email]
    assert "Nhắc nộp báo cáo năm 2019 trước ngày 31/03/2020" in mail.subject


def test_an_extension_to_the_provinces_own_day_reminds_once(
    reminder_cast, facility, monkeypatch, mailoutbox, settings
):
    settings.REPORT_REMINDER_DAYS = 14
    DeadlineException.objects.create(facility=facility, year=2019, until=date(2020, 1, 15))
    monkeypatch.setattr(tasks.timezone, "localdate", lambda: date(2020, 1, 1))
    assert tasks.send_report_reminders() == 1
    assert "trước ngày 15/01/2020" in mailoutbox[0].subject


def test_reminder_queries_are_bounded(reminder_cast, monkeypatch, django_assert_max_num_queries):
    for n in range(10):
        user = UserFactory(username=f"coso_them_{n}", role=Role.FACILITY)
        user.facilities.add(FacilityFactory())
    monkeypatch.setattr(tasks.timezone, "localdate", lambda: date(2020, 1, 1))
    # The deadlines, the late facilities and their users, the extensions due that day.
    with django_assert_max_num_queries(5):
        assert tasks.send_report_reminders() == 11


def test_the_reminder_is_scheduled_daily():
    entry = django_settings.CELERY_BEAT_SCHEDULE["report-reminders"]
    assert entry["task"] == "assessments.tasks.send_report_reminders"
    assert tasks.send_report_reminders.name == entry["task"]


def test_a_line_break_in_the_facility_name_keeps_the_mail_sendable(
    submitted_report, staff_mailboxes, mailoutbox
):
    # A name imported from an Excel cell with Alt+Enter.
    Facility.objects.filter(pk=submitted_report.facility_id).update(
        name="Công ty TNHH ABC\r\nChi nhánh Bắc Ninh"
    )
    assert tasks.notify_report_submitted(submitted_report.pk) == 1
    [mail] = mailoutbox
    mail.message()  # the headers are built as the mail backend builds them
    assert "Công ty TNHH ABC Chi nhánh Bắc Ninh đã gửi báo cáo năm 2019" in mail.subject
