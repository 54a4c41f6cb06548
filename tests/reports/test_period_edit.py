import pytest
from django.urls import reverse

from assessments.models import PlanPeriod


@pytest.fixture
def period(db):
    return PlanPeriod.objects.get(code="2016-2020")


def url(period):
    return reverse("reports:period_edit", args=[period.pk])


def _data(period, **overrides):
    data = {
        "code": period.code,
        "name": period.name,
        "start_year": period.start_year,
        "end_year": period.end_year,
        "basis": "QĐ 1419/QĐ-TTg; QĐ của UBND tỉnh",
    }
    return {**data, **overrides}


def test_it_works(client, staff, period):
    client.force_login(staff)

    response = client.post(url(period), _data(period))

    assert response.status_code == 302
    period.refresh_from_db()
    assert period.basis == "QĐ 1419/QĐ-TTg; QĐ của UBND tỉnh"
    assert period.history.first().history_user == staff


def test_it_requires_login(client, period):
    assert client.get(url(period)).status_code == 302


def test_it_requires_staff(client, official, period):
    client.force_login(official)
    assert client.post(url(period), _data(period)).status_code == 403


def test_it_rejects_bad_input(client, staff, period):
    client.force_login(staff)

    response = client.post(url(period), _data(period, end_year=2010))

    assert response.status_code == 200
    period.refresh_from_db()
    assert period.end_year == 2020
