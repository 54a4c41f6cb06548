"""The CP-assessment e-mails, as annual reports': staff hear of a submitted assessment; the
facility's representatives (not other accounts linked to it) of their assessment returned, with
the Department's comment, or approved. Each links to the assessment (PORTAL_URL) and goes
through the `mail` queue's tasks on commit. The facility's home page lists its returned
assessments."""

import pytest
from django.urls import reverse
from lxml import html

from accounts.models import Role
from assessments import tasks

from ..factories import AssessmentFactory, UserFactory

PORTAL = "https://sxsh.example.gov.vn"
COMMENT = "Bổ sung hóa đơn tiền điện năm 2017."


@pytest.fixture(autouse=True)
def _portal_url(settings):
    settings.PORTAL_URL = PORTAL


@pytest.fixture
def run_tasks(monkeypatch):
    """The notification tasks run in the test (their e-mails reach the outbox) once queued."""
    for name in ("notify_assessment_submitted", "notify_assessment_reviewed"):
        task = getattr(tasks, name)
        monkeypatch.setattr(task, "delay", task)


@pytest.fixture
def linked_staff(facility):
    """A staff account linked to the facility: not one of its representatives."""
    user = UserFactory(username="canbo_gan_co_so", role=Role.STAFF, email="gan@soct.gov.vn")
    user.facilities.add(facility)
    return user


def _post(client, captured, name, assessment, data=None):
    url = reverse(f"assessments:{name}", args=[assessment.pk])
    with captured(execute=True):
        response = client.post(url, data or {})
    assert response.status_code == 302
    assessment.refresh_from_db()


def _link(assessment) -> str:
    return PORTAL + reverse("assessments:assessment_detail", args=[assessment.pk])


def test_a_return_mails_the_representatives_with_the_comment(
    client,
    staff,
    facility_user,
    linked_staff,
    submitted,
    run_tasks,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    # A name imported with an Excel line break still gives a one-line subject.
    submitted.facility.name = "Công ty Bia\nHải Dương"
    submitted.facility.save(update_fields=["name"])
    client.force_login(staff)
    _post(
        client,
        django_capture_on_commit_callbacks,
        "assessment_return",
        submitted,
        {"text": COMMENT},
    )
    assert submitted.state == "returned"
    [mail] = mailoutbox
    assert mail.to == [facility_user.email]
    assert linked_staff.email not in mail.to
    assert (
        mail.subject
        == "[SXSH] Đánh giá SXSH (Đánh giá nhanh) của Công ty Bia Hải Dương bị trả lại để sửa"
    )
    assert COMMENT in mail.body
    assert _link(submitted) in mail.body


def test_an_approval_mails_the_representatives(
    client,
    staff,
    facility_user,
    linked_staff,
    submitted,
    run_tasks,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    client.force_login(staff)
    _post(client, django_capture_on_commit_callbacks, "assessment_approve", submitted, {"text": ""})
    assert submitted.state == "approved"
    [mail] = mailoutbox
    assert mail.to == [facility_user.email]
    assert "đã được duyệt" in mail.subject
    assert submitted.facility.name in mail.subject
    assert _link(submitted) in mail.body


def test_a_submission_mails_the_staff(
    client,
    staff,
    facility_user,
    draft,
    run_tasks,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    client.force_login(facility_user)
    _post(client, django_capture_on_commit_callbacks, "assessment_submit", draft)
    assert draft.state == "submitted"
    [mail] = mailoutbox
    assert mail.to == [staff.email]
    assert f"{draft.facility.name} đã gửi đánh giá SXSH" in mail.subject
    assert draft.facility.tax_code in mail.body
    assert _link(draft) in mail.body


@pytest.mark.parametrize(("to_state", "mailed"), [("returned", True), ("draft", False)])
def test_a_reopening_as_returned_tells_the_facility_why(
    client,
    staff,
    facility_user,
    approved,
    to_state,
    mailed,
    run_tasks,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    client.force_login(staff)
    data = {"text": "Cơ sở nhầm đơn vị tính.", "to_state": to_state}
    _post(client, django_capture_on_commit_callbacks, "assessment_reopen", approved, data)
    assert approved.state == to_state
    if not mailed:
        assert mailoutbox == []
        return
    [mail] = mailoutbox
    assert mail.to == [facility_user.email]
    assert "bị trả lại để sửa" in mail.subject
    assert "Cơ sở nhầm đơn vị tính." in mail.body


def test_a_staff_approval_from_the_page_of_a_returned_assessment_mails_the_facility(
    client,
    staff,
    facility_user,
    facility,
    run_tasks,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    returned = AssessmentFactory(facility=facility, state="returned", created_by=facility_user)
    client.force_login(staff)
    data = {"confirm": "1", "text": "Đủ giải pháp."}
    _post(client, django_capture_on_commit_callbacks, "assessment_approve_draft", returned, data)
    assert returned.state == "approved"
    [mail] = mailoutbox
    assert mail.to == [facility_user.email]
    assert "đã được duyệt" in mail.subject
    assert "Đủ giải pháp." in mail.body


def test_a_draft_staff_entered_and_approve_mails_nobody(
    client,
    staff,
    facility_user,
    facility,
    run_tasks,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    # Staff kept their own entry a draft to add its options: the facility filed nothing.
    draft = AssessmentFactory(facility=facility, state="draft", created_by=staff)
    client.force_login(staff)
    _post(
        client,
        django_capture_on_commit_callbacks,
        "assessment_approve_draft",
        draft,
        {"confirm": "1"},
    )
    assert draft.state == "approved"
    assert mailoutbox == []


def test_the_steps_queue_the_mail_tasks(
    client, staff, facility_user, submitted, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(
        tasks.notify_assessment_reviewed, "delay", lambda *a, **kw: queued.append((a, kw))
    )
    client.force_login(staff)
    _post(
        client,
        django_capture_on_commit_callbacks,
        "assessment_return",
        submitted,
        {"text": COMMENT},
    )
    assert queued == [((submitted.pk,), {"state": "returned", "comment": COMMENT})]


def test_the_facility_home_lists_its_returned_assessments(
    client, facility_user, facility, other_facility
):
    returned = AssessmentFactory(facility=facility, state="returned", review_comment=COMMENT)
    AssessmentFactory(facility=facility, state="submitted")
    elsewhere = AssessmentFactory(
        facility=other_facility, state="returned", review_comment="Của cơ sở khác."
    )
    client.force_login(facility_user)
    response = client.get("/")
    assert response.status_code == 200
    page = html.fromstring(response.content)
    (card,) = page.xpath(f'//section[@id="facility-{facility.pk}"]')
    rows = card.xpath('.//*[contains(concat(" ", @class, " "), " returned-assessment ")]')
    assert [row.get("id") for row in rows] == [f"returned-assessment-{returned.pk}"]
    assert COMMENT in rows[0].text_content()
    assert rows[0].xpath(".//a/@href") == [returned.get_absolute_url()]
    assert "Của cơ sở khác." not in response.text
    assert f"returned-assessment-{elsewhere.pk}" not in response.text
