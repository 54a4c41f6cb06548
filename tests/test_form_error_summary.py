"""The error summary at the top of a data-entry form after a failed save (GOV.UK pattern:
templates/includes/form_errors.html), and the API page's header placeholder."""

import re

import pytest
from django.urls import reverse

from .assessments.report_helpers import report_data
from .factories import AnnualReportFactory

pytestmark = pytest.mark.django_db


def _summary(html: str) -> str:
    found = re.search(r'<div class="alert alert-danger error-summary"[^>]*>.*?</div>', html, re.S)
    assert found, "no error summary on the page"
    return found.group(0)


def test_facility_edit_lists_the_bad_email_linked_to_its_field(client, staff, facility):
    client.force_login(staff)
    url = reverse("facilities:edit", args=[facility.pk])
    data = {
        key: value
        for key, value in client.get(url).context["form"].initial.items()
        if value is not None and not isinstance(value, (list, tuple))
    }
    data["contact_email"] = "abc"
    response = client.post(url, data)

    assert response.status_code == 200
    summary = _summary(response.text)
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary
    assert "data-error-summary" in summary
    assert "Chưa lưu được: có 1 lỗi cần sửa" in summary
    assert re.search(r'<a class="alert-link" href="#id_contact_email">[^<]+</a>:', summary)


def test_report_edit_lists_each_bad_number_linked_to_its_field(client, facility_user, facility):
    report = AnnualReportFactory(facility=facility, year=2019, state="draft")
    client.force_login(facility_user)
    url = reverse("assessments:report_edit", args=[report.pk])
    response = client.post(url, report_data(water_m3="12.5", employees="x", save="1"))

    assert response.status_code == 200
    summary = _summary(response.text)
    assert "Chưa lưu được: có 2 lỗi cần sửa" in summary
    assert 'href="#id_water_m3"' in summary
    assert 'href="#id_employees"' in summary
    assert response.text.count("data-error-summary") == 1


def test_an_error_of_the_participants_is_in_the_summary_once(client, staff, facility):
    """The same facility twice: an error of the formset, not of one field, is listed in the
    summary and not shown a second time in its own alert."""
    client.force_login(staff)
    data = {
        "kind": "training",
        "title": "Khóa đào tạo cán bộ kỹ thuật về SXSH",
        "date": "2018-09-12",
        "budget_province_vnd": "40000000",
        "budget_national_vnd": "0",
        "budget_enterprise_vnd": "0",
        "budget_other_vnd": "0",
        "participants-TOTAL_FORMS": "2",
        "participants-INITIAL_FORMS": "0",
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": "1000",
        "participants-0-facility": facility.pk,
        "participants-0-people": "1",
        "participants-1-facility": facility.pk,
        "participants-1-people": "2",
    }
    response = client.post(reverse("assessments:activity_create"), data)

    assert response.status_code == 200
    formset = response.context["formset"]
    errors = list(formset.non_form_errors()) + [
        str(error) for row in formset for error in row.non_field_errors()
    ]
    assert errors
    summary = _summary(response.text)
    for error in errors:
        assert str(error) in summary
        assert response.text.count(str(error)) == 1


def test_a_valid_page_has_no_summary(client, staff, facility):
    client.force_login(staff)
    response = client.get(reverse("facilities:edit", args=[facility.pk]))
    assert "data-error-summary" not in response.text


def test_api_page_shows_the_token_placeholder(client, official):
    client.force_login(official)
    response = client.get(reverse("reports:api_docs"))
    assert "Authorization: Token &lt;khoá&gt;;" in response.text
