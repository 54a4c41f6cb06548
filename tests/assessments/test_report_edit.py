"""assessments:report_edit — drafts and returned reports by their facility; staff any report not
yet approved (approved on save); an approved report is locked."""

from decimal import Decimal

import pytest
from django.urls import reverse

from .report_helpers import events, report_data


def _url(report):
    return reverse("assessments:report_edit", args=[report.pk])


def test_it_works(client, facility_user, draft_report):
    client.force_login(facility_user)
    response = client.get(_url(draft_report))
    assert response.status_code == 200
    assert "year" not in response.context["form"].fields  # the year is fixed once created
    assert 'name="output" value="1.000"' in response.text  # the stored output, grouped

    response = client.post(_url(draft_report), report_data(output="1.500,25", year="2016"))
    assert response.status_code == 302
    draft_report.refresh_from_db()
    assert draft_report.output == Decimal("1500.25")
    assert draft_report.year == 2019
    assert draft_report.state == "draft"


def test_returned_report_shows_the_comment_and_stays_returned(
    client, facility_user, returned_report
):
    client.force_login(facility_user)
    response = client.get(_url(returned_report))
    assert "Thiếu số liệu nước." in response.text
    client.post(_url(returned_report), report_data(water_m3="3000"))
    returned_report.refresh_from_db()
    assert (returned_report.state, returned_report.water_m3) == ("returned", 3000)


def test_forged_hidden_fields_are_ignored(
    client, facility_user, draft_report, other_facility, staff
):
    client.force_login(facility_user)
    forged = report_data(
        facility=other_facility.pk,
        state="approved",
        reviewed_by=staff.pk,
        review_comment="Đã duyệt",
        submitted_at="2020-01-01 00:00",
    )
    assert client.post(_url(draft_report), forged).status_code == 302
    draft_report.refresh_from_db()
    assert draft_report.facility_id != other_facility.pk
    assert draft_report.state == "draft"
    assert draft_report.reviewed_by is None
    assert draft_report.review_comment == ""
    assert draft_report.submitted_at is None


def test_staff_edit_approves(client, staff, submitted_report):
    client.force_login(staff)
    client.post(_url(submitted_report), report_data(output="999"))
    submitted_report.refresh_from_db()
    assert (submitted_report.state, submitted_report.output) == ("approved", 999)
    assert events(submitted_report)[-1][:3] == ("save", "submitted", "approved")


@pytest.mark.parametrize("who", ["facility_user", "staff"])
def test_an_approved_report_is_locked(client, approved_report, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.get(_url(approved_report))
    assert response.status_code == 302 and response.url == approved_report.get_absolute_url()
    client.post(_url(approved_report), report_data(output="1"))
    approved_report.refresh_from_db()
    assert approved_report.output == 1000
    assert "không sửa hoặc gửi được" in client.get(_url(approved_report), follow=True).text


def test_a_submitted_report_is_locked_for_the_facility(client, facility_user, submitted_report):
    client.force_login(facility_user)
    client.post(_url(submitted_report), report_data(output="1"))
    submitted_report.refresh_from_db()
    assert submitted_report.output == 1000


def test_it_requires_login(client, draft_report):
    response = client.get(_url(draft_report))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_it_hides_other_facilities(client, outsider, draft_report):
    client.force_login(outsider)
    assert client.get(_url(draft_report)).status_code == 404
    assert client.post(_url(draft_report), report_data(output="1")).status_code == 404
    draft_report.refresh_from_db()
    assert draft_report.output == 1000


def test_it_refuses_officials(client, official, draft_report):
    client.force_login(official)
    assert client.get(_url(draft_report)).status_code == 403
    assert client.post(_url(draft_report), report_data(output="1")).status_code == 403


def test_it_rejects_bad_input(client, facility_user, draft_report):
    client.force_login(facility_user)
    response = client.post(_url(draft_report), report_data(output="-1", employees="nhiều"))
    assert response.status_code == 200
    assert "Phải là số ≥ 0." in response.text
    draft_report.refresh_from_db()
    assert draft_report.output == 1000
