"""The data-entry forms say how numbers are written: in English too, where "1.234" would
otherwise be read as 1,234 by one reader and 1.234 by another."""

from django.urls import reverse

from accounts.models import User


def _hint(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_the_report_form_says_how_numbers_are_written(client, facility_user, draft_report):
    client.force_login(facility_user)
    url = reverse("assessments:report_edit", args=[draft_report.pk])
    response = _hint(client, url)
    assert "dấu chấm ngăn cách hàng nghìn, dấu phẩy cho phần thập phân" in response.text

    User.objects.filter(pk=facility_user.pk).update(language="en")
    client.force_login(User.objects.get(pk=facility_user.pk))
    response = _hint(client, url)
    assert 'id="number-notation"' in response.text
    assert "a dot groups thousands, a comma marks decimals" in response.text
    assert "dấu chấm ngăn cách" not in response.text


def test_the_contact_form_without_numbers_has_no_hint(client, facility_user, facility):
    client.force_login(facility_user)
    response = _hint(client, reverse("facilities:edit", args=[facility.pk]))
    assert 'id="number-notation"' not in response.text


def test_the_staff_facility_and_option_forms_have_it(client, staff, facility):
    client.force_login(staff)
    assert (
        'id="number-notation"' in _hint(client, reverse("facilities:edit", args=[facility.pk])).text
    )
    assert 'id="number-notation"' in _hint(client, reverse("assessments:assessment_create")).text
