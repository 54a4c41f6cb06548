import pytest
from django.urls import reverse

from accounts import tokens

from ..factories import FacilityFactory, IndustryCodeFactory
from .indicator_helpers import bulk_facilities

URL = reverse("api:facilities")


def test_it_works(client, official, facility, other_facility):
    client.force_login(official)

    response = client.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    first = next(row for row in body["results"] if row["id"] == facility.pk)
    assert first["tax_code"] == facility.tax_code
    assert first["commune_code"] == facility.commune.code
    assert first["district"] == facility.commune.parent.name
    assert first["vsic_code"] == "10"
    assert first["size_class"] == "small"


def test_it_paginates_by_fifty(client, staff):
    bulk_facilities(60)
    client.force_login(staff)

    first = client.get(URL).json()
    second = client.get(URL, {"page": 2}).json()

    assert (first["count"], len(first["results"]), len(second["results"])) == (60, 50, 10)
    assert first["next"].endswith("page=2")


def test_it_filters_like_the_web_list(client, staff, facility):
    textiles = FacilityFactory(name="Công ty Dệt Đông Hồ", industry=IndustryCodeFactory(code="13"))
    client.force_login(staff)

    by_name = client.get(URL, {"q": "det dong ho"}).json()
    by_division = client.get(URL, {"division": "13"}).json()

    assert [row["id"] for row in by_name["results"]] == [textiles.pk]
    assert [row["id"] for row in by_division["results"]] == [textiles.pk]


def test_it_accepts_a_token(client, facility_user, facility, other_facility):
    _token, key = tokens.issue(facility_user, "thử")
    response = client.get(URL, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    # Scoped like the session: the token's user sees their facility only.
    body = response.json()
    assert body["count"] == 1
    assert [(row["id"], row["tax_code"]) for row in body["results"]] == [
        (facility.pk, facility.tax_code)
    ]


def test_it_requires_login(client, db):
    assert client.get(URL).status_code == 401


def test_it_hides_other_facilities(client, facility_user, facility, other_facility):
    client.force_login(facility_user)

    body = client.get(URL).json()

    assert [row["id"] for row in body["results"]] == [facility.pk]


@pytest.mark.parametrize(
    ("params", "status"), [({"size": "huge"}, 400), ({"district": "abc"}, 400), ({"page": 99}, 404)]
)
def test_it_rejects_bad_input(client, staff, facility, params, status):
    client.force_login(staff)
    response = client.get(URL, params)
    assert response.status_code == status
    assert response.json()["status"] == status


def test_queries_do_not_grow(client, staff, django_assert_max_num_queries):
    bulk_facilities(120)
    client.force_login(staff)
    client.get(URL)

    with django_assert_max_num_queries(6):
        response = client.get(URL)
    body = response.json()
    assert (body["count"], len(body["results"])) == (120, 50)
