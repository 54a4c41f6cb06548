"""The API as an outside client written from the schema sees it: whatever it sends, an error is
a problem-details JSON body in Vietnamese, an `integer` parameter takes only an integer, an error
names every value a parameter takes, and conditional requests follow HTTP."""

import json
import re

import pytest
from django.urls import reverse

from accounts import tokens
from accounts.models import Role
from facilities.models import AdminUnit
from tests.facilities.territory_helpers import (
    BAC_NINH_COMMUNE,
    BAC_NINH_WARD,
    CAM_THUONG,
    CAT_HAI,
    THANH_DONG,
    TRAN_CHAU,
    TRAN_PHU,
    TU_MINH,
    hai_phong,  # noqa: F401 (fixture)
    new,
    old,
)

from ..factories import FacilityFactory, ProvinceFactory, UserFactory
from .indicator_helpers import YEAR, facility, report

INDICATORS = reverse("api:indicators")
FACILITIES = reverse("api:facilities")
SCHEMA = reverse("api:schema")
PROBLEM = "application/problem+json"


def _problem(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    body = json.loads(response.content)  # JSON, whatever the view renders on success
    assert body["status"] == status and body["type"] == "about:blank"
    assert body["title"] and body["detail"]
    return body


@pytest.mark.parametrize(
    ("method", "headers", "query", "status"),
    [
        ("post", {}, {}, 405),
        ("delete", {}, {}, 405),
        ("get", {"HTTP_ACCEPT": "text/html"}, {}, 406),
        ("get", {}, {"format": "xml"}, 406),  # a format it cannot write (core.negotiation)
    ],
)
def test_the_schemas_errors_are_json_problems_too(client, staff, method, headers, query, status):
    """The schema view renders YAML first; its problems must not be YAML labelled JSON."""
    _token, key = tokens.issue(staff, "khách")

    response = getattr(client, method)(SCHEMA, query, HTTP_AUTHORIZATION=f"Token {key}", **headers)

    _problem(response, status)


@pytest.mark.parametrize("year", [f"{YEAR}.0", f" {YEAR}", f"{YEAR} ", "２０１８"])
def test_a_year_that_is_not_an_integer_is_a_400(client, official, year):
    client.force_login(official)

    body = _problem(client.get(INDICATORS, {"year": year}), 400)

    assert [p["name"] for p in body["invalid_params"]] == ["year"]


@pytest.mark.parametrize(("name", "value"), [("page", "1.0"), ("district", "1.0")])
def test_an_integer_filter_written_otherwise_is_a_400_naming_it(client, staff, name, value):
    facility()
    client.force_login(staff)

    body = _problem(client.get(FACILITIES, {name: value}), 400)

    assert [p["name"] for p in body["invalid_params"]] == [name]


def test_a_bad_group_names_every_value_the_schema_allows(client, official):
    client.force_login(official)
    schema = client.get(SCHEMA, {"format": "json"}).json()
    group = next(
        p for p in schema["paths"][INDICATORS]["get"]["parameters"] if p["name"] == "group"
    )

    body = _problem(client.get(INDICATORS, {"year": YEAR, "group": "commune"}), 400)

    for value in group["schema"]["enum"]:
        assert re.search(rf"\b{value}\b", body["detail"]), value  # not old_province's
    allowed = client.get(INDICATORS, {"year": YEAR, "group": group["schema"]["enum"][0]})
    assert allowed.status_code == 200


@pytest.mark.parametrize("header", ["Token", "Token abc def", "token  "])
def test_a_malformed_token_header_is_a_401_in_vietnamese(client, staff, header):
    body = _problem(client.get(FACILITIES, HTTP_AUTHORIZATION=header), 401)

    assert "Invalid token header" not in body["detail"]
    assert "Token <mã truy cập>" in body["detail"]


def test_a_token_answers_in_the_language_its_user_picked(client, staff):
    _token, key = tokens.issue(staff, "khách")
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    vietnamese = client.get(INDICATORS, {"year": "abc"}, **auth)
    staff.language = "en"
    staff.save(update_fields=["language"])
    english = client.get(INDICATORS, {"year": "abc"}, **auth)
    cookie_vi = client.get(INDICATORS, {"year": "abc"}, HTTP_COOKIE="django_language=vi", **auth)

    assert vietnamese["Content-Language"] == "vi"
    assert _problem(vietnamese, 400)["title"] == "Tham số không hợp lệ"
    assert english["Content-Language"] == "en"
    body = _problem(english, 400)
    assert body["title"] == "Invalid parameter"
    assert "year" in body["detail"] and not re.search("[ăâđêôơư]", body["detail"])
    # The language cookie, when a client sends one, still decides.
    assert cookie_vi["Content-Language"] == "vi"
    assert _problem(cookie_vi, 400)["title"] == "Tham số không hợp lệ"


def test_if_none_match_star_matches_the_current_answer(client, official):
    report(facility(), YEAR, aware=True)
    client.force_login(official)

    star = client.get(INDICATORS, {"year": YEAR}, HTTP_IF_NONE_MATCH="*")
    unrelated = client.get(INDICATORS, {"year": YEAR}, HTTP_IF_NONE_MATCH='"not-this-one"')

    assert (star.status_code, star.content) == (304, b"")
    assert star["ETag"] == unrelated["ETag"]
    assert unrelated.status_code == 200


# --- Places by GSO code ------------------------------------------------------------------------
# The facilities and the indicator groups name places by GSO code, and a client has no way to
# learn the database ids the id filters take: the same filters by code.


@pytest.fixture
def placed(request):
    request.getfixturevalue("hai_phong")
    return {
        "a": FacilityFactory(commune=old(CAM_THUONG), ward=new(THANH_DONG)),
        "b": FacilityFactory(commune=old(TRAN_PHU), ward=None),
        "c": FacilityFactory(commune=None, ward=new(TU_MINH)),
        "d": FacilityFactory(commune=old(TRAN_CHAU), ward=new(CAT_HAI)),
    }


def _ids(response):
    assert response.status_code == 200, response.content
    return sorted(row["id"] for row in response.json()["results"])


def test_the_place_filters_take_gso_codes(client, official, placed):
    client.force_login(official)
    a, b, c, d = (placed[k].pk for k in "abcd")
    hai_duong_city = old(CAM_THUONG).parent

    def by(**query):
        return _ids(client.get(FACILITIES, query))

    assert by(ward_code=THANH_DONG) == [a]  # "10507" is also Cẩm Thượng's old code
    assert by(ward_code=TU_MINH) == [c]
    assert by(commune_code=TRAN_PHU) == [b]
    assert by(commune_code=CAM_THUONG) == [a]
    assert by(district_code=hai_duong_city.code) == sorted([a, b])
    assert by(old_province_code=old(TRAN_CHAU).parent.parent.code) == [d]
    assert by(old_province_code=hai_duong_city.parent.code) == sorted([a, b])
    assert by(province=new(TU_MINH).parent.code) == sorted([a, b, c, d])
    # The same answers as the id filters.
    assert by(ward_code=THANH_DONG) == by(ward=new(THANH_DONG).pk)
    assert by(district_code=hai_duong_city.code) == by(district=hai_duong_city.pk)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("ward_code", BAC_NINH_WARD),  # a ward of another province
        ("commune_code", BAC_NINH_COMMUNE),
        ("commune_code", "99999"),
        ("district_code", "256"),
        ("old_province_code", "27"),
        ("province", "24"),
    ],
)
def test_a_place_code_outside_the_territory_is_a_404(client, official, placed, name, code):
    client.force_login(official)

    body = _problem(client.get(FACILITIES, {name: code}), 404)

    assert code in body["detail"]


