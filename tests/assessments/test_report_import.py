"""assessments:report_import — staff upload an annual-report file; check only, or import."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import AnnualReport

from ..factories import FacilityFactory, make_tax_code
from .import_helpers import csv_bytes, report_row

URL = reverse("assessments:report_import")


def _upload(rows, name="bao-cao.csv"):
    return SimpleUploadedFile(name, csv_bytes(rows), content_type="text/csv")


def test_it_works(client, staff):
    facility = FacilityFactory()
    client.force_login(staff)
    assert client.get(URL).status_code == 200
    response = client.post(URL, {"file": _upload([report_row(facility)])}, follow=True)
    assert "Đã nhập tệp bao-cao.csv: thêm 1, thay thế 0 báo cáo" in response.text
    report = AnnualReport.objects.get()
    assert (report.state, report.reviewed_by) == ("approved", staff)


def test_check_only(client, staff):
    facility = FacilityFactory()
    client.force_login(staff)
    response = client.post(URL, {"file": _upload([report_row(facility)]), "dry_run": "on"})
    assert response.status_code == 200
    assert "sẽ thêm 1 và thay thế 0 báo cáo" in response.text
    assert not AnnualReport.objects.exists()


def test_it_rejects_bad_input(client, staff):
    facility = FacilityFactory()
    rows = [report_row(facility), report_row(facility, year=2018, tax_code=make_tax_code(9))]
    client.force_login(staff)
    response = client.post(URL, {"file": _upload(rows)})
    assert response.status_code == 200
    assert "Tệp có 1 lỗi" in response.text
    assert [(p.row, p.column) for p in response.context["problems"]] == [(3, "tax_code")]
    assert not AnnualReport.objects.exists()


def test_a_file_that_is_not_a_table(client, staff):
    client.force_login(staff)
    upload = SimpleUploadedFile("bao-cao.txt", b"hello", content_type="text/plain")
    response = client.post(URL, {"file": upload})
    assert "Chỉ chấp nhận tệp .csv hoặc .xlsx." in response.text
    assert not AnnualReport.objects.exists()


def test_it_requires_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", ["facility_user", "official"])
def test_it_requires_staff(client, who, request, facility):
    client.force_login(request.getfixturevalue(who))
    assert client.post(URL, {"file": _upload([report_row(facility)])}).status_code == 403
    assert not AnnualReport.objects.exists()
