import pytest
from django.urls import reverse

from assessments.models import WorkflowEvent

from ..factories import AssessmentFactory


def _url(assessment):
    return reverse("assessments:assessment_return", args=[assessment.pk])


def test_it_works(client, staff, submitted):
    client.force_login(staff)
    assert "Ý kiến gửi cơ sở" in client.get(_url(submitted)).text
    response = client.post(_url(submitted), {"text": "Bổ sung hóa đơn tiền điện năm 2017."})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == "returned"
    assert submitted.review_comment == "Bổ sung hóa đơn tiền điện năm 2017."
    event = WorkflowEvent.objects.get(assessment=submitted)
    assert (event.action, event.by, event.comment) == (
        "return",
        staff,
        "Bổ sung hóa đơn tiền điện năm 2017.",
    )


def test_the_facility_sees_the_comment(client, staff, facility_user, submitted):
    client.force_login(staff)
    client.post(_url(submitted), {"text": "Thiếu số liệu nước."})
    client.force_login(facility_user)
    response = client.get(submitted.get_absolute_url())
    assert "Thiếu số liệu nước." in response.text
    assert "Gửi Sở duyệt" in response.text  # and may fix and resubmit


def test_it_requires_login(client, submitted):
    assert client.post(_url(submitted), {"text": "x"}).status_code == 302


def test_it_hides_other_facilities(client, outsider, submitted):
    client.force_login(outsider)
    assert client.post(_url(submitted), {"text": "x"}).status_code == 404


@pytest.mark.parametrize("user", ["facility_user", "official"])
def test_it_requires_staff(client, request, submitted, user):
    client.force_login(request.getfixturevalue(user))
    assert client.post(_url(submitted), {"text": "x"}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.state == "submitted"


def test_it_rejects_bad_input(client, staff, submitted):
    client.force_login(staff)
    response = client.post(_url(submitted), {"text": "   "}, follow=True)
    assert "Cần ghi ý kiến khi trả lại đánh giá." in response.text
    # The error summary at the top of the form, linking the field (includes/form_errors.html).
    assert "Chưa lưu được: có 1 lỗi cần sửa" in response.text
    assert 'href="#id_text"' in response.text
    submitted.refresh_from_db()
    assert submitted.state == "submitted"


def test_it_refuses_a_draft(client, staff, draft):
    client.force_login(staff)
    response = client.post(_url(draft), {"text": "x"}, follow=True)
    assert "Không thể thực hiện thao tác này" in response.text
    draft.refresh_from_db()
    assert draft.state == "draft"
    assert not WorkflowEvent.objects.exists()


def test_staff_may_return_any_facility(client, staff):
    assessment = AssessmentFactory(state="submitted")
    client.force_login(staff)
    client.post(_url(assessment), {"text": "Sửa"})
    assessment.refresh_from_db()
    assert assessment.state == "returned"


LONG_COMMENT = (
    "Đề nghị kiểm tra lại lượng than tiêu thụ năm 2025 (58,3 tấn, giảm mạnh so với 916,39 tấn "
    "năm 2024) và gửi kèm hóa đơn mua than của cả năm."
)


def test_a_comment_longer_than_the_history_reason_is_kept_whole(client, staff, submitted):
    """The history's reason column holds 100 characters; the comment is the Department's word
    to the facility and is kept whole where it is read (the record, the workflow log)."""
    assert len(LONG_COMMENT) > 100
    client.force_login(staff)
    assert client.post(_url(submitted), {"text": LONG_COMMENT}).status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == "returned"
    assert submitted.review_comment == LONG_COMMENT
    assert WorkflowEvent.objects.get(assessment=submitted).comment == LONG_COMMENT
    reason = submitted.history.latest("history_id").history_change_reason
    assert len(reason) == 100 and reason.endswith("…")
    assert LONG_COMMENT.startswith(reason[:-1])


def test_an_annual_report_returned_with_a_long_comment(client, staff, db):
    from ..factories import AnnualReportFactory

    report = AnnualReportFactory(state="submitted")
    client.force_login(staff)
    url = reverse("assessments:report_return", args=[report.pk])
    assert client.post(url, {"text": LONG_COMMENT, "confirm": "1"}).status_code == 302
    report.refresh_from_db()
    assert (report.state, report.review_comment) == ("returned", LONG_COMMENT)
