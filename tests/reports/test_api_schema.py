"""The API's schema tells the truth (issue 19): every parameter typed and bounded, every status an
operation answers documented with one error shape (problem details), conditional requests on the
indicators, throttling per credential, and the API page."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from assessments.models import WorkflowState

from ..factories import CommuneFactory
from .indicator_helpers import YEAR, facility, report

INDICATORS = reverse("api:indicators")
FACILITIES = reverse("api:facilities")
PROBLEM = "application/problem+json"


@pytest.fixture
def schema(client, staff):
    client.force_login(staff)
    response = client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    return response.json()


def _parameters(schema, path):
    return {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}


def test_the_year_is_required_and_bounded_in_the_schema(schema):
    year = _parameters(schema, INDICATORS)["year"]

    assert year["required"] is True
    assert (year["schema"]["type"], year["schema"]["minimum"], year["schema"]["maximum"]) == (
        "integer",
        2000,
        2100,
    )


def test_the_facility_filters_are_enumerated_in_the_schema(schema):
    params = _parameters(schema, FACILITIES)

    assert params["size"]["schema"]["enum"] == ["micro", "small", "medium", "large"]
    assert params["ownership"]["schema"]["enum"] == ["state", "private", "fdi"]
    assert params["status"]["schema"]["enum"] == ["active", "suspended", "closed"]
    assert params["high_pollution_risk"]["schema"]["enum"] == ["0", "1", "false", "true"]
    assert "-updated_at" in params["sort"]["schema"]["enum"]
    assert "sort-by-anything" not in params["sort"]["schema"]["enum"]
    assert params["page"]["schema"]["minimum"] == 1
    assert params["division"]["schema"]["pattern"] == "^[0-9]{2}$"
    assert params["district"]["schema"]["type"] == "integer"


@pytest.mark.parametrize("path", [INDICATORS, FACILITIES])
def test_every_error_status_is_documented_as_a_problem(schema, path):
    responses = schema["paths"][path]["get"]["responses"]

    for status in ("400", "401", "403", "404", "429"):
        assert list(responses[status]["content"]) == [PROBLEM], status
        assert responses[status]["description"], status
    problem = schema["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail"}
    assert "invalid_params" in problem["properties"]


def test_the_schema_carries_the_version(schema):
    assert schema["info"]["version"] == "1.0.0"
    assert all(path.startswith("/api/v1/") for path in schema["paths"])


def _problem(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status and body["type"] == "about:blank"
    assert body["title"] and body["detail"]
    return body


@pytest.mark.parametrize("query", [{}, {"year": "0"}, {"year": "abc"}, {"year": "2101"}])
def test_a_bad_year_is_a_400_naming_the_parameter(client, official, query):
    client.force_login(official)

    body = _problem(client.get(INDICATORS, query), 400)

    assert [p["name"] for p in body["invalid_params"]] == ["year"]
    assert "year" in body["detail"]


def test_a_year_outside_every_plan_period_is_a_404(client, official):
    client.force_login(official)

    body = _problem(client.get(INDICATORS, {"year": 2099}), 404)

    assert "2099" in body["detail"]


@pytest.mark.parametrize(
    ("query", "name"),
    [({"page": "0"}, "page"), ({"size": "huge"}, "size"), ({"sort": "password"}, "sort")],
)
def test_a_malformed_filter_is_a_400_naming_it(client, staff, query, name):
    client.force_login(staff)

    body = _problem(client.get(FACILITIES, query), 400)

    assert [p["name"] for p in body["invalid_params"]] == [name]


def test_a_well_formed_code_naming_nothing_is_a_404(client, staff, facility):
    client.force_login(staff)
    commune = CommuneFactory()

    unknown = _problem(client.get(FACILITIES, {"district": 10**12}), 404)
    not_a_district = _problem(client.get(FACILITIES, {"district": commune.pk}), 404)
    beyond_the_last_page = _problem(client.get(FACILITIES, {"page": 2}), 404)

    assert "Huyện" in unknown["detail"] and str(10**12) in unknown["detail"]
    assert str(commune.pk) in not_a_district["detail"]
    assert beyond_the_last_page["detail"]


def test_refusals_are_problems_too(client, facility_user):
    anonymous = _problem(client.get(INDICATORS, {"year": YEAR}), 401)
    client.force_login(facility_user)
    wrong_role = _problem(client.get(INDICATORS, {"year": YEAR}), 403)

    assert anonymous["title"] == "Chưa xác thực"
    assert wrong_role["title"] == "Không có quyền truy cập"


# --- Conditional requests ----------------------------------------------------------------------


def test_if_none_match_gets_304_until_approved_data_changes(client, official, staff):
    report(facility(), YEAR, aware=True)
    draft = report(facility(), YEAR, state=WorkflowState.DRAFT, aware=False)
    client.force_login(official)

    fresh = client.get(INDICATORS, {"year": YEAR})
    etag = fresh["ETag"]
    unchanged = client.get(INDICATORS, {"year": YEAR}, HTTP_IF_NONE_MATCH=etag)
    draft.aware = True
    draft.save()
    after_a_draft = client.get(INDICATORS, {"year": YEAR}, HTTP_IF_NONE_MATCH=etag)
    draft.state = WorkflowState.APPROVED
    draft.save()
    after_approval = client.get(INDICATORS, {"year": YEAR}, HTTP_IF_NONE_MATCH=etag)

    assert fresh.status_code == 200 and etag.startswith('"')
    assert (unchanged.status_code, unchanged.content) == (304, b"")
    assert after_a_draft.status_code == 304  # drafts never count
    assert after_approval.status_code == 200
    assert after_approval["ETag"] != etag
    aware = after_approval.json()["indicators"][0]
    assert (aware["numerator"], aware["denominator"]) == (2, 2)


def test_another_years_etag_does_not_match(client, official):
    report(facility(), YEAR, aware=True)
    client.force_login(official)
    etag = client.get(INDICATORS, {"year": YEAR})["ETag"]

    other = client.get(INDICATORS, {"year": YEAR + 1}, HTTP_IF_NONE_MATCH=etag)

    assert other.status_code == 200 and other.json()["year"] == YEAR + 1


# --- Throttling ----------------------------------------------------------------------------------


@pytest.fixture
def three_a_minute(settings):
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "3/minute"},
    }
    yield
    cache.clear()


def test_a_session_over_the_rate_gets_429_with_retry_after(client, staff, official, three_a_minute):
    client.force_login(staff)
    answers = [client.get(FACILITIES).status_code for _ in range(3)]

    throttled = client.get(FACILITIES)
    client.force_login(official)
    someone_else = client.get(FACILITIES)

    assert answers == [200, 200, 200]
    body = _problem(throttled, 429)
    assert int(throttled["Retry-After"]) > 0 and body["detail"]
    assert someone_else.status_code == 200


# --- The API page --------------------------------------------------------------------------------


def test_the_api_page_shows_the_vendored_swagger_ui(client, official):
    client.force_login(official)

    response = client.get(reverse("reports:api_docs"))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="swagger-ui"' in page and "/api/v1/schema/?format=json" in page
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()


def test_the_api_page_needs_a_login(client, db):
    response = client.get(reverse("reports:api_docs"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_schema_is_public_json(client, db):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    schema = response.json()
    assert "/api/v1/indicators/" in schema["paths"]
    assert "/api/v1/facilities/" in schema["paths"]
    parameters = schema["paths"]["/api/v1/indicators/"]["get"]["parameters"]
    assert any(p["name"] == "year" and p["required"] for p in parameters)


def test_error_details_speak_the_users_language(client, facility_user, staff, three_a_minute):
    """The framework's own details (no credentials, no permission, no such page, throttled) in
    Vietnamese like the pages, in English for a user who picked it."""
    anonymous = _problem(client.get(INDICATORS, {"year": YEAR}), 401)
    client.force_login(facility_user)
    wrong_role = _problem(client.get(INDICATORS, {"year": YEAR}), 403)
    client.force_login(staff)
    no_such_page = _problem(client.get(FACILITIES, {"page": 9}), 404)
    while (answer := client.get(FACILITIES)).status_code == 200:  # 3 a minute: bounded
        pass
    throttled = _problem(answer, 429)

    assert anonymous["detail"] == "Chưa cung cấp thông tin xác thực."
    assert wrong_role["detail"] == "Bạn không có quyền thực hiện thao tác này."
    assert no_such_page["detail"].startswith("Trang không hợp lệ.")
    assert throttled["detail"].startswith("Quá nhiều yêu cầu; hãy thử lại sau ")

    client.logout()
    client.cookies["django_language"] = "en"
    assert _problem(client.get(INDICATORS, {"year": YEAR}), 401)["detail"] == (
        "Authentication credentials were not provided."
    )
