import re

import pytest
from django.urls import reverse

from .indicator_helpers import YEAR, bulk_facilities, facility, report


def url(code="AWARE_PCT", part="numerator", year=YEAR):
    return reverse("reports:indicator_facilities", args=[code, year, part])


@pytest.fixture
def aware(db):
    f = facility(name="Công ty Gốm Phù Lãng")
    report(f, YEAR, aware=True)
    return f


@pytest.fixture
def unaware(db):
    f = facility(name="Công ty Nhựa Tiên Sơn")
    report(f, YEAR)
    return f


def test_it_works(client, official, aware, unaware):
    client.force_login(official)

    response = client.get(url())

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [aware]
    page = response.content.decode()
    assert "Công ty Gốm Phù Lãng" in page and "Công ty Nhựa Tiên Sơn" not in page
    assert aware.tax_code in page
    assert reverse("reports:facility_intensity", args=[aware.pk]) in page


def test_it_lists_the_denominator(client, staff, aware, unaware):
    client.force_login(staff)

    response = client.get(url(part="denominator"))

    assert set(response.context["page"].object_list) == {aware, unaware}


def test_it_narrows_to_a_district_and_a_division(client, staff, aware, unaware):
    client.force_login(staff)
    district = unaware.commune.parent_id

    by_district = client.get(url(part="denominator"), {"district": district})
    by_division = client.get(url(part="denominator"), {"division": "33"})

    assert list(by_district.context["page"].object_list) == [unaware]
    assert list(by_division.context["page"].object_list) == []


def test_it_paginates(client, staff):
    bulk_facilities(30)
    client.force_login(staff)

    first = client.get(url(part="denominator"))
    second = client.get(url(part="denominator"), {"page": 2})

    assert first.context["page"].paginator.count == 30
    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 5


def test_it_requires_login(client, db):
    response = client.get(url())
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_it_requires_staff_or_official(client, facility_user):
    client.force_login(facility_user)
    assert client.get(url()).status_code == 403


@pytest.mark.parametrize("code, part", [("NOPE", "numerator"), ("AWARE_PCT", "all")])
def test_it_404s_for_unknown_indicators_or_parts(client, official, code, part):
    client.force_login(official)
    assert client.get(url(code=code, part=part)).status_code == 404


@pytest.mark.parametrize("params", [{"district": "abc"}, {"division": "1"}, {"district": 999999}])
def test_it_rejects_bad_input(client, official, params):
    client.force_login(official)
    assert client.get(url(), params).status_code == 400


def test_it_names_the_indicator_not_its_code(client, official, aware):
    client.force_login(official)

    page = client.get(url()).content.decode()

    visible = re.sub(r"<[^>]*>", " ", page)
    assert "Tỷ lệ cơ sở SXCN nhận thức được lợi ích của SXSH" in visible
    assert "AWARE_PCT" not in visible


def test_a_year_of_no_plan_period_is_not_found(client, staff):
    # As the API answers for the same year: no list headed by an internal code for a year no
    # plan covers (2016–2020 is the seeded plan).
    client.force_login(staff)
    for year in (2015, 1, 2031):
        url = reverse("reports:indicator_facilities", args=["AWARE_PCT", year, "denominator"])
        assert client.get(url).status_code == 404
    url = reverse("reports:indicator_facilities", args=["AWARE_PCT", 2016, "denominator"])
    assert client.get(url).status_code == 200
