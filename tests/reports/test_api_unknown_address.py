"""An unknown address under /api/ answers problem details (README, API: "always JSON … an unknown
address under /api/"), with DEBUG on as in the `make run` demo too, where Django would otherwise
show its HTML debug 404 page."""

import pytest

PROBLEM = "application/problem+json"
UNKNOWN = [
    "/api/v1/nothing/",
    "/api/v1/nothing",
    "/api/v1/indicators/extra/",
    "/api/",
    "/api/v2/x/",
]


def assert_problem_404(response):
    assert response.status_code == 404, response.content[:200]
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert (body["type"], body["status"], body["title"]) == ("about:blank", 404, "Không tìm thấy")
    assert "/api/v1/schema/" in body["detail"]


@pytest.mark.parametrize("debug", [True, False], ids=["debug", "production"])
@pytest.mark.parametrize("address", UNKNOWN)
def test_an_unknown_api_address_is_a_problem(client, staff, settings, debug, address):
    settings.DEBUG = debug
    client.force_login(staff)
    assert_problem_404(client.get(address))


@pytest.mark.parametrize("debug", [True, False], ids=["debug", "production"])
def test_without_credentials_it_is_the_api_401(client, db, settings, debug):
    # As for every API address: the credentials first; nothing says which addresses exist.
    settings.DEBUG = debug
    response = client.get("/api/v1/nothing/")
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["status"] == 401


@pytest.mark.parametrize("method", ["post", "put", "delete", "options"])
def test_every_method_gets_the_404(client, staff, settings, method):
    settings.DEBUG = True
    client.force_login(staff)  # a session without a CSRF token: still the problem, not a page
    assert_problem_404(getattr(client, method)("/api/v1/nothing/"))


def test_a_token_works_as_everywhere(client, staff, settings):
    from accounts import tokens

    settings.DEBUG = True
    _, key = tokens.issue(staff, "h7")
    assert_problem_404(client.get("/api/v1/nothing/", HTTP_AUTHORIZATION=f"Token {key}"))


@pytest.mark.parametrize("debug", [True, False], ids=["debug", "production"])
def test_a_known_address_without_its_slash_is_still_redirected(client, staff, settings, debug):
    settings.DEBUG = debug
    client.force_login(staff)
    response = client.get("/api/v1/indicators?year=2024")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/indicators/?year=2024"
    # JSON as every answer under /api/, naming where to go.
    assert response["Content-Type"] == PROBLEM
    assert "/api/v1/indicators/?year=2024" in response.json()["detail"]


def test_the_pages_outside_the_api_keep_the_html_404(client, db, settings):
    settings.DEBUG = False
    response = client.get("/apis/nothing/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_the_catch_all_is_not_in_the_schema(client, staff):
    client.force_login(staff)
    paths = client.get("/api/v1/schema/?format=json").json()["paths"]
    assert "/api/v1/indicators/" in paths
    assert all(path.startswith("/api/v1/") for path in paths), sorted(paths)
