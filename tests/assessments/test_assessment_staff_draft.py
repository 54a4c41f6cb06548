"""A CP assessment staff enter: kept as a draft while its options are added ("Lưu nháp để thêm
giải pháp"), then approved from its page ("Duyệt"), as a staff save approves it (DESIGN §3)."""

import pytest
from django.urls import reverse

from assessments.models import Assessment, WorkflowEvent

from ..factories import AssessmentFactory
from .national_helpers import national, staff_bn, two_provinces

__all__ = ["national", "staff_bn", "two_provinces"]  # fixtures

pytestmark = pytest.mark.django_db

CREATE = reverse("assessments:assessment_create")
KEEP_DRAFT = "Lưu nháp để thêm giải pháp"
SAVE_AND_APPROVE = "Lưu và duyệt"
HOW_APPROVED = "bấm “Duyệt” để duyệt và khóa đánh giá"


def _form(**changes):
    data = {
        "kind": "quick",
        "start_date": "2019-06-03",
        "end_date": "2019-06-28",
        "consultant": "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp",
        "baseline_year": "2018",
        "funding_source": "Kinh phí khuyến công địa phương",
        "total_cost_vnd": "60000000",
        "supported_amount_vnd": "30000000",
    }
    data.update(changes)
    return data


def _option():
    return {
        "category": "1",
        "description": "Sửa chữa rò rỉ hơi trên đường ống cấp hơi",
        "screening": "implement",
        "status": "planned",
        "implementation_year": "2019",
        "investment_vnd": "20000000",
        "annual_saving_vnd": "60000000",
    }


def _edit(assessment):
    return reverse("assessments:assessment_edit", args=[assessment.pk])


def _approve(assessment):
    return reverse("assessments:assessment_approve_draft", args=[assessment.pk])


def _states(assessment):
    return list(assessment.events.values_list("action", "from_state", "to_state", "by__username"))


# --- saving as a draft ---------------------------------------------------------------------


def test_staff_keep_a_new_assessment_a_draft_and_add_its_options(client, staff, facility):
    client.force_login(staff)
    response = client.post(CREATE, _form(facility=facility.pk, keep_draft="1"))
    assessment = Assessment.objects.get()
    assert response["Location"] == assessment.get_absolute_url()
    assert assessment.state == "draft"
    assert _states(assessment) == [("save", "", "draft", staff.username)]
    # The options can be added at once: no reopening, no reason.
    option_url = reverse("assessments:option_create", args=[assessment.pk])
    response = client.post(option_url, _option())
    assert response.status_code == 302
    assert assessment.options.count() == 1
    assert "trạng thái nháp" in client.get(assessment.get_absolute_url()).text


def test_staff_save_and_approve_as_before(client, staff, facility):
    client.force_login(staff)
    client.post(CREATE, _form(facility=facility.pk, save="approve"))
    assert Assessment.objects.get().state == "approved"


