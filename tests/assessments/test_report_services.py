"""The annual-report workflow services: every transition, who may perform it, its event."""

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import PermissionDenied

from assessments import tasks
from assessments.models import AnnualReport, DeadlineException, ReportingDeadline, WorkflowEvent
from assessments.services import (
    WorkflowError,
    annual_report_approve,
    annual_report_reopen,
    annual_report_return,
    annual_report_save,
    annual_report_submit,
)

from ..factories import AnnualReportFactory

BEFORE_DEADLINE = date(2020, 1, 10)  # the default deadline of 2019 is 15/01/2020
AFTER_DEADLINE = date(2020, 2, 1)


def _events(report):
    return list(
        WorkflowEvent.objects.filter(report=report).values_list(
            "action", "from_state", "to_state", "comment"
        )
    )


@pytest.fixture
def queued(monkeypatch):
    """The notification tasks queued (by id), instead of reaching the broker."""
    calls = []
    for name in ("notify_report_submitted", "notify_report_reviewed"):
        task = getattr(tasks, name)
        monkeypatch.setattr(task, "delay", lambda pk, *_, name=name, **__: calls.append((name, pk)))
    return calls


# --- save -------------------------------------------------------------------------------------


def test_facility_save_creates_a_draft(facility, facility_user):
    report = AnnualReportFactory.build(facility=facility, year=2019, state="approved")  # forged
    annual_report_save(report=report, by=facility_user)
    report.refresh_from_db()
    assert report.state == "draft"
    assert report.created_by == facility_user
    assert report.reviewed_by is None
    assert _events(report) == [("save", "", "draft", "")]
    assert report.history.latest().history_user == facility_user


def test_facility_save_keeps_a_returned_report_returned(returned_report, facility_user):
    returned_report.output = 1234
    annual_report_save(report=returned_report, by=facility_user)
    returned_report.refresh_from_db()
    assert (returned_report.state, returned_report.output) == ("returned", 1234)


def test_facility_cannot_change_a_submitted_report(submitted_report, facility_user):
    submitted_report.output = 1
    with pytest.raises(WorkflowError, match="đang chờ Sở duyệt"):
        annual_report_save(report=submitted_report, by=facility_user)
    submitted_report.refresh_from_db()
    assert submitted_report.output == 1000


@pytest.mark.parametrize("who", ["facility_user", "staff"])
def test_an_approved_report_is_locked(approved_report, who, request):
    approved_report.output = 1
    with pytest.raises(WorkflowError, match="bị khóa"):
        annual_report_save(report=approved_report, by=request.getfixturevalue(who))
    approved_report.refresh_from_db()
    assert approved_report.output == 1000
    assert not _events(approved_report)


def test_staff_save_approves_at_once(facility, staff):
    report = AnnualReportFactory.build(facility=facility, year=2019, state="draft")
    annual_report_save(report=report, by=staff)
    report.refresh_from_db()
    assert report.state == "approved"
    assert report.reviewed_by == staff and report.reviewed_at is not None
    [(action, from_state, to_state, comment)] = _events(report)
    assert (action, from_state, to_state) == ("save", "", "approved")
    assert "nhập thay cơ sở" in comment


def test_staff_save_of_a_returned_report_approves_it_and_clears_the_comment(returned_report, staff):
    annual_report_save(report=returned_report, by=staff)
    returned_report.refresh_from_db()
    assert (returned_report.state, returned_report.review_comment) == ("approved", "")
    assert _events(returned_report)[0][:3] == ("save", "returned", "approved")


def test_staff_save_of_a_submitted_report_approves_it(submitted_report, staff):
    annual_report_save(report=submitted_report, by=staff)
    submitted_report.refresh_from_db()
    assert submitted_report.state == "approved"


@pytest.mark.parametrize("who", ["official", "outsider"])
def test_others_cannot_save(facility, who, request):
    report = AnnualReportFactory.build(facility=facility, year=2019)
    with pytest.raises(PermissionDenied):
        annual_report_save(report=report, by=request.getfixturevalue(who))
    assert not AnnualReport.objects.exists()


# --- submit -----------------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["draft", "returned"])
def test_facility_submits(
    facility, facility_user, state, queued, django_capture_on_commit_callbacks
):
    report = AnnualReportFactory(facility=facility, year=2019, state=state)
    with django_capture_on_commit_callbacks(execute=True):
        annual_report_submit(report=report, by=facility_user, today=BEFORE_DEADLINE)
    assert report.state == "submitted"  # the caller's instance is refreshed
    assert report.submitted_at is not None
    assert _events(report) == [("submit", state, "submitted", "")]
    assert queued == [("notify_report_submitted", report.pk)]


