"""Every URL pattern of the project, the admin's and the API's included, is either on a short
public allow-list or needs a login: an anonymous request is sent to the login page (401/403 for
the API). The list of patterns comes from the resolver, so a new URL cannot be forgotten."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from .routes import all_routes

ROUTES = all_routes()

PUBLIC = {
    "accounts:login": "the login page",
    "accounts:logout": "POST only, ends whatever session the request has",
    "accounts:password_reset": "asks for a reset e-mail",
    "accounts:password_reset_done": "says the e-mail was sent",
    "accounts:password_reset_confirm": "the link from the e-mail (checks its token)",
    "accounts:password_reset_complete": "says the password was changed",
    "set_language": "the language switcher, on the login page too",
    "javascript-catalog": "translated strings for the scripts, no data",
    "favicon": "a redirect to the static icon browsers ask for, no data",
    "healthz": "the monitoring probe (database, broker, workers up or not; no data)",
    "api:schema": "the OpenAPI description of the API for client developers, no data",
    "admin:login": "the admin's login page",
    "admin:logout": "POST only; an anonymous GET goes to the admin index, then its login page",
}


def _is_login_redirect(response) -> bool:
    if response.status_code != 302:
        return False
    location = urlsplit(response["Location"])
    login_pages = {reverse("accounts:login"), reverse("admin:login")}
    return location.path in login_pages and "next" in parse_qs(location.query)


@pytest.mark.parametrize(
    "route", [route for route in ROUTES if route.name not in PUBLIC], ids=lambda route: route.label
)
def test_it_requires_login(client, db, route):
    path = route.path()
    response = client.get(path)
    if response.status_code == 405:  # a POST-only view that checks the method first
        response = client.post(path)
    if route.pattern.startswith("api/"):
        assert response.status_code in (401, 403), path
    else:
        assert _is_login_redirect(response), (path, response.status_code)


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_pages_answer_without_login(client, db, name):
    (route,) = [route for route in ROUTES if route.name == name]
    response = client.get(route.path())
    # /healthz answers 503 ("starting") until its first background check has finished.
    answers = (200, 302, 405, 503) if name == "healthz" else (200, 302, 405)
    assert response.status_code in answers
    if response.status_code == 302:
        assert not urlsplit(response["Location"]).path.startswith(reverse("accounts:login"))


def test_the_allow_list_names_real_patterns():
    names = {route.name for route in ROUTES}
    assert set(PUBLIC) <= names


def test_the_walk_covers_every_app_and_the_admin():
    prefixes = {route.pattern.split("/", 1)[0] for route in ROUTES}
    assert {"accounts", "facilities", "assessments", "reports", "api", "admin"} <= prefixes
    assert len(ROUTES) > 150  # the admin alone has a handful of patterns per model


def test_static_files_are_public(client):
    response = client.get("/static/css/portal.css")
    assert response.status_code == 200
