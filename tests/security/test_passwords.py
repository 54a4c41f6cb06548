"""Password rules per ASVS 5.0 (V6.2): at least 8 characters, not a common password, not like the
user's own details, and no composition rules."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from ..factories import UserFactory

PASSWORD = "Mat-khau-2026"  # UserFactory's password
DIGITS_ONLY = "804173926540183"  # a long all-digit passphrase


def _codes(password, user=None) -> set[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return {e.code for e in error.error_list}
    return set()


def test_no_composition_rules(settings):
    names = [v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
    ]


@pytest.mark.parametrize(
    "password", [DIGITS_ONLY, "tat ca chu thuong dai", "ABCDEFGHJK", "mặt trời mọc"]
)
def test_it_accepts_long_passwords_of_any_composition(db, password):
    assert _codes(password) == set()


@pytest.mark.parametrize(
    ("password", "code"),
    [("password123", "password_too_common"), ("12345678", "password_too_common")],
)
def test_it_rejects_common_passwords(db, password, code):
    assert code in _codes(password)


def test_it_rejects_seven_characters(db):
    assert _codes("xK3#pq9") == {"password_too_short"}
    assert _codes("xK3#pq9z") == set()


def test_it_rejects_a_password_like_the_username(db):
    user = UserFactory(username="nguyenvanbinh", email="binh@example.vn")
    assert "password_too_similar" in _codes("nguyenvanbinh1", user)


def test_a_user_may_choose_a_digits_only_passphrase(client, facility_user):
    client.force_login(facility_user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": DIGITS_ONLY, "new_password2": DIGITS_ONLY},
    )
    assert response.status_code == 302
    facility_user.refresh_from_db()
    assert facility_user.check_password(DIGITS_ONLY)


def test_the_change_form_rejects_a_common_password(client, facility_user):
    client.force_login(facility_user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "password123", "new_password2": "password123"},
    )
    assert response.status_code == 200
    facility_user.refresh_from_db()
    assert facility_user.check_password(PASSWORD)
    assert SESSION_KEY in client.session