@pytest.mark.parametrize("state", ["submitted", "approved"])
def test_only_drafts_and_returned_reports_can_be_submitted(facility, facility_user, state):
    report = AnnualReportFactory(facility=facility, year=2019, state=state)
    with pytest.raises(WorkflowError, match="Không thể thực hiện"):
        annual_report_submit(report=report, by=facility_user, today=BEFORE_DEADLINE)
    report.refresh_from_db()
    assert report.state == state


@pytest.mark.parametrize("who", ["staff", "official", "outsider"])
def test_only_the_facility_submits(draft_report, who, request):
    with pytest.raises(PermissionDenied):
        annual_report_submit(
            report=draft_report, by=request.getfixturevalue(who), today=BEFORE_DEADLINE
        )
    draft_report.refresh_from_db()
    assert draft_report.state == "draft"


def test_a_report_without_output_cannot_be_submitted(facility, facility_user):
    report = AnnualReportFactory(facility=facility, year=2019, state="draft", output=None)
    with pytest.raises(WorkflowError, match="sản lượng"):
        annual_report_submit(report=report, by=facility_user, today=BEFORE_DEADLINE)


def test_no_submission_after_the_deadline(draft_report, facility_user):
    with pytest.raises(WorkflowError, match="quá hạn nộp báo cáo năm 2019 \\(15/01/2020\\)"):
        annual_report_submit(report=draft_report, by=facility_user, today=AFTER_DEADLINE)
    draft_report.refresh_from_db()
    assert draft_report.state == "draft"


def test_a_deadline_set_by_staff_counts(draft_report, facility_user):
    ReportingDeadline.objects.create(year=2019, deadline=date(2020, 3, 1))
    annual_report_submit(report=draft_report, by=facility_user, today=AFTER_DEADLINE)
    assert draft_report.state == "submitted"


def test_an_exception_allows_a_late_submission(draft_report, facility_user, staff):
    DeadlineException.objects.create(
        facility=draft_report.facility,
        year=2019,
        until=date(2020, 2, 15),
        reason="Cơ sở bị hỏa hoạn",
        granted_by=staff,
    )
    annual_report_submit(report=draft_report, by=facility_user, today=AFTER_DEADLINE)
    assert draft_report.state == "submitted"


def test_an_expired_exception_does_not(draft_report, facility_user, staff):
    DeadlineException.objects.create(
        facility=draft_report.facility, year=2019, until=date(2020, 1, 20), reason="x"
    )
    with pytest.raises(WorkflowError):
        annual_report_submit(report=draft_report, by=facility_user, today=AFTER_DEADLINE)


# --- return and approve -----------------------------------------------------------------------


