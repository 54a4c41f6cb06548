"""The deadline binds a report's first submission only: a report the facility handed in on time
and staff returned after the deadline may be corrected and sent again (as the return e-mail asks),
without an extension; a report never handed in stays refused after the deadline."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import html

from assessments.deadlines import resubmission_allowed
from assessments.models import PlanPeriod, ReportingDeadline

from ..factories import AnnualReportFactory
from .report_helpers import events, report_data

TODAY = timezone.localdate()
OVERDUE = "quá hạn"


def _set_deadline(year: int, days_from_today: int) -> None:
    deadline = TODAY + timedelta(days=days_from_today)
    ReportingDeadline.objects.update_or_create(year=year, defaults={"deadline": deadline})


def _submit(client, report):
    url = reverse("assessments:report_submit", args=[report.pk])
    return client.post(url, {"confirm": "1"}, follow=True)


def _hand_in_then_return(client, report, facility_user, staff):
    """The facility submits `report` through the page before the deadline; the deadline passes;
    staff return it through the page. The facility's representative is left logged in."""
    _set_deadline(report.year, 10)
    client.force_login(facility_user)
    _submit(client, report)
    report.refresh_from_db()
    assert report.state == "submitted"
    _set_deadline(report.year, -5)
    client.force_login(staff)
    url = reverse("assessments:report_return", args=[report.pk])
    client.post(url, {"confirm": "1", "text": "Đề nghị bổ sung lượng nước tiêu thụ."})
    report.refresh_from_db()
    assert report.state == "returned"
    client.force_login(facility_user)
    return report


@pytest.fixture
def returned_after_deadline(client, facility_user, staff, draft_report):
    return _hand_in_then_return(client, draft_report, facility_user, staff)


def test_a_report_returned_after_the_deadline_is_resubmitted(client, returned_after_deadline):
    report = returned_after_deadline
    response = _submit(client, report)
    assert "Đã gửi báo cáo, chờ Sở Công Thương duyệt." in response.text
    assert OVERDUE not in response.text
    report.refresh_from_db()
    assert report.state == "submitted"
    assert [e[:3] for e in events(report)][-1] == ("submit", "returned", "submitted")


def test_save_and_submit_of_a_returned_report_after_the_deadline(client, returned_after_deadline):
    """The form's "save and submit" button: the path of the reported message "Đã lưu báo cáo
    nhưng chưa gửi được: Đã quá hạn nộp báo cáo…"."""
    report = returned_after_deadline
    url = reverse("assessments:report_edit", args=[report.pk])
    response = client.post(url, report_data(water_m3="41000", submit="1"), follow=True)
    assert "chưa gửi được" not in response.text
    report.refresh_from_db()
    assert (report.state, report.water_m3) == ("submitted", 41000)


def test_a_report_reopened_to_returned_after_the_deadline_is_resubmitted(
    client, facility_user, staff, approved_report
):
    _set_deadline(approved_report.year, -5)
    client.force_login(staff)
    url = reverse("assessments:report_reopen", args=[approved_report.pk])
    client.post(url, {"confirm": "1", "text": "Sai đơn vị sản lượng.", "to_state": "returned"})
    approved_report.refresh_from_db()
    assert approved_report.state == "returned"
    # The factory's report has no workflow log: record its approval as staff's entry would.
    approved_report.events.create(action="save", from_state="", to_state="approved", by=staff)
    client.force_login(facility_user)
    _submit(client, approved_report)
    approved_report.refresh_from_db()
    assert approved_report.state == "submitted"


def test_a_report_reopened_to_draft_after_the_deadline_is_resubmitted(
    client, facility_user, staff, approved_report
):
    """Reopened to "draft" rather than "returned": handed in all the same, so the deadline,
    which binds the first submission only, no longer binds it (home page: not overdue)."""
    approved_report.events.create(action="save", from_state="", to_state="approved", by=staff)
    _set_deadline(approved_report.year, -5)
    client.force_login(staff)
    url = reverse("assessments:report_reopen", args=[approved_report.pk])
    client.post(url, {"confirm": "1", "text": "Nhập lại toàn bộ.", "to_state": "draft"})
    approved_report.refresh_from_db()
    assert approved_report.state == "draft"
    client.force_login(facility_user)
    _submit(client, approved_report)
    approved_report.refresh_from_db()
    assert approved_report.state == "submitted"


