"""The Django admin's annual report page keeps the portal's workflow: an approved report is read
only there, as on the staff pages; a report staff may still change is saved as their entry is
(services.annual_report_save): approved by them, with its workflow event, refused on a
data-quality error (with the message on the form) and its findings stored. The workflow's own
fields (state, reviewer, dates) are not form fields, and a report is neither added nor reverted
to an old version there."""

import pytest
from django.urls import reverse

from assessments.models import AnnualReport, QualityFinding, QualityRule, WorkflowEvent

from ..factories import AnnualReportFactory, AssessmentFactory, FacilityFactory, OptionFactory

pytestmark = pytest.mark.django_db

WORKFLOW_FIELDS = ("state", "reviewed_by", "reviewed_at", "submitted_at", "returned_at")


def _url(report):
    return reverse("admin:assessments_annualreport_change", args=[report.pk])


def _form_data(admin_client, report) -> dict:
    """The admin's change form of `report` as shown, to send back."""
    form = admin_client.get(_url(report)).context["adminform"].form
    return {
        name: value
        for name, value in ((n, form[n].value()) for n in form.fields)
        if value is not None and value is not False
    }


def test_an_approved_report_is_read_only(admin_client, facility):
    report = AnnualReportFactory(facility=facility, state="approved", electricity_kwh=500_000)
    response = admin_client.get(_url(report))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    data = {"facility": str(facility.pk), "year": "2018", "electricity_kwh": "500000000"}

    response = admin_client.post(_url(report), data)

    assert response.status_code == 403
    report.refresh_from_db()
    assert report.electricity_kwh == 500_000
    assert not report.events.exists()


def test_an_approved_report_is_not_deleted(admin_client, facility):
    report = AnnualReportFactory(facility=facility, state="approved")
    url = reverse("admin:assessments_annualreport_delete", args=[report.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert AnnualReport.objects.filter(pk=report.pk).exists()


def test_the_workflow_fields_are_not_form_fields(admin_client, facility):
    report = AnnualReportFactory(facility=facility, state="submitted")
    form = admin_client.get(_url(report)).context["adminform"].form
    assert not set(WORKFLOW_FIELDS) & set(form.fields)


def test_a_submitted_report_saved_in_the_admin_is_a_staff_entry(admin_user, admin_client, facility):
    report = AnnualReportFactory(facility=facility, state="submitted", electricity_kwh=500_000)
    # The state sent is ignored: the save decides it, as a staff entry's.
    data = _form_data(admin_client, report) | {"electricity_kwh": "600000", "state": "draft"}

    response = admin_client.post(_url(report), data)

    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.state, report.electricity_kwh) == ("approved", 600_000)
    assert report.reviewed_by == admin_user and report.reviewed_at is not None
    (event,) = report.events.all()
    assert (event.action, event.from_state, event.to_state, event.by) == (
        WorkflowEvent.Action.SAVE,
        "submitted",
        "approved",
        admin_user,
    )
    assert report.history.first().history_user == admin_user


def test_a_draft_is_not_approved_without_its_reviewer(admin_user, admin_client, facility):
    report = AnnualReportFactory(facility=facility, state="draft")
    data = _form_data(admin_client, report) | {"state": "approved", "reviewed_by": ""}

    assert admin_client.post(_url(report), data).status_code == 302

    report.refresh_from_db()
    assert report.state == "approved"
    assert report.reviewed_by == admin_user and report.reviewed_at is not None
    assert report.events.get().action == WorkflowEvent.Action.SAVE


def test_a_data_quality_error_refuses_the_save_on_the_form(admin_client, facility):
    QualityRule.objects.filter(code="OUTPUT_NO_ENERGY").update(severity="error")
    report = AnnualReportFactory(facility=facility, state="submitted", coal_t=None)
    data = _form_data(admin_client, report) | {"electricity_kwh": ""}

    response = admin_client.post(_url(report), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "electricity_kwh" in errors
    report.refresh_from_db()
    assert (report.state, report.electricity_kwh) == ("submitted", 500_000)
    assert not report.events.exists()


def test_the_stored_findings_are_refreshed(admin_client, facility):
    report = AnnualReportFactory(facility=facility, state="returned", coal_t=None)
    assert not QualityFinding.objects.filter(report=report).exists()
    data = _form_data(admin_client, report) | {"electricity_kwh": ""}

    assert admin_client.post(_url(report), data).status_code == 302

    finding = QualityFinding.objects.open().get(report=report)
    assert (finding.rule.code, finding.field) == ("OUTPUT_NO_ENERGY", "electricity_kwh")


def test_the_savings_of_an_approving_save_are_checked_on_the_form(admin_client, facility):
    """A submitted report the save approves is held to the rules of an approved one (here the
    savings of the assessments it is the baseline of) before saving, not in a server error."""
    report = AnnualReportFactory(facility=facility, year=2019, state="submitted")
    assessment = AssessmentFactory(facility=facility, baseline_year=2019, state="draft")
    OptionFactory(assessment=assessment, electricity_saving_kwh=400_000)
    data = _form_data(admin_client, report) | {"electricity_kwh": "300000"}

    response = admin_client.post(_url(report), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["electricity_kwh"]
    report.refresh_from_db()
    assert (report.state, report.electricity_kwh) == ("submitted", 500_000)


def test_reports_are_not_added_in_the_admin(admin_client, facility):
    response = admin_client.post(
        reverse("admin:assessments_annualreport_add"),
        {"facility": str(facility.pk), "year": "2018", "state": "approved"},
    )
    assert response.status_code == 403
    assert not AnnualReport.objects.exists()


def test_a_report_is_not_reverted_to_an_old_version(admin_client, facility):
    report = AnnualReportFactory(facility=facility, state="draft", electricity_kwh=1)
    report.electricity_kwh = 2
    report.save()
    report.state = "approved"
    report.save()
    version = report.history.order_by("history_date").first()
    url = reverse(
        "admin:assessments_annualreport_simple_history", args=[report.pk, version.history_id]
    )

    shown = admin_client.get(url)
    assert shown.status_code == 200 and shown.context["revert_disabled"]

    response = admin_client.post(url, {"electricity_kwh": "1", "state": "draft"})

    assert response.status_code == 403
    report.refresh_from_db()
    assert (report.state, report.electricity_kwh) == ("approved", 2)


def test_a_returned_report_moves_to_another_facility_as_a_staff_entry(admin_client):
    """The admin still moves a report it may change to another facility (the report form and
    import cannot), within the facility's report years, and the move is the user's entry."""
    report = AnnualReportFactory(facility=FacilityFactory(established_year=2010), state="returned")
    founded_later, other = FacilityFactory(established_year=2019), FacilityFactory()
    data = _form_data(admin_client, report)

    response = admin_client.post(_url(report), data | {"facility": str(founded_later.pk)})
    assert response.status_code == 200
    (message,) = response.context["adminform"].form.errors["facility"]
    assert "không hoạt động trong năm 2018" in message

    assert admin_client.post(_url(report), data | {"facility": str(other.pk)}).status_code == 302
    report.refresh_from_db()
    assert (report.facility, report.state) == (other, "approved")
    assert report.events.get().action == WorkflowEvent.Action.SAVE
