"""Two-factor authentication (django-otp): the second login step, enrolment, backup codes, the
gate on unverified sessions (pages and API), "Bảo mật tài khoản", the staff reset and throttling.

The suite runs with TWO_FACTOR_REQUIRED=0 (pyproject.toml); these tests switch the requirement on
with the `settings` fixture (`two_factor_on`)."""

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import tokens
from accounts.models import BackupCodeDevice, Role
from accounts.two_factor import BACKUP_CODE_COUNT, backup_codes_left, new_backup_codes

from ..factories import UserFactory

PASSWORD = "Mat-khau-2026"  # UserFactory's password
LOGIN_URL = "/accounts/login/"
VERIFY_URL = "/accounts/two-factor/"
SETUP_URL = "/accounts/two-factor/setup/"
CODES_URL = "/accounts/two-factor/backup-codes/"
SECURITY_URL = "/accounts/security/"
STAFF_HOME = "Trang làm việc của cán bộ"
API_URL = "/api/v1/indicators/?year=2018"


@pytest.fixture
def two_factor_on(settings):
    settings.OTP_REQUIRED_ROLES = ("staff", "official")


def add_device(user, confirmed=True):
    return TOTPDevice.objects.create(user=user, name="Điện thoại", confirmed=confirmed)


def code_for(device, steps=0) -> str:
    """The code the authenticator app shows now (`steps` time steps later)."""
    device.refresh_from_db()
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=steps)
    return f"{value:0{device.digits}d}"


def wrong_code(device) -> str:
    right = {code_for(device, steps) for steps in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in right)


def log_in(client, user, **extra):
    return client.post(LOGIN_URL, {"username": user.username, "password": PASSWORD}, **extra)


def enter(client, code, next_url="/"):
    return client.post(VERIFY_URL, {"code": code, "next": next_url})


def verified(client) -> bool:
    return DEVICE_ID_SESSION_KEY in client.session


def codes_on(page) -> list[str]:
    """The backup codes listed on the codes page (the database holds only their hashes)."""
    listing = page.text.split('id="backup-codes">')[1].split("</ul>")[0]
    return re.findall(r"<li[^>]*>([a-z2-7]{8})</li>", listing)


def rewind_throttle(device, seconds):
    """Pretend the last failure happened `seconds` earlier (instead of sleeping)."""
    device.refresh_from_db()
    device.throttling_failure_timestamp = timezone.now() - timedelta(seconds=seconds)
    device.save(update_fields=["throttling_failure_timestamp"])


# --- The second step -----------------------------------------------------------------------------


def test_staff_with_password_only_must_enter_a_code(client, staff, two_factor_on):
    device = add_device(staff)

    response = log_in(client, staff)
    assert response.status_code == 302
    assert response.url == f"{VERIFY_URL}?next=%2F"
    assert client.session[SESSION_KEY] == str(staff.pk)
    assert not verified(client)

    # Every page sends the half-logged-in user back to the code page.
    home = client.get("/")
    assert home.status_code == 302
    assert home.url == f"{VERIFY_URL}?next=%2F"

    page = client.get(response.url)
    assert page.status_code == 200
    assert "Xác thực hai lớp" in page.text
    assert 'autocomplete="one-time-code"' in page.text

    refused = enter(client, wrong_code(device))
    assert refused.status_code == 200
    assert "Mã không đúng" in refused.text
    assert not verified(client)
    assert client.get("/").status_code == 302

    rewind_throttle(device, 10)  # past the 1-second delay of the first failure
    accepted = enter(client, code_for(device))
    assert accepted.status_code == 302
    assert accepted.url == "/"
    assert verified(client)
    home = client.get("/")
    assert home.status_code == 200
    assert STAFF_HOME in home.text


def test_official_must_verify_too(client, official, two_factor_on):
    device = add_device(official)
    assert log_in(client, official).url.startswith(VERIFY_URL)
    assert enter(client, code_for(device)).url == "/"
    assert client.get("/").status_code == 200