@pytest.mark.parametrize(
    ("name", "code"),
    [("ward_code", "7864"), ("commune_code", "1050"), ("district_code", "25"), ("province", "3")],
)
def test_a_malformed_place_code_is_a_400_naming_it(client, official, placed, name, code):
    client.force_login(official)

    body = _problem(client.get(FACILITIES, {name: code}), 400)

    assert [p["name"] for p in body["invalid_params"]] == [name]


def test_the_schema_offers_the_place_codes(client, staff):
    client.force_login(staff)
    schema = client.get(SCHEMA, {"format": "json"}).json()

    parameters = {p["name"]: p for p in schema["paths"][FACILITIES]["get"]["parameters"]}

    for name, digits in [
        ("province", 2),
        ("old_province_code", 2),
        ("district_code", 3),
        ("commune_code", 5),
        ("ward_code", 5),
    ]:
        assert parameters[name]["schema"]["type"] == "string", name
        assert parameters[name]["schema"]["pattern"] == f"^[0-9]{{{digits}}}$", name


@pytest.fixture
def two_provinces(db, settings):
    settings.PORTAL_SCOPE = "national"
    city = ProvinceFactory(code="31", name="Thành phố Hải Phòng", scheme=AdminUnit.Scheme.V2025)
    ProvinceFactory(code="24", name="Tỉnh Bắc Ninh", scheme=AdminUnit.Scheme.V2025)
    ward = AdminUnit.objects.create(
        code="11311",
        name="Phường Hồng Bàng",
        level=AdminUnit.Level.COMMUNE,
        scheme=AdminUnit.Scheme.V2025,
        parent=city,
    )
    # The factory's commune is in old Bắc Ninh (27), now Bắc Ninh (24).
    return {"24": FacilityFactory().pk, "31": FacilityFactory(commune=None, ward=ward).pk}


