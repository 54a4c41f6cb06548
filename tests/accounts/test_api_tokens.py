"""API tokens (issue 11, point 2, and `manage.py issue_token`): stored hashed, expiring, listed and
revoked by their owner and by staff, shown once, and revoked when the owner's password changes,
the account is deactivated, or staff reset its two-factor device."""

import hashlib
import os
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import tokens
from accounts.models import ApiToken, User

from ..factories import UserFactory

PASSWORD = "Mat-khau-2026"  # UserFactory's password
NEW_PASSWORD = "Mat-khau-moi-2027!"
API = "/api/v1/facilities/"
SECURITY_URL = reverse("accounts:security")
CREATE_URL = reverse("accounts:api_token_create")
CREATED_URL = reverse("accounts:api_token_created")
ROOT = Path(__file__).resolve().parents[2]


def api(client, key):
    client.logout()
    return client.get(API, HTTP_AUTHORIZATION=f"Token {key}").status_code


def revoked_because(token) -> str:
    token.refresh_from_db()
    return token.revoked_because if token.revoked_at else ""


# --- Storage, expiry, last use -------------------------------------------------------------------


def test_only_a_hash_is_stored_and_the_token_expires(client, facility_user, settings):
    settings.API_TOKEN_DAYS = 7
    before = timezone.now()
    token, key = tokens.issue(facility_user, "Máy chủ báo cáo")

    assert len(key) >= 40
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert key not in [str(value) for value in row.values()]
    assert row["key_hash"] == hashlib.sha256(key.encode()).hexdigest()
    assert row["prefix"] == key[:8]
    assert before + timedelta(days=7) <= row["expires_at"] <= timezone.now() + timedelta(days=7)
    assert api(client, key) == 200

    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api(client, key) == 401
    assert api(client, key[:-1] + ("A" if key[-1] != "A" else "B")) == 401


def test_last_use_is_written_at_most_once_a_minute(client, facility_user):
    token, key = tokens.issue(facility_user, "thử")
    assert token.last_used_at is None

    assert api(client, key) == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    assert api(client, key) == 200
    token.refresh_from_db()
    assert token.last_used_at == first  # no write within the minute

    earlier = timezone.now() - timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=earlier)
    assert api(client, key) == 200
    token.refresh_from_db()
    assert token.last_used_at > earlier + timedelta(minutes=1)


# --- The owner, on "Bảo mật tài khoản" ------------------------------------------------------------


def test_owner_creates_a_token_that_is_shown_once(client, facility_user):
    client.force_login(facility_user)
    assert client.get(CREATE_URL).status_code == 200

    refused = client.post(CREATE_URL, {"label": "Kế toán", "password": "sai"})
    assert refused.status_code == 200
    assert "Mật khẩu không đúng" in refused.text
    assert not ApiToken.objects.exists()

    response = client.post(CREATE_URL, {"label": "Kế toán", "password": PASSWORD})
    assert response.url == CREATED_URL
    page = client.get(CREATED_URL)
    token = ApiToken.objects.get(user=facility_user)
    key = page.text.split('id="api-token-key">')[1].split("</pre>")[0]
    assert key.startswith(token.prefix)
    assert "chỉ hiển thị một lần" in page.text

    # Never again: not on a second visit, not on the security page, not in the session.
    again = client.get(CREATED_URL)
    assert again.url == SECURITY_URL
    security = client.get(SECURITY_URL)
    assert "Kế toán" in security.text and f"{token.prefix}…" in security.text
    assert key not in security.text
    assert key not in str(dict(client.session))
    assert api(client, key) == 200


def test_owner_revokes_their_token(client, facility_user):
    token, key = tokens.issue(facility_user, "thử")
    client.force_login(facility_user)
    url = reverse("accounts:api_token_revoke", args=[token.pk])
    assert client.get(url).status_code == 405

    response = client.post(url)
    assert response.url == SECURITY_URL
    assert revoked_because(token) == "owner"
    assert "Đã thu hồi" in client.get(SECURITY_URL).text
    assert api(client, key) == 401


def test_another_users_token_is_404_to_a_non_staff_user(client, facility_user, outsider):
    token, key = tokens.issue(facility_user, "thử")
    client.force_login(outsider)
    url = reverse("accounts:api_token_revoke", args=[token.pk])

    assert client.post(url).status_code == 404
    assert client.post(reverse("accounts:api_token_revoke", args=[999_999])).status_code == 404
    assert revoked_because(token) == ""
    assert client.get(reverse("accounts:user_tokens", args=[facility_user.pk])).status_code == 403
    assert api(client, key) == 200


def test_staff_list_and_revoke_any_users_tokens(client, staff, facility_user):
    token, key = tokens.issue(facility_user, "Phần mềm kế toán")
    client.force_login(staff)
    listing = client.get(reverse("accounts:user_list"))
    page_url = reverse("accounts:user_tokens", args=[facility_user.pk])
    assert page_url in listing.text

    page = client.get(page_url)
    assert page.status_code == 200
    assert "Phần mềm kế toán" in page.text and f"{token.prefix}…" in page.text
    assert key not in page.text

    response = client.post(reverse("accounts:api_token_revoke", args=[token.pk]))
    assert response.url == page_url
    assert revoked_because(token) == "staff"
    assert api(client, key) == 401