def test_staff_return_with_a_comment(
    submitted_report, staff, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        annual_report_return(report=submitted_report, by=staff, comment="  Thiếu số liệu điện. ")
    assert submitted_report.state == "returned"
    assert submitted_report.review_comment == "Thiếu số liệu điện."
    assert submitted_report.reviewed_by == staff
    # The return has its own date; the approval date stays empty (no approval happened).
    submitted_report.refresh_from_db()
    assert submitted_report.returned_at is not None
    assert submitted_report.reviewed_at is None
    assert _events(submitted_report) == [("return", "submitted", "returned", "Thiếu số liệu điện.")]
    assert queued == [("notify_report_reviewed", submitted_report.pk)]


@pytest.mark.parametrize("comment", ["", "   "])
def test_return_needs_a_comment(submitted_report, staff, comment):
    with pytest.raises(WorkflowError, match="Cần ghi ý kiến"):
        annual_report_return(report=submitted_report, by=staff, comment=comment)
    submitted_report.refresh_from_db()
    assert submitted_report.state == "submitted"
    assert not _events(submitted_report)


@pytest.mark.parametrize("state", ["draft", "returned", "approved"])
def test_only_submitted_reports_are_reviewed(facility, staff, state):
    report = AnnualReportFactory(facility=facility, year=2019, state=state)
    with pytest.raises(WorkflowError):
        annual_report_return(report=report, by=staff, comment="x")
    with pytest.raises(WorkflowError):
        annual_report_approve(report=report, by=staff)
    report.refresh_from_db()
    assert report.state == state


def test_staff_approve(submitted_report, staff, queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        annual_report_approve(report=submitted_report, by=staff, comment="Số liệu đầy đủ.")
    assert submitted_report.state == "approved"
    assert submitted_report.is_locked
    submitted_report.refresh_from_db()
    assert submitted_report.reviewed_at is not None and submitted_report.returned_at is None
    assert submitted_report.review_comment == "Số liệu đầy đủ."
    assert _events(submitted_report) == [("approve", "submitted", "approved", "Số liệu đầy đủ.")]
    assert queued == [("notify_report_reviewed", submitted_report.pk)]


def test_approve_without_comment(submitted_report, staff):
    annual_report_approve(report=submitted_report, by=staff)
    assert submitted_report.state == "approved"


@pytest.mark.parametrize("who", ["facility_user", "official", "outsider"])
def test_only_staff_review(submitted_report, who, request):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        annual_report_return(report=submitted_report, by=user, comment="x")
    with pytest.raises(PermissionDenied):
        annual_report_approve(report=submitted_report, by=user)
    submitted_report.refresh_from_db()
    assert submitted_report.state == "submitted"


# --- reopen -----------------------------------------------------------------------------------


def test_staff_reopen_to_returned(
    approved_report, staff, queued, django_capture_on_commit_callbacks
):
    approved_report.reviewed_at = datetime(2020, 2, 1, tzinfo=UTC)
    approved_report.save(update_fields=["reviewed_at"])
    with django_capture_on_commit_callbacks(execute=True):
        annual_report_reopen(report=approved_report, by=staff, reason="Sai đơn vị sản lượng.")
    assert approved_report.state == "returned"
    approved_report.refresh_from_db()
    assert approved_report.reviewed_at is None  # no longer approved
    assert approved_report.review_comment == "Sai đơn vị sản lượng."
    assert _events(approved_report) == [("reopen", "approved", "returned", "Sai đơn vị sản lượng.")]
    assert approved_report.history.latest().history_change_reason == "Sai đơn vị sản lượng."
    assert queued == [("notify_report_reviewed", approved_report.pk)]


def test_staff_reopen_to_draft(approved_report, staff):
    annual_report_reopen(
        report=approved_report, by=staff, reason="Nhập nhầm năm.", to_state="draft"
    )
    assert approved_report.state == "draft"
    assert _events(approved_report) == [("reopen", "approved", "draft", "Nhập nhầm năm.")]


def test_reopen_needs_a_reason(approved_report, staff):
    with pytest.raises(WorkflowError, match="lý do"):
        annual_report_reopen(report=approved_report, by=staff, reason=" ")
    approved_report.refresh_from_db()
    assert approved_report.state == "approved"


def test_reopen_only_to_returned_or_draft(approved_report, staff):
    with pytest.raises(WorkflowError):
        annual_report_reopen(report=approved_report, by=staff, reason="x", to_state="submitted")


@pytest.mark.parametrize("state", ["draft", "submitted", "returned"])
def test_only_approved_reports_are_reopened(facility, staff, state):
    report = AnnualReportFactory(facility=facility, year=2019, state=state)
    with pytest.raises(WorkflowError):
        annual_report_reopen(report=report, by=staff, reason="x")


@pytest.mark.parametrize("who", ["facility_user", "official"])
def test_only_staff_reopen(approved_report, who, request):
    with pytest.raises(PermissionDenied):
        annual_report_reopen(report=approved_report, by=request.getfixturevalue(who), reason="x")
    approved_report.refresh_from_db()
    assert approved_report.state == "approved"


def test_the_whole_cycle_keeps_every_step(draft_report, facility_user, staff):
    annual_report_submit(report=draft_report, by=facility_user, today=BEFORE_DEADLINE)
    annual_report_return(report=draft_report, by=staff, comment="Bổ sung nước.")
    draft_report.water_m3 = 5000
    annual_report_save(report=draft_report, by=facility_user)
    annual_report_submit(report=draft_report, by=facility_user, today=BEFORE_DEADLINE)
    annual_report_approve(report=draft_report, by=staff)
    assert [e[0] for e in _events(draft_report)] == [
        "submit",
        "return",
        "save",
        "submit",
        "approve",
    ]
    assert draft_report.state == "approved"
    assert draft_report.water_m3 == 5000