def test_a_draft_is_still_refused_after_the_deadline(client, facility_user, draft_report):
    _set_deadline(draft_report.year, -5)
    client.force_login(facility_user)
    response = _submit(client, draft_report)
    assert "Đã quá hạn nộp báo cáo năm 2019" in response.text
    draft_report.refresh_from_db()
    assert draft_report.state == "draft"


def test_a_returned_report_never_received_is_still_refused(client, facility_user, returned_report):
    """A returned report without any step that handed it in (a row loaded as "returned") has not
    been received by the Department: the deadline still binds it."""
    _set_deadline(returned_report.year, -5)
    client.force_login(facility_user)
    response = _submit(client, returned_report)
    assert "Đã quá hạn nộp báo cáo năm 2019" in response.text
    returned_report.refresh_from_db()
    assert returned_report.state == "returned"
    assert not resubmission_allowed(returned_report)


def test_a_resubmitted_report_is_no_longer_resubmittable(client, returned_after_deadline):
    """Only a returned report is: once sent again, the rule has nothing more to allow."""
    report = returned_after_deadline
    assert resubmission_allowed(report)
    _submit(client, report)
    report.refresh_from_db()
    assert not resubmission_allowed(report)


def test_the_report_page_does_not_call_a_resubmittable_report_overdue(
    client, returned_after_deadline
):
    report = returned_after_deadline
    response = client.get(report.get_absolute_url())
    assert "Gửi Sở duyệt" in response.text
    (note,) = html.fromstring(response.content).xpath('//*[@id="deadline-note"]')
    assert OVERDUE not in note.text_content()


def test_the_report_page_of_an_overdue_draft_offers_no_submit_button(
    client, facility_user, draft_report
):
    """Past the deadline a draft cannot be sent: no button leads to that refusal; the note says
    an extension is needed."""
    _set_deadline(draft_report.year, -5)
    client.force_login(facility_user)
    response = client.get(draft_report.get_absolute_url())
    assert "Gửi Sở duyệt" not in response.text
    (note,) = html.fromstring(response.content).xpath('//*[@id="deadline-note"]')
    assert "cần Sở Công Thương gia hạn" in note.text_content()


# --- the facility's home page --------------------------------------------------------------

YEAR = TODAY.year - 1  # the home page's reporting year


@pytest.fixture
def reporting_period(db):
    if not PlanPeriod.objects.covering(YEAR).exists():
        PlanPeriod.objects.create(
            code="resubmit-test", name="Kỳ kế hoạch thử", start_year=YEAR - 4, end_year=YEAR + 5
        )


def _card_text(client, facility) -> str:
    response = client.get("/")
    assert response.status_code == 200
    (card,) = html.fromstring(response.content).xpath(f'//section[@id="facility-{facility.pk}"]')
    return " ".join(card.text_content().split())


def test_the_home_page_asks_to_correct_and_resend_not_that_it_is_overdue(
    client, facility, facility_user, staff, reporting_period
):
    report = AnnualReportFactory(facility=facility, year=YEAR, state="draft")
    _hand_in_then_return(client, report, facility_user, staff)
    text = _card_text(client, facility)
    assert OVERDUE not in text
    assert "Sở Công Thương đã trả lại báo cáo để sửa. Vui lòng sửa và gửi lại" in text
    assert "Đề nghị bổ sung lượng nước tiêu thụ." in text


def test_the_home_page_still_says_overdue_for_a_draft(
    client, facility, facility_user, reporting_period
):
    AnnualReportFactory(facility=facility, year=YEAR, state="draft")
    _set_deadline(YEAR, -5)
    client.force_login(facility_user)
    text = _card_text(client, facility)
    assert "Đã quá hạn 5 ngày" in text
    assert "Vui lòng sửa và gửi lại" not in text


def test_the_home_page_does_not_call_a_received_report_reopened_to_draft_overdue(
    client, facility, facility_user, staff, reporting_period
):
    report = AnnualReportFactory(facility=facility, year=YEAR, state="approved")
    report.events.create(action="save", from_state="", to_state="approved", by=staff)
    _set_deadline(YEAR, -5)
    client.force_login(staff)
    url = reverse("assessments:report_reopen", args=[report.pk])
    client.post(url, {"confirm": "1", "text": "Nhập lại toàn bộ.", "to_state": "draft"})
    client.force_login(facility_user)
    text = _card_text(client, facility)
    assert OVERDUE not in text
    assert "cần Sở Công Thương gia hạn" not in text
