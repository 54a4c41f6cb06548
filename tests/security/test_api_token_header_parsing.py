"""The two-factor gate and DRF read the Authorization header alike (issue 11, point 1).

An unverified staff session plus any valid token (here a facility user's own) must never reach the
API as the staff member. The gate once split the header as text (any Unicode whitespace) while DRF
splits its bytes on ASCII whitespace only: with `Token\\xa0<key>` the gate saw a valid token and let
the request through, DRF saw no token and fell back on the unverified session."""

import pytest

from accounts import tokens

from .test_api_two_factor import FACILITIES, INDICATORS, api_data, open_session, two_factor_on

__all__ = ["api_data", "two_factor_on"]  # fixtures


@pytest.fixture
def unverified_staff_with_a_token(client, staff, facility_user, api_data, two_factor_on):
    open_session(client, staff, "password_only")
    return tokens.issue(facility_user, "thử")[1]


@pytest.mark.parametrize("separator", ["\xa0", "\x85", "\x1c", "\x1d", "\x1e", "\x1f"])
@pytest.mark.parametrize("url", [FACILITIES, INDICATORS])
def test_a_separator_only_text_calls_whitespace_is_no_token(
    client, unverified_staff_with_a_token, separator, url
):
    header = f"Token{separator}{unverified_staff_with_a_token}"

    response = client.get(url, HTTP_AUTHORIZATION=header)

    assert response.status_code == 403, response.content
    assert response.json()["detail"] == "Phiên đăng nhập chưa xác thực hai lớp."


@pytest.mark.parametrize("scheme", ["Token ", "token ", "TOKEN\t", "Token   ", "  Token "])
def test_a_well_formed_token_speaks_for_its_own_user_only(
    client, facility, unverified_staff_with_a_token, scheme
):
    header = f"{scheme}{unverified_staff_with_a_token}"

    response = client.get(FACILITIES, HTTP_AUTHORIZATION=header)

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [facility.pk]
    # Indicators are for staff and officials: the facility user's token is refused.
    assert client.get(INDICATORS, HTTP_AUTHORIZATION=header).status_code == 403


def test_nothing_falls_back_on_the_unverified_session(
    client, unverified_staff_with_a_token, monkeypatch
):
    # Should DRF ever fail to read a header the gate accepted, the request has no user: the
    # session that still owes its code does not answer for it.
    monkeypatch.setattr(tokens.ApiTokenAuthentication, "authenticate", lambda self, request: None)

    response = client.get(FACILITIES, HTTP_AUTHORIZATION=f"Token {unverified_staff_with_a_token}")

    assert response.status_code in (401, 403)
    assert "results" not in response.json()
