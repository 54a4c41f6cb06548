import pytest
from django.urls import reverse

from reports.models import Report

from .report_view_helpers import PDF_BYTES, make_report


def url(report):
    return reverse("reports:download", args=[report.pk])


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["official", "staff"])
def test_it_works(client, request, role):
    user = request.getfixturevalue(role)
    report = make_report(by=user)  # officials: their own request (or an issued document)
    client.force_login(user)
    response = client.get(url(report))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="bao-cao-sxsh-2018-{report.pk}.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_xlsx_content_type(client, staff):
    report = make_report(fmt="xlsx")
    client.force_login(staff)
    response = client.get(url(report))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.django_db
def test_it_requires_login(client):
    response = client.get(url(make_report()))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_it_refuses_facility_users(client, facility_user):
    client.force_login(facility_user)
    assert client.get(url(make_report())).status_code == 403


@pytest.mark.parametrize("state", [Report.State.QUEUED, Report.State.RUNNING, Report.State.FAILED])
def test_unfinished_reports_have_no_file(client, staff, state):
    client.force_login(staff)
    assert client.get(url(make_report(state=state))).status_code == 404


def test_missing_file_is_404(client, staff):
    report = make_report()
    report.file.storage.delete(report.file.name)
    client.force_login(staff)
    assert client.get(url(report)).status_code == 404
