"""The savings cap seen from the baseline (AnnualReport.baseline_use_errors): an annual report
cannot become (or stay) approved with a consumption figure below what the pursued options of an
assessment taking its year as baseline year save together, whatever the path: the staff's save
(entered on behalf), the review's approval, the admin. A draft or submitted report is not
held to it: only an approved report is a baseline (Assessment.baseline_report)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.models import AnnualReport
from core.numbers import format_amount

from ..factories import AnnualReportFactory, AssessmentFactory, OptionFactory
from .report_helpers import report_data

pytestmark = pytest.mark.django_db

SAVED_KWH = (400_000, 300_000)  # the pursued options of the 2019 assessment


@pytest.fixture
def assessment(facility):
    """A draft assessment with baseline year 2019 whose pursued options save 700.000 kWh a year;
    a dropped option and a rejected one (1.000.000 kWh each) do not count."""
    assessment = AssessmentFactory(facility=facility, state="draft", baseline_year=2019)
    for kwh in SAVED_KWH:
        OptionFactory(assessment=assessment, electricity_saving_kwh=kwh)
    OptionFactory(assessment=assessment, electricity_saving_kwh=1_000_000, status="dropped")
    OptionFactory(
        assessment=assessment,
        electricity_saving_kwh=1_000_000,
        screening="reject",
        status="planned",
    )
    return assessment


def baseline_error(assessment, used) -> str:
    """The refusal naming `assessment` (its options save SAVED_KWH) and the report's `used` kWh."""
    return (
        f"Điện (kWh) năm 2019 là {format_amount(Decimal(used))}, thấp hơn tổng tiết kiệm hằng "
        f"năm ({format_amount(Decimal(sum(SAVED_KWH)))}) của các giải pháp trong đánh giá "
        f"“{assessment}” lấy năm này làm năm cơ sở. Hãy sửa hoặc bỏ bớt các giải pháp của "
        "đánh giá đó trước."
    )


# --- the review's approval ---------------------------------------------------------------------


def _approve(client, report):
    url = reverse("assessments:report_approve", args=[report.pk])
    return client.post(url, {"confirm": "1", "text": ""}, follow=True)


def test_approving_figures_below_the_savings_is_refused(client, staff, facility, assessment):
    report = AnnualReportFactory(facility=facility, year=2019, state="submitted")
    client.force_login(staff)
    response = _approve(client, report)
    assert baseline_error(assessment, report.electricity_kwh) in response.text
    report.refresh_from_db()
    assert (report.state, report.reviewed_at) == ("submitted", None)


def test_approving_figures_that_cover_the_savings_works(client, staff, facility, assessment):
    report = AnnualReportFactory(
        facility=facility, year=2019, state="submitted", electricity_kwh=sum(SAVED_KWH)
    )
    client.force_login(staff)
    assert "Đã duyệt báo cáo" in _approve(client, report).text
    report.refresh_from_db()
    assert report.state == "approved"


@pytest.mark.parametrize("where", ["other_year", "other_facility"])
def test_other_assessments_do_not_count(client, staff, facility, other_facility, where):
    other = {"other_year": (facility, 2018), "other_facility": (other_facility, 2019)}[where]
    owner, year = other
    assessment = AssessmentFactory(facility=owner, state="draft", baseline_year=year)
    OptionFactory(assessment=assessment, electricity_saving_kwh=10_000_000)
    report = AnnualReportFactory(facility=facility, year=2019, state="submitted")
    client.force_login(staff)
    _approve(client, report)
    report.refresh_from_db()
    assert report.state == "approved"


# --- the staff's save (approved on saving) -------------------------------------------------------


def _edit(client, report, **changes):
    return client.post(reverse("assessments:report_edit", args=[report.pk]), report_data(**changes))


def test_a_staff_save_below_the_savings_is_a_form_error(client, staff, facility, assessment):
    report = AnnualReportFactory(facility=facility, year=2019, state="submitted")
    client.force_login(staff)
    response = _edit(client, report, electricity_kwh="600000")
    assert response.status_code == 200
    assert response.context["form"].errors["electricity_kwh"] == [
        baseline_error(assessment, 600_000)
    ]
    report.refresh_from_db()
    assert (report.state, report.electricity_kwh) == ("submitted", 500_000)


def test_a_staff_save_that_covers_the_savings_approves(client, staff, facility, assessment):
    report = AnnualReportFactory(facility=facility, year=2019, state="submitted")
    client.force_login(staff)
    assert _edit(client, report, electricity_kwh=str(sum(SAVED_KWH))).status_code == 302
    report.refresh_from_db()
    assert (report.state, report.electricity_kwh) == ("approved", sum(SAVED_KWH))


