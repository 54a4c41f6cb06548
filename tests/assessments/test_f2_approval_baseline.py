"""An assessment whose pursued options save a quantity capped by the baseline year's use
(savings_cap.BASELINE_CONSUMPTION) is approved only when its baseline year has an approved annual
report to hold them to: without a baseline year, or without that report, nothing caps them and
the year's document would print whatever they say (500 GWh saved at a facility using 12 MWh).
Every approval path refuses it (staff approve, approve a draft, a staff save, the admin); saving
a draft stays allowed."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Assessment, Option, WorkflowEvent

from ..factories import AnnualReportFactory, AssessmentFactory, OptionFactory

pytestmark = pytest.mark.django_db

HUGE_KWH = "500000000"  # 500 GWh a year
OPTION = "Lắp biến tần cho quạt hút lò hơi"


def _option_form(**changes) -> dict:
    data = {
        "category": "4",
        "description": OPTION,
        "screening": "implement",
        "status": "done",
        "implementation_year": "2019",
        "investment_vnd": "150000000",
        "annual_saving_vnd": "90000000",
        "electricity_saving_kwh": HUGE_KWH,
    }
    data.update(changes)
    return data


def _assessment_form(facility, **changes) -> dict:
    data = {
        "facility": facility.pk,
        "kind": "quick",
        "start_date": "2019-06-03",
        "end_date": "2019-06-28",
        "consultant": "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp",
        "baseline_year": "",
        "funding_source": "Kinh phí khuyến công địa phương",
        "total_cost_vnd": "60000000",
        "supported_amount_vnd": "30000000",
    }
    data.update(changes)
    return data


def _approve_draft(client, assessment):
    url = reverse("assessments:assessment_approve_draft", args=[assessment.pk])
    return client.post(url, {"confirm": "1"}, follow=True)


def _approve(client, assessment):
    url = reverse("assessments:assessment_approve", args=[assessment.pk])
    return client.post(url, {"text": ""}, follow=True)


def _said(response) -> str:
    """The messages the page after the step shows (not the rest of the page)."""
    return " ".join(str(message) for message in response.context["messages"])


def _approvals(assessment) -> int:
    return WorkflowEvent.objects.filter(assessment=assessment, to_state="approved").count()


def _draft_with_option(facility, baseline_year=None, **option):
    assessment = AssessmentFactory(facility=facility, state="draft", baseline_year=baseline_year)
    values = {"electricity_saving_kwh": Decimal(HUGE_KWH), "description": OPTION, **option}
    OptionFactory(assessment=assessment, implementation_year=2019, **values)
    return assessment


# --- the report of the defect, through the web ---------------------------------------------------


def test_staff_cannot_approve_savings_without_a_baseline_year(client, staff, facility):
    client.force_login(staff)
    create = reverse("assessments:assessment_create")
    client.post(create, _assessment_form(facility, keep_draft="1"))
    assessment = Assessment.objects.get()
    option_url = reverse("assessments:option_create", args=[assessment.pk])
    assert client.post(option_url, _option_form()).status_code == 302  # a draft: allowed

    response = _approve_draft(client, assessment)

    text = _said(response)
    assert "Chưa thể duyệt" in text
    assert f"“{OPTION}”" in text
    assert "đánh giá chưa có năm cơ sở" in text
    assessment.refresh_from_db()
    assert assessment.state == "draft"
    assert _approvals(assessment) == 0


def test_staff_cannot_approve_savings_without_an_approved_baseline_report(client, staff, facility):
    # The baseline year's report exists but is not approved: it caps nothing.
    AnnualReportFactory(facility=facility, year=2018, state="submitted", electricity_kwh=12_000)
    assessment = _draft_with_option(facility, baseline_year=2018)
    client.force_login(staff)

    response = _approve_draft(client, assessment)

    text = _said(response)
    assert "Chưa thể duyệt" in text
    assert f"“{OPTION}”" in text
    assert "năm cơ sở 2018 chưa có báo cáo năm đã duyệt" in text
    assessment.refresh_from_db()
    assert assessment.state == "draft"
    assert _approvals(assessment) == 0


def test_staff_approve_once_the_baseline_report_is_approved(client, staff, facility):
    used = 12_000
    AnnualReportFactory(facility=facility, year=2018, state="approved", electricity_kwh=used)
    assessment = _draft_with_option(
        facility, baseline_year=2018, electricity_saving_kwh=Decimal(used // 4)
    )
    client.force_login(staff)

    response = _approve_draft(client, assessment)

    assert "Chưa thể duyệt" not in _said(response)
    assessment.refresh_from_db()
    assert assessment.state == "approved"
    assert _approvals(assessment) == 1


# --- the review step of a submitted assessment ------------------------------------------------


def test_a_submitted_assessment_without_baseline_is_not_approved(client, staff, facility):
    assessment = _draft_with_option(facility)
    Assessment.objects.filter(pk=assessment.pk).update(state="submitted")
    client.force_login(staff)

    response = _approve(client, assessment)

    text = _said(response)
    assert "Chưa thể duyệt" in text
    assert f"“{OPTION}”" in text
    assessment.refresh_from_db()
    assert assessment.state == "submitted"
    assert _approvals(assessment) == 0


def test_a_submitted_assessment_with_an_approved_baseline_is_approved(client, staff, facility):
    AnnualReportFactory(facility=facility, year=2018, state="approved", electricity_kwh=40_000)
    assessment = _draft_with_option(
        facility, baseline_year=2018, electricity_saving_kwh=Decimal(10_000)
    )
    Assessment.objects.filter(pk=assessment.pk).update(state="submitted")
    client.force_login(staff)

    _approve(client, assessment)

    assessment.refresh_from_db()
    assert assessment.state == "approved"


# --- a staff save approves: refused too; keeping a draft is not --------------------------------


def test_a_staff_save_that_would_approve_is_refused_on_the_baseline_year(client, staff, facility):
    assessment = _draft_with_option(facility)
    client.force_login(staff)
    edit = reverse("assessments:assessment_edit", args=[assessment.pk])
    form = _assessment_form(facility, consultant="Trung tâm Sản xuất sạch Việt Nam (VNCPC)")

    response = client.post(edit, {**form, "version": assessment.version})

    assert response.status_code == 200
    errors = response.context["form"].errors["baseline_year"]
    assert len(errors) == 1
    assert "Chưa thể duyệt" in errors[0]
    assert f"“{OPTION}”" in errors[0]
    assessment.refresh_from_db()
    assert (assessment.state, assessment.consultant) == (
        "draft",
        "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp",
    )

    # Kept a draft, the same change is saved.
    response = client.post(edit, {**form, "version": assessment.version, "keep_draft": "1"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.state == "draft"
    assert assessment.consultant == "Trung tâm Sản xuất sạch Việt Nam (VNCPC)"


# --- what the rule leaves alone --------------------------------------------------------------


@pytest.mark.parametrize(
    "option",
    [
        # Only money and material: nothing of the baseline year's use to hold them to.
        {"electricity_saving_kwh": None, "material_saving_t": Decimal(40)},
        # Rejected at screening or dropped: out of the totals (Option.is_pursued).
        {"screening": "reject", "status": "dropped"},
        {"status": "dropped"},
    ],
)
def test_options_saving_nothing_capped_need_no_baseline(client, staff, facility, option):
    assessment = _draft_with_option(facility, **option)
    client.force_login(staff)

    _approve_draft(client, assessment)

    assessment.refresh_from_db()
    assert assessment.state == "approved"


def test_the_message_names_every_option_saving(client, staff, facility):
    assessment = _draft_with_option(facility, baseline_year=2018)
    second = "Thu hồi nước ngưng về bồn cấp nước lò hơi"
    OptionFactory(
        assessment=assessment,
        description=second,
        implementation_year=2019,
        water_saving_m3=Decimal(5_000),
    )
    OptionFactory(
        assessment=assessment,
        description="Giải pháp đã hủy",
        status="dropped",
        implementation_year=2019,
        coal_saving_t=Decimal(10),
    )
    client.force_login(staff)

    text = _said(_approve_draft(client, assessment))

    assert f"“{OPTION}”" in text and f"“{second}”" in text
    assert "Giải pháp đã hủy" not in text
    assert Option.objects.filter(assessment=assessment).count() == 3
    assessment.refresh_from_db()
    assert assessment.state == "draft"


# --- the admin: approving there, or adding to an approved assessment, takes the same rule ------


def _admin_post(client, assessment, new_options=(), **changes):
    data = {
        "facility": str(assessment.facility_id),
        "kind": assessment.kind,
        "start_date": "",
        "end_date": "",
        "consultant": assessment.consultant,
        "baseline_year": str(assessment.baseline_year or ""),
        "funding_source": "",
        "total_cost_vnd": str(assessment.total_cost_vnd),
        "supported_amount_vnd": str(assessment.supported_amount_vnd),
        "state": assessment.state,
        "review_comment": "",
        "created_by": "",
        "options-TOTAL_FORMS": str(len(new_options)),
        "options-INITIAL_FORMS": "0",
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "1000",
        "_save": "Lưu",
        **changes,
    }
    for index, form in enumerate(new_options):
        data.update({f"options-{index}-{name}": value for name, value in form.items()})
    url = reverse("admin:assessments_assessment_change", args=[assessment.pk])
    return client.post(url, data)


def test_the_admin_cannot_approve_at_all(admin_client, facility):
    """Approval is a workflow step (logged, its rules checked: assessment_approve), never a field
    the admin sets: the state is read only there."""
    assessment = _draft_with_option(facility)
    url = reverse("admin:assessments_assessment_change", args=[assessment.pk])
    assert "state" not in admin_client.get(url).context["adminform"].form.fields

    _admin_post(admin_client, assessment, state="approved")

    assessment.refresh_from_db()
    assert assessment.state == "draft"


def test_the_admin_cannot_add_savings_to_an_approved_assessment_without_baseline(
    admin_client, facility
):
    assessment = AssessmentFactory(facility=facility, state="approved", baseline_year=None)
    option = {
        name: value for name, value in _option_form().items() if name != "electricity_saving_kwh"
    }
    response = _admin_post(
        admin_client, assessment, new_options=[{**option, "electricity_saving_kwh": "12000"}]
    )

    assert response.status_code == 200
    assert not Option.objects.exists()
    # Without a saving of the baseline year's quantities the option is stored.
    response = _admin_post(admin_client, assessment, new_options=[option])
    assert response.status_code == 302
    assert Option.objects.count() == 1
