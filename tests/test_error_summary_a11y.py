"""The error summary (templates/includes/form_errors.html: role="alert", focused on load by
static/js/portal.js) on the forms outside data entry: login and its second step, the statistics
count, the report request, both file imports, password reset and the two-factor pages. Each
posted with an error lists it there, the field's label linking to the field."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from .accounts.test_two_factor import PASSWORD, _verified_client, add_device, log_in, wrong_code

pytestmark = pytest.mark.django_db


def _summary(html: str) -> str:
    found = re.search(r'<div class="alert alert-danger error-summary"[^>]*>.*?</div>', html, re.S)
    assert found, "no error summary on the page"
    summary = found.group(0)
    assert 'role="alert"' in summary and "data-error-summary" in summary
    assert html.count("data-error-summary") == 1
    return summary


def _names_field(response, field: str):
    """The summary links to the field by its label, with the field's own message."""
    summary = _summary(response.text)
    form = response.context["form"]
    bound = form[field]
    assert f'href="#{bound.id_for_label}">{bound.label}</a>:' in summary
    for message in form.errors[field]:
        assert str(message) in summary


def test_a_wrong_password_at_login_is_announced(client, facility_user):
    response = client.post(
        reverse("accounts:login"), {"username": facility_user.username, "password": "sai-roi"}
    )

    assert response.status_code == 200
    summary = _summary(response.text)
    (message,) = response.context["form"].non_field_errors()
    assert message in summary
    # Listed once: the summary replaces the non-field errors' own alert.
    assert response.text.count(message) == 1


def test_a_wrong_second_step_code_is_announced(client, facility_user):
    device = add_device(facility_user)
    log_in(client, facility_user)
    response = client.post(
        reverse("accounts:two_factor_verify"), {"code": wrong_code(device), "next": "/"}
    )

    assert response.status_code == 200
    _names_field(response, "code")


def test_a_wrong_code_when_setting_up_two_factor_is_announced(client, facility_user):
    client.force_login(facility_user)
    url = reverse("accounts:two_factor_setup")
    client.get(url)  # creates the unconfirmed device
    device = TOTPDevice.objects.get(user=facility_user, confirmed=False)
    response = client.post(url, {"code": wrong_code(device), "next": "/"})

    assert response.status_code == 200
    _names_field(response, "code")


def test_a_wrong_password_when_removing_two_factor_is_announced(client, facility_user):
    _verified_client(client, facility_user)
    response = client.post(reverse("accounts:two_factor_remove"), {"password": PASSWORD + "x"})

    assert response.status_code == 200
    _names_field(response, "password")


def test_a_bad_address_for_password_reset_is_announced(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "abc"})

    assert response.status_code == 200
    _names_field(response, "email")


def test_a_bad_establishment_count_is_announced(client, staff):
    client.force_login(staff)
    data = {"year": 2020, "count": "nhiều", "source": "Niên giám thống kê 2020", "note": ""}
    response = client.post(reverse("reports:establishments"), data)

    assert response.status_code == 400
    _names_field(response, "count")


def test_a_report_request_without_a_year_is_announced(client, staff):
    client.force_login(staff)
    data = {"kind": "annual_progress", "year": "", "format": "pdf"}
    response = client.post(reverse("reports:request"), data)

    assert response.status_code == 200
    _names_field(response, "year")


def test_a_facility_import_of_a_wrong_kind_of_file_is_announced(client, staff):
    client.force_login(staff)
    upload = SimpleUploadedFile("danh_sach.txt", b"tax_code\n0100000001\n")
    response = client.post(reverse("facilities:import"), {"file": upload})

    assert response.status_code == 200
    _names_field(response, "file")


def test_a_report_import_without_a_file_is_announced(client, staff):
    client.force_login(staff)
    response = client.post(reverse("assessments:report_import"), {"dry_run": "on"})

    assert response.status_code == 200
    _names_field(response, "file")


def test_the_summary_heading_says_what_did_not_happen(client, facility_user):
    """A login saves nothing: its summary says the sign-in failed, not "Chưa lưu được"."""
    response = client.post(
        reverse("accounts:login"), {"username": facility_user.username, "password": "sai-roi"}
    )
    summary = _summary(response.text)
    assert "Chưa đăng nhập được" in summary and "Chưa lưu được" not in summary


def test_an_error_on_a_radio_group_links_to_its_first_choice(client, staff):
    """Django gives a radio group no label target: the summary links to its first choice."""
    client.force_login(staff)
    response = client.post(reverse("reports:request"), {"kind": "annual_progress", "year": ""})

    summary = _summary(response.text)
    first = response.context["form"]["format"].subwidgets[0].id_for_label
    assert first and f'href="#{first}"' in summary
    assert 'href="#"' not in summary
    assert f'id="{first}"' in response.text
