"""The assessment workflow services: each transition, its preconditions and its event."""

import pytest
from django.core.exceptions import PermissionDenied

from assessments.assessment_services import (
    WorkflowError,
    assessment_approve,
    assessment_reopen,
    assessment_return,
    assessment_save,
    assessment_submit,
)
from assessments.models import Assessment, WorkflowEvent

from ..factories import AssessmentFactory


def _events(assessment):
    return list(
        WorkflowEvent.objects.filter(assessment=assessment).values_list(
            "action", "from_state", "to_state", "comment"
        )
    )


def test_facility_save_creates_a_draft(facility, facility_user):
    assessment = AssessmentFactory.build(facility=facility, state="approved")  # forged state
    assessment_save(assessment=assessment, by=facility_user)
    assessment.refresh_from_db()
    assert assessment.state == "draft"
    assert assessment.created_by == facility_user
    assert _events(assessment) == [("save", "", "draft", "")]


def test_facility_save_keeps_a_returned_assessment_returned(facility, facility_user):
    assessment = AssessmentFactory(facility=facility, state="returned")
    assessment.consultant = "VNCPC"
    assessment_save(assessment=assessment, by=facility_user)
    assessment.refresh_from_db()
    assert (assessment.state, assessment.consultant) == ("returned", "VNCPC")
    assert _events(assessment) == []


def test_staff_save_approves(facility, staff):
    assessment = AssessmentFactory.build(facility=facility, state="draft")
    assessment_save(assessment=assessment, by=staff)
    assert Assessment.objects.get(pk=assessment.pk).state == "approved"
    assert _events(assessment) == [("save", "", "approved", "")]


def test_staff_save_of_a_submitted_assessment_approves_it(submitted, staff):
    assessment_save(assessment=submitted, by=staff)
    submitted.refresh_from_db()
    assert submitted.state == "approved"
    assert _events(submitted) == [("save", "submitted", "approved", "")]


def test_save_refuses_an_approved_assessment(approved, staff):
    approved.consultant = "Khác"
    with pytest.raises(WorkflowError):
        assessment_save(assessment=approved, by=staff)
    approved.refresh_from_db()
    assert approved.consultant != "Khác"


@pytest.mark.parametrize("state", ["draft", "returned"])
def test_submit(facility, facility_user, state):
    assessment = AssessmentFactory(facility=facility, state=state)
    assessment_submit(assessment=assessment, by=facility_user)
    assert assessment.state == "submitted"
    event = WorkflowEvent.objects.get(assessment=assessment)
    assert (event.action, event.from_state, event.to_state, event.by) == (
        "submit",
        state,
        "submitted",
        facility_user,
    )


@pytest.mark.parametrize("state", ["submitted", "approved"])
def test_submit_refuses_other_states(facility, facility_user, state):
    assessment = AssessmentFactory(facility=facility, state=state)
    with pytest.raises(WorkflowError, match="trạng thái"):
        assessment_submit(assessment=assessment, by=facility_user)
    assert Assessment.objects.get(pk=assessment.pk).state == state
    assert _events(assessment) == []


def test_return_with_comment(submitted, staff):
    assessment_return(assessment=submitted, by=staff, comment="  Bổ sung số liệu điện năm 2016.  ")
    assert submitted.state == "returned"
    assert submitted.review_comment == "Bổ sung số liệu điện năm 2016."
    assert _events(submitted) == [
        ("return", "submitted", "returned", "Bổ sung số liệu điện năm 2016.")
    ]


@pytest.mark.parametrize("comment", ["", "   ", None])
def test_return_requires_a_comment(submitted, staff, comment):
    with pytest.raises(WorkflowError, match="ý kiến"):
        assessment_return(assessment=submitted, by=staff, comment=comment)
    assert Assessment.objects.get(pk=submitted.pk).state == "submitted"
    assert _events(submitted) == []


@pytest.mark.parametrize("state", ["draft", "returned", "approved"])
def test_return_only_from_submitted(facility, staff, state):
    assessment = AssessmentFactory(facility=facility, state=state)
    with pytest.raises(WorkflowError):
        assessment_return(assessment=assessment, by=staff, comment="Sửa lại")
    assert Assessment.objects.get(pk=assessment.pk).state == state