def test_a_national_client_filters_by_province_within_its_scope(client, two_provinces):
    ministry = UserFactory(role=Role.MINISTRY)
    staff_hp = UserFactory(role=Role.STAFF, province="31")

    client.force_login(ministry)
    assert _ids(client.get(FACILITIES, {"province": "24"})) == [two_provinces["24"]]
    assert _ids(client.get(FACILITIES, {"province": "31"})) == [two_provinces["31"]]
    assert _ids(client.get(FACILITIES, {"ward_code": "11311"})) == [two_provinces["31"]]
    client.force_login(staff_hp)
    assert _ids(client.get(FACILITIES, {"province": "31"})) == [two_provinces["31"]]
    _problem(client.get(FACILITIES, {"province": "24"}), 404)  # not theirs: as if unknown


@pytest.mark.parametrize("path", [INDICATORS, FACILITIES, "/api/v1/facilities/{id}/benchmark/"])
def test_the_406_a_client_gets_for_its_accept_header_is_documented(client, staff, path):
    facility_id = facility().pk
    client.force_login(staff)
    schema = client.get(SCHEMA, {"format": "json"}).json()
    url = path.replace("{id}", str(facility_id))

    answer = client.get(url, {"year": YEAR}, HTTP_ACCEPT="text/html")

    _problem(answer, 406)
    documented = schema["paths"][path]["get"]["responses"]
    assert list(documented["406"]["content"]) == [PROBLEM]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("address", [INDICATORS + "?year=2018", FACILITIES, SCHEMA])
def test_a_browser_session_writing_gets_405_in_vietnamese_not_a_csrf_403(staff, address, method):
    """A signed-in browser without a CSRF token (a real client checks it): the API writes
    nothing, so 405 as for a token, not DRF's English "CSRF Failed"."""
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff)
    body = _problem(getattr(browser, method)(address), 405)
    assert "CSRF" not in body["detail"]


@pytest.mark.parametrize(
    ("address", "query", "name"),
    [
        (FACILITIES, {"sector": "17"}, "sector"),
        (FACILITIES, {"page_size": "5"}, "page_size"),
        (INDICATORS, {"year": str(YEAR), "grop": "sector"}, "grop"),
    ],
)
def test_an_unknown_parameter_is_a_400_naming_it_not_ignored(client, staff, address, query, name):
    """Ignored, `?sector=17` (for `division`) would answer with the whole registry."""
    facility()
    client.force_login(staff)
    body = _problem(client.get(address, query), 400)
    assert [p["name"] for p in body["invalid_params"]] == [name]
    assert "không được hỗ trợ" in body["invalid_params"][0]["reason"]


def test_the_page_and_format_parameters_are_known(client, staff):
    facility()
    client.force_login(staff)
    assert client.get(FACILITIES, {"page": "1", "format": "json"}).status_code == 200
