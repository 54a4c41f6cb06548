"""In a national installation the missing-reports page and the deadline exceptions list show a
staff member their own province only (DESIGN §2): another province's facilities are neither
listed nor counted, whatever `?ward=` or `?district=` asks for, and a facility user gets 403."""

from datetime import date

import pytest
from django.urls import reverse

from assessments.models import DeadlineException

from .test_national_scope import national, people, places

__all__ = ["national", "people", "places"]  # fixtures

pytestmark = pytest.mark.django_db

MISSING = reverse("assessments:missing_reports")
DEADLINES = reverse("assessments:deadline_list")


@pytest.mark.parametrize("year", [2024, 2025])
def test_missing_reports_list_and_count_only_the_own_province(
    client, national, places, people, year
):
    bac_ninh, hai_phong = places
    client.force_login(people["staff_bn"])

    response = client.get(MISSING, {"year": year})

    assert response.status_code == 200
    listed = [facility.pk for facility in response.context["page"].object_list]
    assert listed == [bac_ninh.pk]
    assert hai_phong.name not in response.text
    assert response.context["total"] == 1
    assert response.context["total_missing"] == 1


def test_another_provinces_ward_shows_nothing_of_it(client, national, places, people):
    _, hai_phong = places
    client.force_login(people["staff_bn"])

    response = client.get(MISSING, {"year": 2025, "ward": hai_phong.ward_id})

    assert response.status_code == 200
    assert hai_phong.name not in response.text
    assert hai_phong.pk not in [f.pk for f in response.context["page"].object_list]


def test_their_own_staff_still_see_it(client, national, places, people):
    _, hai_phong = places
    client.force_login(people["staff_hp"])

    response = client.get(MISSING, {"year": 2025})

    assert [f.pk for f in response.context["page"].object_list] == [hai_phong.pk]


@pytest.mark.parametrize("query", [{}, {"ward": "1"}, {"district": "1"}, {"year": "2025"}])
def test_a_facility_user_gets_403(client, facility_user, query):
    client.force_login(facility_user)
    assert client.get(MISSING, query).status_code == 403


def test_deadline_exceptions_of_another_province_are_not_listed(client, national, places, people):
    bac_ninh, hai_phong = places
    for facility in (bac_ninh, hai_phong):
        DeadlineException.objects.create(
            facility=facility, year=2024, until=date(2025, 6, 30), reason="Lý do riêng"
        )
    client.force_login(people["staff_bn"])

    response = client.get(DEADLINES)

    assert [e.facility_id for e in response.context["exceptions"]] == [bac_ninh.pk]
    assert hai_phong.name not in response.text
