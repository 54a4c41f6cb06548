import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = reverse("assessments:factor_list")


def test_it_works(client, staff):
    client.force_login(staff)
    response = client.get(URL)
    assert response.status_code == 200
    assert "0,0001543" in response.text  # electricity, TOE/kWh, in Vietnamese notation
    assert "0,9185" in response.text  # grid 2016
    assert "CV 3505/BCT-KHCN" in response.text  # each factor shows its source
    assert reverse("assessments:factor_edit", args=[1]).rsplit("/", 3)[0] in response.text


def test_officials_read_only(client, official):
    client.force_login(official)
    response = client.get(URL)
    assert response.status_code == 200
    assert "0,0001543" in response.text
    assert "/edit/" not in response.text


def test_it_requires_login(client):
    assert client.get(URL).status_code == 302


def test_it_requires_staff_or_official(client, facility_user):
    client.force_login(facility_user)
    assert client.get(URL).status_code == 403


def test_nav_link_for_staff_only(client, staff, official):
    client.force_login(staff)
    assert "Hệ số quy đổi" in client.get(reverse("assessments:assessment_list")).text
    client.force_login(official)
    assert "Hệ số quy đổi" not in client.get(reverse("assessments:assessment_list")).text