def test_a_report_staff_enter_on_behalf_is_held_to_the_savings(client, staff, facility, assessment):
    client.force_login(staff)
    url = reverse("assessments:report_create", args=[facility.pk])
    response = client.post(url, report_data(electricity_kwh="600000"))
    assert response.status_code == 200
    assert response.context["form"].errors["electricity_kwh"] == [
        baseline_error(assessment, 600_000)
    ]
    assert not AnnualReport.objects.exists()


def test_a_quantity_the_report_leaves_empty_counts_as_none_used(
    client, staff, facility, assessment
):
    # As for the options (savings_cap.exceeded_uses): a baseline that does not give the
    # quantity says the facility used none of it, less than the options save.
    report = AnnualReportFactory(facility=facility, year=2019, state="submitted")
    client.force_login(staff)
    response = _edit(client, report, electricity_kwh="")
    assert response.status_code == 200
    assert response.context["form"].errors["electricity_kwh"] == [baseline_error(assessment, 0)]
    report.refresh_from_db()
    assert (report.state, report.electricity_kwh) == ("submitted", 500_000)


# --- the facility's own save and submission are not held -----------------------------------------


def test_a_facility_draft_and_submission_are_not_held(
    client, facility_user, facility, assessment, open_deadline
):
    client.force_login(facility_user)
    url = reverse("assessments:report_create", args=[facility.pk])
    response = client.post(url, report_data(electricity_kwh="600000", submit="1"))
    assert response.status_code == 302
    report = AnnualReport.objects.get()
    assert (report.state, report.electricity_kwh) == ("submitted", 600_000)


# --- the model's own check (every full_clean: forms, the service, the admin) ---------------------


def test_full_clean_holds_only_an_approved_report(facility, assessment):
    report = AnnualReportFactory.build(facility=facility, year=2019, state="submitted")
    report.full_clean()
    report.state = "approved"
    with pytest.raises(ValidationError) as caught:
        report.full_clean()
    assert caught.value.message_dict["electricity_kwh"] == [baseline_error(assessment, 500_000)]


def test_a_figure_an_approved_report_already_had_is_not_checked_again(facility):
    # Stored before the cap (as Assessment.baseline_change_errors leaves a baseline year as it
    # was): the report can still be corrected without touching that figure, or by raising it.
    report = AnnualReportFactory(facility=facility, year=2019, electricity_kwh=500_000)
    assessment = AssessmentFactory(facility=facility, state="draft", baseline_year=2019)
    for kwh in SAVED_KWH:
        OptionFactory(assessment=assessment, electricity_saving_kwh=kwh)
    report.employees = 90
    report.full_clean()
    report.electricity_kwh = 600_000
    report.full_clean()
    report.electricity_kwh = 400_000
    with pytest.raises(ValidationError) as caught:
        report.full_clean()
    assert caught.value.message_dict["electricity_kwh"] == [baseline_error(assessment, 400_000)]


def test_a_reopened_report_keeps_the_figure_its_approved_version_had(client, staff, facility):
    # Stored before the cap, approved, then reopened to correct another figure: the staff save
    # that approves it again is judged against the version approved last (from its history), as
    # the import judges it, not refused over a figure nobody touched.
    report = AnnualReportFactory(facility=facility, year=2019, electricity_kwh=500_000)
    assessment = AssessmentFactory(facility=facility, state="draft", baseline_year=2019)
    for kwh in SAVED_KWH:
        OptionFactory(assessment=assessment, electricity_saving_kwh=kwh)
    client.force_login(staff)
    reopen = reverse("assessments:report_reopen", args=[report.pk])
    data = {"confirm": "1", "text": "Sửa số lao động.", "to_state": "returned"}
    client.post(reopen, data)
    report.refresh_from_db()
    assert report.state == "returned"
    response = _edit(client, report, electricity_kwh="500000", employees="90")
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.state, report.employees) == ("approved", 90)
    # Lower than the version approved last: checked.
    client.post(reopen, data)
    response = _edit(client, report, electricity_kwh="400000")
    assert response.context["form"].errors["electricity_kwh"] == [
        baseline_error(assessment, 400_000)
    ]


def test_the_admin_is_held_to_the_savings(admin_client, facility, assessment):
    report = AnnualReportFactory(facility=facility, year=2019, state="submitted")
    url = reverse("admin:assessments_annualreport_change", args=[report.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in ((n, form[n].value()) for n in form.fields)
        if value not in (None, False)
    }
    data.update(state="approved", electricity_kwh="600000")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["electricity_kwh"] == [
        baseline_error(assessment, 600_000)
    ]
    report.refresh_from_db()
    assert report.state == "submitted"