def test_approve(submitted, staff):
    assessment_approve(assessment=submitted, by=staff)
    assert submitted.state == "approved"
    assert submitted.is_locked
    assert _events(submitted) == [("approve", "submitted", "approved", "")]


@pytest.mark.parametrize("state", ["draft", "returned", "approved"])
def test_approve_only_from_submitted(facility, staff, state):
    assessment = AssessmentFactory(facility=facility, state=state)
    with pytest.raises(WorkflowError):
        assessment_approve(assessment=assessment, by=staff)
    assert _events(assessment) == []


def test_reopen_logs_the_reason(approved, staff):
    assessment_reopen(assessment=approved, by=staff, reason="Cơ sở báo sai số liệu tiết kiệm than.")
    assert approved.state == "returned"
    assert approved.review_comment == "Cơ sở báo sai số liệu tiết kiệm than."
    assert _events(approved) == [
        ("reopen", "approved", "returned", "Cơ sở báo sai số liệu tiết kiệm than.")
    ]
    record = approved.history.latest()
    assert record.history_change_reason == "Cơ sở báo sai số liệu tiết kiệm than."


def test_reopen_requires_a_reason(approved, staff):
    with pytest.raises(WorkflowError, match="lý do"):
        assessment_reopen(assessment=approved, by=staff, reason=" ")
    assert Assessment.objects.get(pk=approved.pk).state == "approved"


@pytest.mark.parametrize("state", ["draft", "submitted", "returned"])
def test_reopen_only_from_approved(facility, staff, state):
    assessment = AssessmentFactory(facility=facility, state=state)
    with pytest.raises(WorkflowError):
        assessment_reopen(assessment=assessment, by=staff, reason="Mở lại")


def test_full_cycle(facility, facility_user, staff):
    assessment = AssessmentFactory.build(facility=facility)
    assessment_save(assessment=assessment, by=facility_user)
    assessment_submit(assessment=assessment, by=facility_user)
    assessment_return(assessment=assessment, by=staff, comment="Thiếu năm cơ sở")
    assessment_submit(assessment=assessment, by=facility_user)
    assessment_approve(assessment=assessment, by=staff, comment="Đạt")
    assessment_reopen(assessment=assessment, by=staff, reason="Điều chỉnh")
    assert [e[0] for e in _events(assessment)] == [
        "save",
        "submit",
        "return",
        "submit",
        "approve",
        "reopen",
    ]
    assert assessment.state == "returned"


# --- who may act (the views check first; the services refuse anyway) ---------------------------


def test_only_the_facilitys_representative_submits(draft, staff, official, outsider):
    for user in (staff, official, outsider):
        with pytest.raises(PermissionDenied):
            assessment_submit(assessment=draft, by=user)
    assert Assessment.objects.get(pk=draft.pk).state == "draft"


@pytest.mark.parametrize("user", ["facility_user", "official"])
def test_only_staff_review(request, submitted, approved, user):
    by = request.getfixturevalue(user)
    with pytest.raises(PermissionDenied):
        assessment_return(assessment=submitted, by=by, comment="x")
    with pytest.raises(PermissionDenied):
        assessment_approve(assessment=submitted, by=by)
    with pytest.raises(PermissionDenied):
        assessment_reopen(assessment=approved, by=by, reason="x")
    assert not WorkflowEvent.objects.exists()


def test_only_staff_and_the_facility_save(facility, official, outsider):
    for user in (official, outsider):
        with pytest.raises(PermissionDenied):
            assessment_save(assessment=AssessmentFactory.build(facility=facility), by=user)
    assert not Assessment.objects.exists()


def test_facility_may_not_save_a_submitted_assessment(submitted, facility_user):
    submitted.consultant = "Khác"
    with pytest.raises(WorkflowError):
        assessment_save(assessment=submitted, by=facility_user)
    assert Assessment.objects.get(pk=submitted.pk).consultant != "Khác"
