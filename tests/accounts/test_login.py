"""Login, logout, brute-force throttling (django-axes) and the password change/reset flows."""

import re
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.module_loading import import_string

from accounts.lockout import lockout_delay

PASSWORD = "Mat-khau-2026"  # UserFactory's password
LOGIN_URL = "/accounts/login/"
LOCKED_TEXT = "tạm thời bị khóa"


def _login(client, username, password, **extra):
    return client.post(LOGIN_URL, {"username": username, "password": password}, **extra)


def _fail_five_times(client, username, **extra):
    for _ in range(5):
        _login(client, username, "sai-mat-khau", **extra)


def test_it_renders_in_vietnamese(client):
    response = client.get(LOGIN_URL)
    assert response.status_code == 200
    assert "Đăng nhập" in response.text
    assert "Quên mật khẩu?" in response.text
    assert '<html lang="vi">' in response.text


def test_it_works(client, staff):
    response = _login(client, staff.username, PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.session[SESSION_KEY] == str(staff.pk)
    assert "Trang làm việc của cán bộ" in client.get("/").text


def test_it_follows_next(client, staff):
    response = client.post(
        LOGIN_URL + "?next=/facilities/",
        {"username": staff.username, "password": PASSWORD, "next": "/facilities/"},
    )
    assert response.status_code == 302
    assert response.url == "/facilities/"


def test_it_rejects_bad_input(client, staff):
    response = _login(client, staff.username, "sai-mat-khau")
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    # The portal's message: user names are not case-sensitive, passwords are.
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.text
    assert "mật khẩu chính xác" not in response.text  # Django's "both are case-sensitive"
    assert client.get("/").status_code == 302


def test_it_rejects_inactive_user(client, staff):
    staff.is_active = False
    staff.save()
    _login(client, staff.username, PASSWORD)
    assert SESSION_KEY not in client.session


def test_logout_is_a_post_and_ends_the_session(client, staff):
    client.force_login(staff)
    assert client.get("/").status_code == 200

    # GET must not log anyone out (CSRF-able); Django answers 405.
    assert client.get("/accounts/logout/").status_code == 405
    assert client.get("/").status_code == 200

    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert SESSION_KEY not in client.session
    home = client.get("/")
    assert home.status_code == 302
    assert home.url.startswith(LOGIN_URL)


def test_logout_form_is_on_every_page(client, staff):
    client.force_login(staff)
    html = client.get("/").text
    assert re.search(r'<form method="post" action="/accounts/logout/">', html)


def test_it_locks_out_after_five_failures(client, staff):
    _fail_five_times(client, staff.username)

    # Even the right password no longer gets in.
    response = _login(client, staff.username, PASSWORD)
    assert response.status_code == 429
    assert LOCKED_TEXT in response.text
    assert SESSION_KEY not in client.session
    assert client.get("/").status_code == 302
    assert AccessAttempt.objects.filter(username=staff.username).exists()


def test_lockout_page_states_the_cool_off(client, staff):
    _fail_five_times(client, staff.username)
    response = _login(client, staff.username, PASSWORD)
    # The first lock lasts AXES_LOCKOUT_BASE_SECONDS (1 minute); later ones double (test_lockout).
    assert "Vui lòng thử lại sau 1 phút" in response.text
    assert '<html lang="vi">' in response.text


def test_lockout_page_follows_configured_cool_off(client, staff, settings):
    settings.AXES_LOCKOUT_BASE_SECONDS = 30 * 60
    _fail_five_times(client, staff.username)
    response = _login(client, staff.username, PASSWORD)
    assert response.status_code == 429
    assert "Vui lòng thử lại sau 30 phút" in response.text


def test_it_allows_four_failures(client, staff):
    for _ in range(4):
        response = _login(client, staff.username, "sai-mat-khau")
        assert response.status_code == 200
        assert LOCKED_TEXT not in response.text

    response = _login(client, staff.username, PASSWORD)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(staff.pk)
    # A successful login resets the counter (AXES_RESET_ON_SUCCESS).
    assert not AccessAttempt.objects.filter(username=staff.username).exists()


def test_lockout_is_per_username(client, staff, official):
    _fail_five_times(client, staff.username)

    response = _login(client, official.username, PASSWORD)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(official.pk)


def test_lockout_is_per_ip_address(client, staff):
    _fail_five_times(client, staff.username, REMOTE_ADDR="10.0.0.1")

    assert _login(client, staff.username, PASSWORD, REMOTE_ADDR="10.0.0.1").status_code == 429
    response = _login(client, staff.username, PASSWORD, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(staff.pk)


def test_lockout_expires_after_cool_off(client, staff, settings):
    _fail_five_times(client, staff.username)
    assert _login(client, staff.username, PASSWORD).status_code == 429

    # Travel past the lock: the failures were recorded longer ago than the first lock lasts.
    earlier = timezone.now() - lockout_delay(settings.AXES_FAILURE_LIMIT) - timedelta(seconds=5)
    AccessAttempt.objects.filter(username=staff.username).update(attempt_time=earlier)

    response = _login(client, staff.username, PASSWORD)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(staff.pk)


def test_lockout_does_not_expire_before_cool_off(client, staff, settings):
    _fail_five_times(client, staff.username)
    nearly = timezone.now() - lockout_delay(settings.AXES_FAILURE_LIMIT) + timedelta(seconds=5)
    AccessAttempt.objects.filter(username=staff.username).update(attempt_time=nearly)

    response = _login(client, staff.username, PASSWORD)
    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_attempts_are_stored_in_the_database(settings):
    # The LocMem/cache handlers would let each web process count on its own.
    assert issubclass(import_string(settings.AXES_HANDLER), AxesDatabaseHandler)


# Password change -------------------------------------------------------------------------------


def test_password_change_requires_login(client):
    response = client.get("/accounts/password/change/")
    assert response.status_code == 302
    assert response.url.startswith(LOGIN_URL)


def test_password_change_works(client, facility_user):
    client.force_login(facility_user)
    page = client.get("/accounts/password/change/")
    assert page.status_code == 200
    assert "Đổi mật khẩu" in page.text

    response = client.post(
        "/accounts/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": "Bia-Hai-Duong-2027!",
            "new_password2": "Bia-Hai-Duong-2027!",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_change_done")
    facility_user.refresh_from_db()
    assert facility_user.check_password("Bia-Hai-Duong-2027!")
    # The session survives the change (update_session_auth_hash).
    assert client.get(response.url).status_code == 200


def test_password_change_rejects_wrong_old_password(client, facility_user):
    client.force_login(facility_user)
    response = client.post(
        "/accounts/password/change/",
        {
            "old_password": "khong-dung",
            "new_password1": "Bia-Hai-Duong-2027!",
            "new_password2": "Bia-Hai-Duong-2027!",
        },
    )
    assert response.status_code == 200
    facility_user.refresh_from_db()
    assert facility_user.check_password(PASSWORD)


# Password reset --------------------------------------------------------------------------------


def _reset_link(mail) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/[^/\s]+/[^/\s]+/)", mail.body)
    assert match, mail.body
    return match.group(1)


def test_password_reset_sends_a_link(client, facility_user, mailoutbox, reset_mail_sent_at_once):
    page = client.get("/accounts/password/reset/")
    assert page.status_code == 200
    assert "Đặt lại mật khẩu" in page.text

    response = client.post("/accounts/password/reset/", {"email": facility_user.email})
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [facility_user.email]
    assert "Đặt lại mật khẩu" in mail.subject
    assert facility_user.username in mail.body
    _reset_link(mail)


def test_password_reset_is_silent_for_unknown_email(client, db, mailoutbox):
    response = client.post("/accounts/password/reset/", {"email": "ai-do@example.vn"})
    assert response.status_code == 302
    assert mailoutbox == []


def test_password_reset_link_sets_a_new_password(
    client, facility_user, mailoutbox, reset_mail_sent_at_once
):
    client.post("/accounts/password/reset/", {"email": facility_user.email})
    link = _reset_link(mailoutbox[0])

    # Django swaps the token for a session marker and redirects to the set-password form.
    response = client.get(link, follow=True)
    assert response.status_code == 200
    assert "Đặt mật khẩu mới" in response.text
    form_url = response.redirect_chain[-1][0]

    response = client.post(
        form_url,
        {"new_password1": "Giay-Phong-Khe-2028!", "new_password2": "Giay-Phong-Khe-2028!"},
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_complete")
    facility_user.refresh_from_db()
    assert facility_user.check_password("Giay-Phong-Khe-2028!")

    # The link is single-use.
    again = client.get(link, follow=True)
    assert "không hợp lệ" in again.text


def test_password_reset_rejects_a_bad_token(client, facility_user):
    uid = urlsafe_base64_encode(force_bytes(facility_user.pk))
    response = client.get(f"/accounts/password/reset/{uid}/sai-token/")
    assert response.status_code == 200
    assert "không hợp lệ" in response.text