# --- Automatic revocation ------------------------------------------------------------------------


def test_password_change_view_revokes(client, facility_user):
    token, key = tokens.issue(facility_user, "thử")
    client.force_login(facility_user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert revoked_because(token) == "password"
    assert api(client, key) == 401


def test_password_reset_revokes(client, facility_user):
    token, key = tokens.issue(facility_user, "thử")
    uid = urlsafe_base64_encode(force_bytes(facility_user.pk))
    link = reverse(
        "accounts:password_reset_confirm",
        args=[uid, default_token_generator.make_token(facility_user)],
    )
    form_url = client.get(link).url
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.url == reverse("accounts:password_reset_complete")
    assert revoked_because(token) == "password"
    assert api(client, key) == 401


def test_admin_password_change_revokes(client, facility_user):
    admin = UserFactory(username="quantri_tok", is_staff=True, is_superuser=True, role="staff")
    token, key = tokens.issue(facility_user, "thử")
    client.force_login(admin)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[facility_user.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content
    assert revoked_because(token) == "password"


def test_set_password_in_code_revokes_but_other_saves_do_not(facility_user):
    token, _key = tokens.issue(facility_user, "thử")
    facility_user.full_name = "Tên mới"
    facility_user.save()
    facility_user.last_login = timezone.now()
    facility_user.save(update_fields=["last_login"])
    assert revoked_because(token) == ""

    facility_user.set_password(NEW_PASSWORD)
    facility_user.save()
    assert revoked_because(token) == "password"


def test_login_rehash_of_the_same_password_does_not_revoke(client, facility_user, settings):
    # A stronger hasher than the stored hash's: Django rehashes the password at login.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    token, key = tokens.issue(facility_user, "thử")
    old_hash = User.objects.get(pk=facility_user.pk).password
    assert old_hash.startswith("md5$")

    client.post("/accounts/login/", {"username": facility_user.username, "password": PASSWORD})

    assert User.objects.get(pk=facility_user.pk).password.startswith("pbkdf2_sha256$")
    assert revoked_because(token) == ""
    assert api(client, key) == 200


def test_deactivation_revokes(client, facility_user):
    token, key = tokens.issue(facility_user, "thử")
    facility_user.is_active = False
    facility_user.save()
    assert revoked_because(token) == "deactivated"

    facility_user.is_active = True
    facility_user.save()
    assert api(client, key) == 401  # reactivating does not bring the token back


def test_staff_two_factor_reset_revokes(client, staff, facility_user):
    TOTPDevice.objects.create(user=facility_user, name="Điện thoại", confirmed=True)
    token, key = tokens.issue(facility_user, "thử")
    client.force_login(staff)

    response = client.post(reverse("accounts:user_two_factor_reset", args=[facility_user.pk]))

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=facility_user).exists()
    assert revoked_because(token) == "two_factor_reset"
    assert api(client, key) == 401


def test_an_inactive_user_gets_no_token(facility_user):
    User.objects.filter(pk=facility_user.pk).update(is_active=False)
    facility_user.refresh_from_db()
    with pytest.raises(Exception, match="đã bị khóa"):
        tokens.issue(facility_user, "thử")


# --- manage.py issue_token -----------------------------------------------------------------------


def test_issue_token_prints_the_key_once(client, facility_user):
    out, err = StringIO(), StringIO()
    call_command("issue_token", facility_user.username, "--days", "5", stdout=out, stderr=err)

    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    key = lines[0]
    token = ApiToken.objects.get(user=facility_user)
    assert key.startswith(token.prefix) and key not in err.getvalue()
    assert timedelta(days=5) - timedelta(minutes=1) < token.expires_at - token.created_at
    assert token.expires_at - token.created_at <= timedelta(days=5)
    assert api(client, key) == 200


def test_issue_token_refuses_unknown_inactive_and_bad_days(facility_user):
    with pytest.raises(CommandError, match="Không có người dùng “khong_ai”"):
        call_command("issue_token", "khong_ai")
    with pytest.raises(CommandError, match="Số ngày hiệu lực"):
        call_command("issue_token", facility_user.username, "--days", "0")
    facility_user.is_active = False
    facility_user.save()
    with pytest.raises(CommandError, match="đã bị khóa"):
        call_command("issue_token", facility_user.username)
    assert not ApiToken.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_issue_token_exit_codes_from_the_shell(client):
    UserFactory(username="may_khach_api")
    UserFactory(username="da_nghi", is_active=False)
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    }

    def run(*args):
        return subprocess.run(
            [sys.executable, "manage.py", "issue_token", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    ok = run("may_khach_api", "--days", "3")
    assert ok.returncode == 0, ok.stderr
    (key,) = ok.stdout.splitlines()
    assert api(client, key) == 200

    unknown = run("khong_ai")
    assert unknown.returncode != 0
    assert "Không có người dùng" in unknown.stderr and unknown.stdout == ""
    inactive = run("da_nghi")
    assert inactive.returncode != 0
    assert "đã bị khóa" in inactive.stderr and inactive.stdout == ""
