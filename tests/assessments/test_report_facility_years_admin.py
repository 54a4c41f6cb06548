"""The admin can move an annual report that is not approved (an approved one is read only there
until reopened) to another facility (the report form and import cannot):
not to one that was not operating in the report's year, where it would become, say, its
energy-saving baseline (AnnualReport.clean, the facility's rule of its report years)."""

from django.urls import reverse

from assessments.models import AnnualReport

from ..factories import AnnualReportFactory, FacilityFactory


def _form_data(admin_client, url) -> dict:
    form = admin_client.get(url).context["adminform"].form
    return {
        name: value
        for name, value in ((n, form[n].value()) for n in form.fields)
        if value is not None and value is not False
    }


def test_a_report_cannot_move_to_a_facility_not_operating_in_its_year(admin_client):
    report = AnnualReportFactory(
        facility=FacilityFactory(established_year=2010), year=2016, state="returned"
    )
    founded_later = FacilityFactory(established_year=2018)
    url = reverse("admin:assessments_annualreport_change", args=[report.pk])
    data = _form_data(admin_client, url) | {"facility": str(founded_later.pk)}

    response = admin_client.post(url, data)

    assert response.status_code == 200
    (message,) = response.context["adminform"].form.errors["facility"]
    assert "không hoạt động trong năm 2016" in message and "thành lập năm 2018" in message
    assert AnnualReport.objects.get(pk=report.pk).facility_id == report.facility_id


def test_a_report_can_move_to_a_facility_operating_in_its_year(admin_client):
    report = AnnualReportFactory(
        facility=FacilityFactory(established_year=2010), year=2016, state="returned"
    )
    other = FacilityFactory(established_year=2012)
    url = reverse("admin:assessments_annualreport_change", args=[report.pk])
    data = _form_data(admin_client, url) | {"facility": str(other.pk)}

    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    moved = AnnualReport.objects.get(pk=report.pk)
    # Saved as a staff entry (services.annual_report_save): approved by whoever saved it.
    assert (moved.facility_id, moved.state) == (other.pk, "approved")