def test_it_keeps_next(client, staff, two_factor_on):
    device = add_device(staff)
    response = client.post(
        LOGIN_URL + "?next=/facilities/",
        {"username": staff.username, "password": PASSWORD, "next": "/facilities/"},
    )
    assert response.url == f"{VERIFY_URL}?next=%2Ffacilities%2F"
    assert enter(client, code_for(device), "/facilities/").url == "/facilities/"


def test_it_ignores_an_offsite_next(client, staff, two_factor_on):
    device = add_device(staff)
    log_in(client, staff)
    assert enter(client, code_for(device), "https://evil.example/").url == "/"


def test_session_key_rotates_at_verification(client, staff, two_factor_on):
    device = add_device(staff)
    log_in(client, staff)
    after_password = client.session.session_key
    enter(client, code_for(device))
    assert client.session.session_key != after_password
    assert client.session[SESSION_KEY] == str(staff.pk)


def test_a_code_cannot_be_used_twice(client, staff, two_factor_on):
    device = add_device(staff)
    code = code_for(device)
    log_in(client, staff)
    assert enter(client, code).status_code == 302

    client.post("/accounts/logout/")
    log_in(client, staff)
    assert enter(client, code).status_code == 200
    assert not verified(client)


def test_backup_code_works_once(client, staff, two_factor_on):
    add_device(staff)
    codes = new_backup_codes(staff)
    assert len(codes) == BACKUP_CODE_COUNT == 10
    assert len(set(codes)) == 10

    log_in(client, staff)
    # Typed in upper case with a space: still accepted.
    response = enter(client, f"{codes[0][:4].upper()} {codes[0][4:]}")
    assert response.status_code == 302
    assert verified(client)
    assert "còn 9 mã" in client.get("/").text
    assert backup_codes_left(staff) == 9

    client.post("/accounts/logout/")
    log_in(client, staff)
    again = enter(client, codes[0])
    assert again.status_code == 200
    assert not verified(client)
    assert client.get("/").status_code == 302

    BackupCodeDevice.objects.filter(user=staff).update(throttling_failure_count=0)
    assert enter(client, codes[1]).status_code == 302
    assert verified(client)


def test_unverified_session_cannot_open_pages_or_the_api(client, staff, two_factor_on):
    add_device(staff)
    log_in(client, staff)

    facilities = client.get("/facilities/")
    assert facilities.status_code == 302
    assert facilities.url == f"{VERIFY_URL}?next=%2Ffacilities%2F"
    assert client.get(reverse("accounts:user_list")).status_code == 302
    assert client.get(SECURITY_URL).status_code == 302
    assert client.get("/admin/").status_code == 302

    api = client.get(API_URL)
    assert api.status_code == 403
    assert api.json()["detail"]
    # A POST is refused the same way (nothing reaches the view).
    assert client.post("/facilities/new/").status_code == 302


