"""The API as the README and the schema describe it (review round 17): the first schema requests
of a fresh server all succeed when they come at once, an empty `format=` is refused like any
empty parameter, credentials are checked before the format (401, not 406, and a 406 in the token
user's language), and a parameter sent without a name is named as such."""

import json
import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse
from drf_spectacular import openapi  # noqa: F401 - registers drf-spectacular's own extensions
from drf_spectacular.plumbing import OpenApiGeneratorExtension

from accounts import tokens

from .indicator_helpers import YEAR

SCHEMA = reverse("api:schema")
INDICATORS = reverse("api:indicators")
FACILITIES = reverse("api:facilities")
PROBLEM = "application/problem+json"


def _extensions(root=OpenApiGeneratorExtension):
    for extension in root.__subclasses__():
        yield extension
        yield from _extensions(extension)


# The extensions' targets as registered (dotted paths), before any schema request resolved
# them: restoring them is what a freshly started server has.
REGISTERED_TARGETS = {
    extension: extension.__dict__["target_class"]
    for extension in _extensions()
    if isinstance(extension.__dict__.get("target_class"), str)
}


@pytest.fixture
def fresh_schema_extensions():
    """drf-spectacular as on a server that has not written a schema yet."""
    for extension, target in REGISTERED_TARGETS.items():
        extension.target_class = target


def _problem(response, status):
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == PROBLEM
    return json.loads(response.content)


# --- The first schema requests at once ----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("fresh_schema_extensions")
def test_the_first_schema_requests_at_once_all_succeed():
    """Six browsers open the API page of a server just started (`make run`, threaded): each
    gets the schema, none a 500."""
    count = 6
    barrier = threading.Barrier(count)
    codes = [None] * count

    def run(i):
        try:
            client = Client(raise_request_exception=False)
            barrier.wait()
            codes[i] = client.get(SCHEMA, {"format": "json"}).status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert codes == [200] * count


# --- An empty format ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        f"{FACILITIES}?format=",
        f"{FACILITIES}?page=1&format=",
        f"{INDICATORS}?year={YEAR}&format=",
        "/api/v1/facilities/{id}/benchmark/?year=" + str(YEAR) + "&format=",
        f"{SCHEMA}?format=",
    ],
)
def test_an_empty_format_is_refused_naming_it(client, staff, facility, address):
    client.force_login(staff)

    body = _problem(client.get(address.replace("{id}", str(facility.pk))), 400)

    ((name, reason),) = [(p["name"], p["reason"]) for p in body["invalid_params"]]
    assert name == "format"
    assert "format" in reason and "json" in reason
    assert body["detail"] == reason


def test_format_json_is_still_answered(client, staff):
    client.force_login(staff)

    response = client.get(FACILITIES, {"format": "json"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


# --- Credentials before the format --------------------------------------------------------------


@pytest.mark.parametrize("address", [FACILITIES, f"{INDICATORS}?year={YEAR}"])
@pytest.mark.parametrize("credential", [None, "Token bogus0key"])
def test_a_missing_or_bogus_token_is_401_whatever_the_format(db, client, address, credential):
    headers = {"HTTP_AUTHORIZATION": credential} if credential else {}
    separator = "&" if "?" in address else "?"

    response = client.get(f"{address}{separator}format=xml", **headers)

    _problem(response, 401)
    assert response["WWW-Authenticate"] == "Token"


def test_a_token_user_who_chose_english_gets_the_406_in_english(client, staff):
    staff.language = "en"
    staff.save(update_fields=["language"])
    _token, key = tokens.issue(staff, "khách")

    response = client.get(FACILITIES, {"format": "xml"}, HTTP_AUTHORIZATION=f"Token {key}")

    body = _problem(response, 406)
    assert response["Content-Language"] == "en"
    assert "xml" in body["detail"]
    assert "Không hỗ trợ" not in body["detail"]
    assert "Định dạng" not in body["title"]


def test_a_signed_in_user_still_gets_406_for_xml(client, staff):
    client.force_login(staff)

    body = _problem(client.get(FACILITIES, {"format": "xml"}), 406)

    assert "xml" in body["detail"]


# --- A parameter without a name -----------------------------------------------------------------


@pytest.mark.parametrize("address", [f"{INDICATORS}?year={YEAR}&=x", f"{FACILITIES}?=x"])
def test_a_parameter_without_a_name_is_named_as_such(client, staff, address):
    client.force_login(staff)

    body = _problem(client.get(address), 400)

    ((name, reason),) = [(p["name"], p["reason"]) for p in body["invalid_params"]]
    assert name == ""
    assert "không có tên" in reason
    assert "Tham số  " not in reason
    assert body["detail"] == reason
