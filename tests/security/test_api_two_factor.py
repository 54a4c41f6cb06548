"""No API access without the second factor (issue 11, point 1).

A session that has given only the password of an account that must use two-factor authentication
gets 403 on every API path whatever Authorization header it sends; only a valid API token
(`Authorization: Token <key>`) stands in for the code. Every header variant × every session
state, on /api/v1/facilities/ and /api/v1/indicators/, with the exact status and the data where
access is allowed."""

import base64

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import tokens

from ..factories import AnnualReportFactory, FacilityFactory
from .routes import all_routes

PASSWORD = "Mat-khau-2026"  # UserFactory's password
FACILITIES = "/api/v1/facilities/"
INDICATORS = "/api/v1/indicators/?year=2019"
FACILITY_NAME = "Công ty TNHH Gạch men Từ Sơn"

HEADERS = ["missing", "empty", "bearer", "basic", "token_wrong", "token_valid"]
# session state -> header -> status
EXPECTED = {
    "anonymous": {
        "missing": 401,
        "empty": 401,
        "bearer": 401,
        "basic": 401,
        "token_wrong": 401,
        "token_valid": 200,
    },
    "password_only": {
        "missing": 403,
        "empty": 403,
        "bearer": 403,
        "basic": 403,
        "token_wrong": 403,
        "token_valid": 200,
    },
    "verified": {
        "missing": 200,
        "empty": 200,
        "bearer": 200,
        "basic": 200,
        "token_wrong": 401,
        "token_valid": 200,
    },
}


@pytest.fixture
def two_factor_on(settings):
    settings.OTP_REQUIRED_ROLES = ("staff", "official")


@pytest.fixture
def api_data(db):
    facility = FacilityFactory(name=FACILITY_NAME)
    AnnualReportFactory(facility=facility, year=2019, state="approved", aware=True)
    return facility


def code_for(device) -> str:
    device.refresh_from_db()
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:0{device.digits}d}"


def open_session(client, user, state):
    """anonymous: nothing; password_only: the login form only; verified: login + TOTP code."""
    if state == "anonymous":
        return
    device = TOTPDevice.objects.create(user=user, name="Điện thoại", confirmed=True)
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    if state == "verified":
        response = client.post("/accounts/two-factor/", {"code": code_for(device), "next": "/"})
        assert response.url == "/"


def header(kind, user) -> dict:
    if kind == "missing":
        return {}
    values = {
        "empty": "",
        "bearer": "Bearer x",
        # Even the right password in a Basic header is no second factor.
        "basic": "Basic " + base64.b64encode(f"{user.username}:{PASSWORD}".encode()).decode(),
        "token_wrong": "Token khong-phai-ma-that",
    }
    if kind == "token_valid":
        return {"HTTP_AUTHORIZATION": f"Token {tokens.issue(user, 'thử')[1]}"}
    return {"HTTP_AUTHORIZATION": values[kind]}


def assert_data(url, response):
    body = response.json()
    if url == FACILITIES:
        assert FACILITY_NAME in [row["name"] for row in body["results"]]
    else:
        assert body["year"] == 2019
        aware = next(row for row in body["indicators"] if row["code"] == "AWARE_PCT")
        assert (aware["numerator"], aware["denominator"]) == (1, 1)


@pytest.mark.parametrize("url", [FACILITIES, INDICATORS])
@pytest.mark.parametrize("kind", HEADERS)
@pytest.mark.parametrize("state", list(EXPECTED))
def test_header_by_session_state(client, staff, api_data, two_factor_on, state, kind, url):
    open_session(client, staff, state)

    response = client.get(url, **header(kind, staff))

    expected = EXPECTED[state][kind]
    assert response.status_code == expected, response.content
    if expected == 200:
        assert_data(url, response)
    else:
        assert FACILITY_NAME not in response.text
        assert "indicators" not in response.json()
    if expected == 403:
        assert response.json()["detail"] == "Phiên đăng nhập chưa xác thực hai lớp."


def test_every_api_path_refuses_the_unverified_session(client, staff, api_data, two_factor_on):
    open_session(client, staff, "password_only")
    api_paths = [route.path() for route in all_routes() if route.pattern.startswith("api/")]
    assert {FACILITIES, "/api/v1/indicators/", "/api/v1/schema/"} <= set(api_paths)
    for path in api_paths:
        for kind in ("missing", "empty", "bearer", "basic", "token_wrong"):
            response = client.get(path, **header(kind, staff))
            assert response.status_code == 403, (path, kind, response.status_code)
            response = client.post(path, {}, **header(kind, staff))
            assert response.status_code == 403, (path, kind, response.status_code)


def test_an_enrolling_session_is_refused_too(client, official, api_data, two_factor_on):
    # The role requires two-factor, no device yet: the session owes the enrolment.
    response = client.post(
        "/accounts/login/", {"username": official.username, "password": PASSWORD}
    )
    assert response.url.startswith("/accounts/two-factor/setup/")
    assert client.get(INDICATORS, HTTP_AUTHORIZATION="Bearer x").status_code == 403
    assert client.get(INDICATORS, HTTP_AUTHORIZATION="").status_code == 403


def test_the_token_speaks_for_its_own_user(
    client, staff, facility_user, facility, api_data, two_factor_on
):
    # An unverified staff session plus a facility user's token: the API answers as that facility
    # user (their one facility), not as the staff member behind the session.
    open_session(client, staff, "password_only")
    _token, key = tokens.issue(facility_user, "thử")

    response = client.get(FACILITIES, HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [facility.pk]
    assert client.get(INDICATORS, HTTP_AUTHORIZATION=f"Token {key}").status_code == 403


@pytest.mark.parametrize("kind", ["expired", "revoked", "inactive"])
def test_an_unusable_token_does_not_stand_in(
    client, staff, official, api_data, two_factor_on, kind
):
    open_session(client, staff, "password_only")
    token, key = tokens.issue(official, "thử")
    assert client.get(FACILITIES, HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    if kind == "expired":
        type(token).objects.filter(pk=token.pk).update(expires_at=token.created_at)
    elif kind == "revoked":
        tokens.revoke(token, tokens.Reason.OWNER)
    else:  # behind the signals' back: the check at authentication holds by itself
        type(official).objects.filter(pk=official.pk).update(is_active=False)

    assert client.get(FACILITIES, HTTP_AUTHORIZATION=f"Token {key}").status_code == 403
    client.logout()
    assert client.get(FACILITIES, HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