def test_staff_keep_a_draft_a_draft_when_editing_it(client, staff, draft):
    client.force_login(staff)
    response = client.post(_edit(draft), _form(consultant="Viện Môi trường", keep_draft="1"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.consultant, draft.state) == ("Viện Môi trường", "draft")
    # Saved with the other button, the draft is approved.
    client.post(_edit(draft), _form(consultant="Viện Năng lượng"))
    draft.refresh_from_db()
    assert (draft.consultant, draft.state) == ("Viện Năng lượng", "approved")


@pytest.mark.parametrize("state", ["returned", "submitted"])
def test_keep_draft_is_ignored_for_a_record_not_a_draft(client, staff, facility, state):
    assessment = AssessmentFactory(facility=facility, state=state)
    client.force_login(staff)
    client.post(_edit(assessment), _form(consultant="Sửa bởi Sở", keep_draft="1"))
    assessment.refresh_from_db()
    assert (assessment.consultant, assessment.state) == ("Sửa bởi Sở", "approved")


def test_keep_draft_does_not_unlock_an_approved_record(client, staff, approved):
    client.force_login(staff)
    response = client.post(_edit(approved), _form(consultant="Sửa bởi Sở", keep_draft="1"))
    assert response.url == approved.get_absolute_url()
    approved.refresh_from_db()
    assert approved.state == "approved"
    assert approved.consultant != "Sửa bởi Sở"


def test_keep_draft_is_ignored_for_a_facility_user(client, facility_user, facility):
    returned = AssessmentFactory(facility=facility, state="returned")
    client.force_login(facility_user)
    client.post(_edit(returned), _form(consultant="Sửa lại", keep_draft="1"))
    returned.refresh_from_db()
    assert (returned.consultant, returned.state) == ("Sửa lại", "returned")
    client.post(CREATE, _form(keep_draft="1", supported_amount_vnd="20000000"))
    assert Assessment.objects.exclude(pk=returned.pk).get().state == "draft"


# --- approving the draft from its page -----------------------------------------------------


@pytest.mark.parametrize("state", ["draft", "returned"])
def test_staff_approve_a_draft_from_its_page(client, staff, facility, state):
    assessment = AssessmentFactory(facility=facility, state=state, review_comment="")
    client.force_login(staff)
    detail = client.get(assessment.get_absolute_url()).text
    assert f'href="{_approve(assessment)}"' in detail
    confirm = client.get(_approve(assessment))
    assert confirm.status_code == 200
    assert "như khi cán bộ Sở lưu" in confirm.text
    assessment.refresh_from_db()
    assert assessment.state == state  # a GET only asks
    response = client.post(_approve(assessment), {"confirm": "1", "text": "Đủ giải pháp."})
    assert response.url == assessment.get_absolute_url()
    assessment.refresh_from_db()
    assert (assessment.state, assessment.review_comment) == ("approved", "Đủ giải pháp.")
    event = assessment.events.get()
    assert (event.action, event.from_state, event.to_state, event.by, event.comment) == (
        "save",
        state,
        "approved",
        staff,
        "Đủ giải pháp.",
    )
    latest = assessment.history.first()
    assert (latest.state, latest.history_user) == ("approved", staff)
    page = client.get(assessment.get_absolute_url())
    assert "Đã duyệt đánh giá." in page.text


def test_the_approval_runs_the_checks_of_a_staff_save(client, staff, facility):
    # Stored without the form (an old row): support above half the cost.
    draft = AssessmentFactory(
        facility=facility, state="draft", total_cost_vnd=40_000_000, supported_amount_vnd=30_000_000
    )
    client.force_login(staff)
    response = client.post(_approve(draft), {"confirm": "1"}, follow=True)
    assert "Chưa duyệt được đánh giá" in response.text
    assert "Kinh phí hỗ trợ không được vượt quá" in response.text
    draft.refresh_from_db()
    assert draft.state == "draft"
    assert not WorkflowEvent.objects.filter(assessment=draft).exists()


@pytest.mark.parametrize("user", ["facility_user", "official"])
def test_only_staff_approve_a_draft(client, request, draft, user):
    client.force_login(request.getfixturevalue(user))
    assert _approve(draft) not in client.get(draft.get_absolute_url()).text
    assert client.get(_approve(draft)).status_code == 403
    assert client.post(_approve(draft), {"confirm": "1"}).status_code == 403
    draft.refresh_from_db()
    assert draft.state == "draft"
    assert not draft.events.exists()


def test_another_facility_cannot_see_it(client, outsider, draft):
    client.force_login(outsider)
    assert client.post(_approve(draft), {"confirm": "1"}).status_code == 404
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_staff_of_another_province_cannot_approve_it(client, national, two_provinces, staff_bn):
    _, hai_phong = two_provinces
    draft = AssessmentFactory(facility=hai_phong, state="draft")
    client.force_login(staff_bn)
    assert client.get(_approve(draft)).status_code == 404
    assert client.post(_approve(draft), {"confirm": "1"}).status_code == 404
    draft.refresh_from_db()
    assert draft.state == "draft"


@pytest.mark.parametrize("state", ["submitted", "approved"])
def test_it_refuses_an_assessment_not_a_draft(client, staff, facility, state):
    assessment = AssessmentFactory(facility=facility, state=state)
    client.force_login(staff)
    response = client.post(_approve(assessment), {"confirm": "1"}, follow=True)
    assert "Không thể thực hiện thao tác này" in response.text
    assessment.refresh_from_db()
    assert assessment.state == state
    assert not assessment.events.exists()


def test_a_submitted_assessment_is_still_approved_by_the_review_step(client, staff, submitted):
    client.force_login(staff)
    page = client.get(submitted.get_absolute_url()).text
    assert _approve(submitted) not in page
    assert reverse("assessments:assessment_approve", args=[submitted.pk]) in page
    client.post(reverse("assessments:assessment_approve", args=[submitted.pk]), {"text": ""})
    submitted.refresh_from_db()
    assert submitted.state == "approved"
    assert submitted.events.get().action == "approve"


# --- what the pages offer ------------------------------------------------------------------


def test_the_staff_create_form_offers_both_buttons(client, staff, facility_user):
    client.force_login(staff)
    text = client.get(CREATE).text
    assert SAVE_AND_APPROVE in text and 'name="keep_draft"' in text
    client.force_login(facility_user)
    text = client.get(CREATE).text
    assert SAVE_AND_APPROVE not in text and 'name="keep_draft"' not in text


@pytest.mark.parametrize(
    ("state", "offered"), [("draft", True), ("returned", False), ("submitted", False)]
)
def test_the_staff_edit_form_offers_a_draft_only_for_a_draft(
    client, staff, facility, state, offered
):
    assessment = AssessmentFactory(facility=facility, state=state)
    client.force_login(staff)
    text = client.get(_edit(assessment)).text
    assert SAVE_AND_APPROVE in text
    assert ('name="keep_draft"' in text) is offered


def test_the_facility_edit_form_offers_one_save(client, facility_user, draft):
    client.force_login(facility_user)
    text = client.get(_edit(draft)).text
    assert SAVE_AND_APPROVE not in text and 'name="keep_draft"' not in text


def test_the_draft_page_tells_staff_how_it_is_approved(client, staff, facility_user, draft):
    client.force_login(staff)
    assert HOW_APPROVED in client.get(draft.get_absolute_url()).text
    client.force_login(facility_user)
    page = client.get(draft.get_absolute_url()).text
    assert HOW_APPROVED not in page
    assert _approve(draft) not in page


def test_an_approved_page_offers_no_approval(client, staff, approved):
    client.force_login(staff)
    page = client.get(approved.get_absolute_url()).text
    assert _approve(approved) not in page
    assert HOW_APPROVED not in page
