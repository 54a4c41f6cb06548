"""A staff-entered assessment is approved on saving and so locked: its edit and option URLs send
staff and the facility's representative back to its page with the locked message (as annual
reports do), its page says options are changed after reopening, the reopen offers "returned" or
"draft", and a staff save that approves it again drops the reopen reason."""

import pytest
from django.urls import reverse

from assessments.models import Assessment, Option, WorkflowEvent

from ..factories import OptionFactory
from .test_assessment_create import _form as create_form
from .test_assessment_edit import _form as assessment_form
from .test_option_create import _form as option_form

LOCKED = "Đánh giá đã được duyệt; cần mở lại trước khi sửa."


@pytest.fixture
def locked_option(approved):
    return OptionFactory(assessment=approved, status="planned", description="Thay bóng LED")


def _locked_urls(approved, locked_option):
    return [
        reverse("assessments:assessment_edit", args=[approved.pk]),
        reverse("assessments:option_create", args=[approved.pk]),
        reverse("assessments:option_edit", args=[locked_option.pk]),
        reverse("assessments:option_delete", args=[locked_option.pk]),
    ]


def _payload(url, approved):
    if "options" in url and url.endswith("/new/"):
        return option_form(description="Giải pháp mới")
    if "/options/" in url:
        return option_form(description="Đã sửa")
    return assessment_form(approved, consultant="Đã sửa")


def _unchanged(approved, locked_option):
    approved.refresh_from_db()
    locked_option.refresh_from_db()
    assert approved.state == "approved"
    assert approved.consultant != "Đã sửa"
    assert locked_option.description == "Thay bóng LED"
    assert list(Option.objects.filter(assessment=approved)) == [locked_option]


@pytest.mark.parametrize("who", ["staff", "facility_user"])
def test_locked_urls_lead_back_with_the_locked_message(
    client, request, approved, locked_option, who
):
    client.force_login(request.getfixturevalue(who))
    for url in _locked_urls(approved, locked_option):
        for response in (client.get(url), client.post(url, _payload(url, approved))):
            assert response.status_code == 302, url
            assert response.url == approved.get_absolute_url(), url
        page = client.get(url, follow=True)
        assert LOCKED in page.text, url
    _unchanged(approved, locked_option)


@pytest.mark.parametrize(("who", "status"), [("official", 403), ("outsider", 404)])
def test_officials_still_get_403_and_outsiders_404(
    client, request, approved, locked_option, who, status
):
    client.force_login(request.getfixturevalue(who))
    for url in _locked_urls(approved, locked_option):
        assert client.get(url).status_code == status, url
        assert client.post(url, _payload(url, approved)).status_code == status, url
    _unchanged(approved, locked_option)


def test_staff_entry_is_locked_and_its_page_says_how_to_add_options(client, staff, facility):
    client.force_login(staff)
    data = create_form(facility=facility.pk)
    response = client.post(reverse("assessments:assessment_create"), data)
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.state == "approved"
    page = client.get(assessment.get_absolute_url())
    note = page.text.split('id="options-locked"', 1)
    assert len(note) == 2, "the options section explains how to add options"
    reopen = reverse("assessments:assessment_reopen", args=[assessment.pk])
    assert reopen in note[1].split("</div>", 1)[0]
    assert "Mở lại để sửa" in note[1].split("</div>", 1)[0]


def test_the_facility_sees_no_reopen_note(client, facility_user, approved):
    client.force_login(facility_user)
    assert 'id="options-locked"' not in client.get(approved.get_absolute_url()).text


def _reopen(assessment):
    return reverse("assessments:assessment_reopen", args=[assessment.pk])


def test_reopen_offers_returned_or_draft(client, staff, approved):
    client.force_login(staff)
    form = client.get(_reopen(approved)).context["form"]
    choices = dict(form.fields["to_state"].choices)
    assert set(choices) == {"returned", "draft"}
    assert form.fields["to_state"].initial == "returned"  # as the annual report's reopen


def test_reopen_as_a_draft(client, staff, approved):
    client.force_login(staff)
    data = {"confirm": "1", "text": "Cán bộ nhập thiếu giải pháp", "to_state": "draft"}
    response = client.post(_reopen(approved), data)
    assert response.status_code == 302
    approved.refresh_from_db()
    assert (approved.state, approved.review_comment) == ("draft", "")
    event = WorkflowEvent.objects.get(assessment=approved)
    assert (event.action, event.to_state, event.comment) == (
        "reopen",
        "draft",
        "Cán bộ nhập thiếu giải pháp",
    )
    page = client.get(approved.get_absolute_url())
    assert 'id="review-comment"' not in page.text


def test_reopen_as_returned_shows_the_reason(client, staff, approved):
    client.force_login(staff)
    data = {"confirm": "1", "text": "Bổ sung giải pháp", "to_state": "returned"}
    client.post(_reopen(approved), data)
    approved.refresh_from_db()
    assert (approved.state, approved.review_comment) == ("returned", "Bổ sung giải pháp")


def test_staff_save_after_reopen_drops_the_reopen_reason(client, staff, approved):
    client.force_login(staff)
    data = {"confirm": "1", "text": "Bổ sung giải pháp", "to_state": "returned"}
    client.post(_reopen(approved), data)
    edit = reverse("assessments:assessment_edit", args=[approved.pk])
    response = client.post(edit, assessment_form(approved, consultant="Viện Năng suất"))
    assert response.status_code == 302
    approved.refresh_from_db()
    assert (approved.state, approved.consultant) == ("approved", "Viện Năng suất")
    assert approved.review_comment == ""
    page = client.get(approved.get_absolute_url())
    assert "Bổ sung giải pháp" not in page.text.split('id="workflow', 1)[0]
    assert 'id="review-comment"' not in page.text
    # The reason stays in the workflow log.
    assert WorkflowEvent.objects.filter(assessment=approved, comment="Bổ sung giải pháp").exists()


def test_facility_save_keeps_the_returned_comment(client, staff, facility_user, approved):
    client.force_login(staff)
    data = {"confirm": "1", "text": "Bổ sung giải pháp", "to_state": "returned"}
    client.post(_reopen(approved), data)
    client.force_login(facility_user)
    edit = reverse("assessments:assessment_edit", args=[approved.pk])
    client.post(edit, assessment_form(approved, consultant="Cơ sở sửa"))
    approved.refresh_from_db()
    assert (approved.state, approved.consultant) == ("returned", "Cơ sở sửa")
    assert approved.review_comment == "Bổ sung giải pháp"
