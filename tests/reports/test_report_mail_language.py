"""The report mails (a scheduled draft to the staff, an issued document to the officials) are
written in each recipient's language: one Bcc message per language, each with its link."""

from datetime import date

import pytest
from django.utils import timezone, translation

from accounts.models import Role
from reports import generation, issuing
from reports.models import Report

from ..factories import UserFactory
from .report_view_helpers import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def portal_url(settings):
    settings.PORTAL_URL = "https://sxsh.example.gov.vn"


def by_bcc(outbox) -> dict:
    return {tuple(message.bcc): message for message in outbox}


def issued_report() -> Report:
    report = make_report(fmt="pdf")
    report.doc_type = Report.DocType.REPORT
    report.register_year = 2019
    report.number = 1
    report.issue_date = date(2019, 3, 4)
    report.issued_at = timezone.now()
    report.save()
    return report


# --- the scheduled draft, to the staff --------------------------------------------------------


def test_draft_mail_is_english_for_staff_who_chose_english(mailoutbox):
    english = UserFactory(username="canbo_en", role=Role.STAFF, language="en")
    vietnamese = UserFactory(username="canbo_vi", role=Role.STAFF, language="vi")
    default = UserFactory(username="canbo_mac_dinh", role=Role.STAFF, language="")
    report = Report.objects.create(year=2018, format="xlsx", scheduled=True)

    assert generation.notify_staff_draft(report.pk) == 3

    messages = by_bcc(mailoutbox)
    assert set(messages) == {(english.email,), tuple(sorted([vietnamese.email, default.email]))}
    link = f"https://sxsh.example.gov.vn/reports/files/{report.pk}/"
    en = messages[(english.email,)]
    assert en.subject.startswith("Draft ") and "awaiting review and issue" in en.subject
    assert "Annual report on CP plan implementation 2018" in en.subject
    assert en.body.startswith("Dear Department of Industry and Trade staff,")
    assert link in en.body and "Kính gửi" not in en.body
    vi = messages[tuple(sorted([vietnamese.email, default.email]))]
    assert vi.subject.startswith("Dự thảo ") and "chờ rà soát và ban hành" in vi.subject
    assert "Báo cáo kết quả thực hiện kế hoạch SXSH năm 2018" in vi.subject
    assert vi.body.startswith("Kính gửi cán bộ Sở Công Thương,")
    assert link in vi.body
    assert all(message.to == [] for message in mailoutbox)


def test_draft_mail_leaves_the_active_language_alone(mailoutbox):
    UserFactory(username="canbo_en", role=Role.STAFF, language="en")
    report = Report.objects.create(year=2018, format="xlsx", scheduled=True)
    with translation.override("vi"):
        generation.notify_staff_draft(report.pk)
        assert translation.get_language() == "vi"
    [message] = mailoutbox
    assert message.subject.startswith("Draft ")


def test_draft_mail_failure_in_one_language_still_mails_the_other(mailoutbox, monkeypatch):
    UserFactory(username="canbo_en", role=Role.STAFF, language="en")
    vietnamese = UserFactory(username="canbo_vi", role=Role.STAFF, language="vi")
    report = Report.objects.create(year=2018, format="xlsx", scheduled=True)
    send = generation.EmailMessage.send

    def failing_in_english(message, *args, **kwargs):
        if message.subject.startswith("Draft "):
            raise OSError("no SMTP")
        return send(message, *args, **kwargs)

    monkeypatch.setattr(generation.EmailMessage, "send", failing_in_english)
    assert generation.notify_staff_draft(report.pk) == 1
    [message] = mailoutbox
    assert message.bcc == [vietnamese.email]


# --- the issued document, to the officials ---------------------------------------------------


def test_issued_mail_is_english_for_officials_who_chose_english(mailoutbox):
    english = UserFactory(username="lanhdao_en", role=Role.OFFICIAL, language="en")
    vietnamese = UserFactory(username="lanhdao_vi", role=Role.OFFICIAL, language="vi")
    report = issued_report()

    assert issuing.notify_officials_issued(report.pk) == 2

    messages = by_bcc(mailoutbox)
    assert set(messages) == {(english.email,), (vietnamese.email,)}
    download = f"https://sxsh.example.gov.vn/reports/files/{report.pk}/download/"
    en = messages[(english.email,)]
    assert en.subject.startswith("Issued document No. 01/BC-SCT: ")
    assert "Annual report on CP plan implementation, 2018" in en.subject
    assert en.body.startswith("Dear Sir or Madam,")
    assert "Department of Industry and Trade has issued document No. 01/BC-SCT" in en.body
    assert download in en.body and "Kính gửi" not in en.body
    vi = messages[(vietnamese.email,)]
    assert vi.subject.startswith("Đã ban hành văn bản số 01/BC-SCT: ")
    assert vi.body.startswith("Kính gửi Quý lãnh đạo,")
    assert "Sở Công Thương đã ban hành văn bản số 01/BC-SCT ngày 04/03/2019" in vi.body
    assert download in vi.body


def test_issued_mail_sends_one_message_per_language(mailoutbox):
    first = UserFactory(username="lanhdao_1", role=Role.OFFICIAL, language="en")
    second = UserFactory(username="lanhdao_2", role=Role.OFFICIAL, language="en")
    UserFactory(username="lanhdao_nghi", role=Role.OFFICIAL, language="en", is_active=False)
    report = issued_report()

    assert issuing.notify_officials_issued(report.pk) == 2
    [message] = mailoutbox
    assert message.bcc == sorted([first.email, second.email])
    assert message.subject.startswith("Issued document No. ")


def test_issued_mail_with_no_officials_sends_nothing(mailoutbox):
    UserFactory(username="lanhdao_khong_email", role=Role.OFFICIAL, email="", language="en")
    assert issuing.notify_officials_issued(issued_report().pk) == 0
    assert mailoutbox == []
