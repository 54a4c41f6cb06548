import pytest
from django.urls import reverse

from accounts import tokens

from .indicator_helpers import YEAR, bulk_facilities, facility, report

URL = reverse("api:indicators")


@pytest.fixture
def data(db):
    report(facility(), YEAR, aware=True)
    report(facility(), YEAR)


def test_it_works(client, official, data):
    client.force_login(official)

    response = client.get(URL, {"year": YEAR})

    assert response.status_code == 200
    body = response.json()
    assert body["year"] == YEAR
    assert [row["code"] for row in body["indicators"]] == [
        "AWARE_PCT",
        "APPLY_PCT",
        "SAVING_PCT",
        "ENT_UNIT_PCT",
        "DOIT_STAFF",
    ]
    aware = body["indicators"][0]
    assert aware == {
        "code": "AWARE_PCT",
        "name": "Tỷ lệ cơ sở SXCN nhận thức được lợi ích của SXSH",
        "unit": "%",
        "target": "90",
        "milestone": "74",  # 2018 on the line from 50 % (2015) to 90 % (2020)
        "status": "not_met",
        "actual": 50.0,
        "numerator": 1,
        "denominator": 2,
    }
    saving = body["indicators"][2]
    assert (saving["target"], saving["milestone"], saving["actual"], saving["denominator"]) == (
        "8-13",
        "6.8-11",
        None,
        0,
    )
    assert saving["status"] == "no_data"
    doit = body["indicators"][4]
    assert (doit["target"], doit["milestone"], doit["actual"]) == (None, None, None)


def test_it_accepts_a_token(client, staff, data):
    _token, key = tokens.issue(staff, "thử")

    response = client.get(URL, {"year": YEAR}, HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 200


def test_it_requires_login(client, db):
    response = client.get(URL, {"year": YEAR})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_it_requires_staff_or_official(client, facility_user):
    client.force_login(facility_user)
    assert client.get(URL, {"year": YEAR}).status_code == 403


@pytest.mark.parametrize("params", [{}, {"year": "abc"}, {"year": "1999"}, {"year": ""}])
def test_it_rejects_bad_input(client, official, params):
    client.force_login(official)

    response = client.get(URL, params)

    assert response.status_code == 400
    assert "Tham số year" in response.json()["detail"]


def test_it_rejects_a_year_outside_the_plan(client, official):
    client.force_login(official)

    response = client.get(URL, {"year": 2031})

    assert response.status_code == 404
    assert response.json() == {
        "type": "about:blank",
        "title": "Không tìm thấy",
        "status": 404,
        "detail": "Năm 2031 không thuộc giai đoạn kế hoạch nào.",
    }


@pytest.mark.parametrize("count", [10, 200])
def test_queries_do_not_grow_with_facilities(
    client, official, count, django_assert_max_num_queries
):
    bulk_facilities(count)
    client.force_login(official)
    client.get(URL, {"year": YEAR})

    with django_assert_max_num_queries(10):
        response = client.get(URL, {"year": YEAR})

    assert response.json()["indicators"][0]["denominator"] == count