def test_token_auth_stays_usable(client, staff, two_factor_on):
    add_device(staff)
    _token, key = tokens.issue(staff, "thử")
    log_in(client, staff)  # an unverified session alongside the token

    response = client.get(API_URL, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert response.json()["year"] == 2018

    # A wrong token does not let the unverified session through either
    # (tests/security/test_api_two_factor.py has every header).
    response = client.get(API_URL, HTTP_AUTHORIZATION="Token sai")
    assert response.status_code == 403


def test_verified_session_reaches_the_api(client, staff, two_factor_on):
    device = add_device(staff)
    log_in(client, staff)
    enter(client, code_for(device))
    assert client.get(API_URL).status_code == 200


def test_allow_list_still_works_while_unverified(client, staff, two_factor_on):
    add_device(staff)
    log_in(client, staff)

    response = client.post(reverse("set_language"), {"language": "en", "next": VERIFY_URL})
    assert response.status_code == 302
    assert client.get(VERIFY_URL).status_code == 200
    assert client.get(reverse("javascript-catalog")).status_code == 200

    response = client.post("/accounts/logout/")
    assert response.url == reverse("accounts:login")
    assert SESSION_KEY not in client.session


def test_unverified_user_cannot_enrol_a_second_device(client, staff, two_factor_on):
    """Knowing the password is not enough to replace the phone."""
    add_device(staff)
    log_in(client, staff)
    response = client.get(SETUP_URL)
    assert response.status_code == 302
    assert response.url.startswith(VERIFY_URL)
    assert TOTPDevice.objects.filter(user=staff).count() == 1


# --- Enrolment -----------------------------------------------------------------------------------


def test_staff_without_a_device_enrols(client, staff, two_factor_on):
    response = log_in(client, staff)
    assert response.status_code == 302
    assert response.url == f"{SETUP_URL}?next=%2F"
    assert client.get("/").url == f"{VERIFY_URL}?next=%2F"
    assert client.get("/facilities/").status_code == 302
    assert client.get(VERIFY_URL).url == f"{SETUP_URL}?next=%2F"

    page = client.get(response.url)
    assert page.status_code == 200
    assert "Thiết lập xác thực hai lớp" in page.text
    assert "<svg" in page.text and "<path" in page.text  # the QR code, drawn server-side
    assert "<script" not in page.text.split("<main")[1].split("</main>")[0]
    device = TOTPDevice.objects.get(user=staff)
    assert not device.confirmed
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    assert secret[:4] in page.text
    assert "otpauth://totp/SXSH%20Portal%3Acanbo_test?" in page.text
    # Reloading keeps the same secret (the phone may have scanned it already).
    client.get(SETUP_URL)
    assert TOTPDevice.objects.filter(user=staff).count() == 1

    refused = client.post(SETUP_URL, {"code": wrong_code(device), "next": "/"})
    assert refused.status_code == 200
    assert "Mã không đúng" in refused.text
    rewind_throttle(device, 10)

    confirmed = client.post(SETUP_URL, {"code": code_for(device), "next": "/"})
    assert confirmed.status_code == 302
    assert confirmed.url == f"{CODES_URL}?next=%2F"
    device.refresh_from_db()
    assert device.confirmed
    assert verified(client)

    codes_page = client.get(confirmed.url)
    assert codes_page.status_code == 200
    codes = codes_on(codes_page)
    assert len(set(codes)) == 10 == backup_codes_left(staff)
    assert "chỉ hiển thị một lần" in codes_page.text

    download = client.get(reverse("accounts:two_factor_backup_codes_download"))
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/plain")
    assert "attachment" in download["Content-Disposition"]
    text = download.content.decode()
    assert all(code in text for code in codes)
    assert staff.username in text

    done = client.post(CODES_URL, {"action": "done", "next": "/"})
    assert done.url == "/"
    # Shown once: gone from the session afterwards.
    assert client.get(CODES_URL).url == SECURITY_URL
    assert client.get(reverse("accounts:two_factor_backup_codes_download")).status_code == 404
    assert STAFF_HOME in client.get("/").text


def test_enrolled_codes_work_at_the_next_login(client, staff, two_factor_on):
    log_in(client, staff)
    client.get(SETUP_URL)
    device = TOTPDevice.objects.get(user=staff)
    confirmed = client.post(SETUP_URL, {"code": code_for(device), "next": "/"})
    code = codes_on(client.get(confirmed.url))[0]
    client.post("/accounts/logout/")

    assert log_in(client, staff).url == f"{VERIFY_URL}?next=%2F"
    assert enter(client, code).url == "/"


# --- Optional for facility users; the setting off ------------------------------------------------


def test_facility_user_is_not_forced(client, facility_user, two_factor_on):
    response = log_in(client, facility_user)
    assert response.url == reverse("home")
    assert client.get("/").status_code == 200
    assert client.get("/facilities/").status_code == 200

    security = client.get(SECURITY_URL)
    assert security.status_code == 200
    assert "Bảo mật tài khoản" in security.text
    assert "Chưa bật" in security.text
    assert "Bật xác thực hai lớp" in security.text


def test_facility_user_can_enrol_and_is_then_asked(client, facility_user, two_factor_on):
    client.force_login(facility_user)
    assert "Bảo mật tài khoản" in client.get("/").text  # in the user menu
    page = client.get(SETUP_URL)
    assert page.status_code == 200
    assert "bắt buộc" not in page.text
    device = TOTPDevice.objects.get(user=facility_user)
    confirmed = client.post(SETUP_URL, {"code": code_for(device)})
    assert confirmed.url == CODES_URL
    assert client.get(CODES_URL).status_code == 200
    client.post(CODES_URL, {"action": "done"})
    assert "Đã bật" in client.get(SECURITY_URL).text

    client.post("/accounts/logout/")
    response = log_in(client, facility_user)
    assert response.url == f"{VERIFY_URL}?next=%2F"
    assert client.get("/facilities/").status_code == 302
    assert enter(client, code_for(device, 1)).url == "/"
    assert client.get("/facilities/").status_code == 200


def test_with_the_setting_off_staff_log_in_with_password_only(client, staff, official):
    response = log_in(client, staff)
    assert response.url == reverse("home")
    assert STAFF_HOME in client.get("/").text
    assert client.get(API_URL).status_code == 200
    client.post("/accounts/logout/")
    assert log_in(client, official).url == reverse("home")


def test_with_the_setting_off_an_enrolled_staff_member_is_asked(client, staff):
    device = add_device(staff)
    assert log_in(client, staff).url == f"{VERIFY_URL}?next=%2F"
    assert client.get("/").status_code == 302
    assert enter(client, code_for(device)).url == "/"


def test_admin_login_does_not_skip_the_second_step(client, db, two_factor_on):
    admin = UserFactory(username="quantri", role=Role.STAFF, is_staff=True, is_superuser=True)
    add_device(admin)
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": admin.username, "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith(VERIFY_URL)


# --- Bảo mật tài khoản: regenerate, remove -------------------------------------------------------


def _verified_client(client, user):
    device = add_device(user)
    log_in(client, user)
    enter(client, code_for(device))
    assert verified(client)
    return device


def test_regenerating_backup_codes_replaces_the_old_ones(client, facility_user):
    _verified_client(client, facility_user)
    old = new_backup_codes(facility_user)
    response = client.post(CODES_URL, {"action": "regenerate"})
    assert response.url == CODES_URL
    new = codes_on(client.get(CODES_URL))
    assert len(set(new)) == 10 == backup_codes_left(facility_user)
    assert not set(old) & set(new)


def test_removing_the_device_needs_the_password(client, facility_user):
    _verified_client(client, facility_user)
    new_backup_codes(facility_user)
    url = reverse("accounts:two_factor_remove")
    assert client.get(url).status_code == 200

    refused = client.post(url, {"password": "sai-mat-khau"})
    assert refused.status_code == 200
    assert "Mật khẩu không đúng" in refused.text
    assert TOTPDevice.objects.filter(user=facility_user).exists()

    response = client.post(url, {"password": PASSWORD})
    assert response.url == SECURITY_URL
    assert not TOTPDevice.objects.filter(user=facility_user).exists()
    assert not BackupCodeDevice.objects.filter(user=facility_user).exists()
    assert "Chưa bật" in client.get(SECURITY_URL).text

    client.post("/accounts/logout/")
    assert log_in(client, facility_user).url == reverse("home")


def test_staff_removing_their_device_must_enrol_again(client, staff, two_factor_on):
    _verified_client(client, staff)
    response = client.post(reverse("accounts:two_factor_remove"), {"password": PASSWORD})
    assert response.url == SETUP_URL
    assert client.get("/").status_code == 302


# --- Staff reset ---------------------------------------------------------------------------------


def test_staff_reset_another_users_device(client, staff, official, two_factor_on):
    device = add_device(official)
    new_backup_codes(official)
    # The official is logged in elsewhere, verified.
    other = client.__class__()
    log_in(other, official)
    enter(other, code_for(device))
    assert other.get("/").status_code == 200

    _verified_client(client, staff)
    listing = client.get(reverse("accounts:user_list"))
    reset_url = reverse("accounts:user_two_factor_reset", args=[official.pk])
    assert reset_url in listing.text
    assert "Xác thực hai lớp" in listing.text

    confirm = client.get(reset_url)
    assert confirm.status_code == 200
    assert official.username in confirm.text
    assert TOTPDevice.objects.filter(user=official).exists()  # GET changes nothing

    response = client.post(reset_url)
    assert response.url == reverse("accounts:user_list")
    assert not TOTPDevice.objects.filter(user=official).exists()
    assert not BackupCodeDevice.objects.filter(user=official).exists()
    entry = LogEntry.objects.get(object_id=str(official.pk))
    assert entry.user_id == staff.pk
    assert "xác thực hai lớp" in entry.change_message

    # Their session, perhaps on the lost phone, is over: it cannot enrol a device of its own at
    # the setup page (which asks no password); the owner signs in again and enrols.
    assert SESSION_KEY not in other.session
    setup = other.get(SETUP_URL)
    assert setup.status_code == 302 and setup.url.startswith(reverse("accounts:login"))
    assert other.get("/").status_code == 302
    assert not TOTPDevice.objects.filter(user=official).exists()
    owner = client.__class__()
    log_in(owner, official)
    assert owner.get(VERIFY_URL).url.startswith(SETUP_URL)


def test_only_staff_reset_devices(client, facility_user, official, outsider):
    add_device(outsider)
    url = reverse("accounts:user_two_factor_reset", args=[outsider.pk])
    for user in (facility_user, official):
        client.force_login(user)
        assert client.post(url).status_code == 403
    assert TOTPDevice.objects.filter(user=outsider).exists()


def test_staff_cannot_reset_a_superuser(client, staff, db):
    admin = UserFactory(username="quantri", is_superuser=True, is_staff=True)
    add_device(admin)
    client.force_login(staff)
    url = reverse("accounts:user_two_factor_reset", args=[admin.pk])
    assert client.post(url).status_code == 403
    assert TOTPDevice.objects.filter(user=admin).exists()


# --- Throttling ----------------------------------------------------------------------------------


def test_wrong_codes_are_throttled(client, staff, two_factor_on):
    device = add_device(staff)
    log_in(client, staff)
    for _ in range(3):
        rewind_throttle(device, 3600)  # each wrong code counts (no delay pending)
        assert "Mã không đúng" in enter(client, wrong_code(device)).text
    device.refresh_from_db()
    assert device.throttling_failure_count == 3

    # Three failures: 4 seconds without any code being checked, the right one included.
    refused = enter(client, code_for(device))
    assert refused.status_code == 200
    assert "thử lại sau" in refused.text
    assert not verified(client)

    rewind_throttle(device, 3)
    assert "thử lại sau" in enter(client, code_for(device)).text
    assert not verified(client)

    rewind_throttle(device, 5)
    assert enter(client, code_for(device)).url == "/"
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_backup_codes_are_throttled(client, staff, two_factor_on):
    add_device(staff)
    codes = new_backup_codes(staff)
    log_in(client, staff)
    enter(client, "sai12345")
    refused = enter(client, codes[0])
    assert "thử lại sau" in refused.text
    assert not verified(client)


# --- The setting ---------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent.parent
STRONG_KEY = "k3Jx9-QmT7vR2zYp8LwN4bHs6dFg1aCe5uVi0oKj_XtZrWqPnMlBcDyEhGf7"


def _roles(tmp_path, **env) -> str:
    clean = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PORTAL_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "sxsh_portal.settings",
        **env,
    }
    code = "import django; django.setup(); from django.conf import settings; "
    code += "print(','.join(settings.OTP_REQUIRED_ROLES))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_required_by_default_without_debug(tmp_path):
    assert _roles(tmp_path, DEBUG="0", SECRET_KEY=STRONG_KEY) == "staff,official,ministry"
    assert _roles(tmp_path, DEBUG="0", SECRET_KEY=STRONG_KEY, TWO_FACTOR_REQUIRED="0") == ""


def test_off_by_default_with_debug(tmp_path):
    assert _roles(tmp_path, DEBUG="1") == ""
    assert _roles(tmp_path, DEBUG="1", TWO_FACTOR_REQUIRED="1") == "staff,official,ministry"
