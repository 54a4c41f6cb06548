"""Security-relevant account actions reach the staff's audit log (accounts:audit_log), each done
through the portal's own pages and then read there with its Vietnamese label: an account deleted
in the admin (one or several), two-factor authentication turned off by its owner, backup codes
made again, a login lockout (once per lock), a set-password link sent again by staff, a password
changed (on the password page or through a link). No entry keeps a secret: no code, no link, no
password or its hash."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.audit import performed_by
from accounts.models import Role, User
from accounts.two_factor import NEW_CODES_SESSION_KEY
from core.models import AuditEvent

from .factories import UserFactory

pytestmark = pytest.mark.django_db

Action = AuditEvent.Action
URL = reverse("accounts:audit_log")
PASSWORD = "Mat-khau-2026"  # UserFactory's
NEW_PASSWORD = "Bau-troi-xanh-2026"
BAC_NINH, HAI_PHONG = "24", "31"  # 2025 province codes (DOMAIN.md)


def rows(response) -> list[str]:
    """The log table's rows as plain text."""
    assert response.status_code == 200
    if 'id="audit-table"' not in response.text:
        return []
    body = response.text.split('id="audit-table"', 1)[1].split("</tbody>", 1)[0]
    return [
        " ".join(re.sub(r"<[^>]+>", " ", row.split("</tr>", 1)[0]).split())
        for row in body.split("<tr>")[2:]
    ]


def read_log(reader, action) -> list[str]:
    """The rows `reader` sees on the log page for `action` (its filter)."""
    client = Client()
    client.force_login(reader)
    return rows(client.get(URL, {"action": action}))


def entries(action) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def assert_no_secret(event, *secrets):
    stored = f"{event.target} {event.detail}"
    for secret in secrets:
        assert secret not in stored


@pytest.fixture
def superuser(db):
    return UserFactory(username="quantri_h2", role=Role.STAFF, is_staff=True, is_superuser=True)


@pytest.fixture
def national(settings):
    settings.PORTAL_SCOPE = "national"


@pytest.fixture
def province_staff(national):
    """Two staff members of Bắc Ninh and one of Hải Phòng."""
    return (
        UserFactory(username="canbo_bn1", role=Role.STAFF, province=BAC_NINH),
        UserFactory(username="canbo_bn2", role=Role.STAFF, province=BAC_NINH),
        UserFactory(username="canbo_hp", role=Role.STAFF, province=HAI_PHONG),
    )


def code_for(device) -> str:
    device.refresh_from_db()
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:0{device.digits}d}"


def verified_client(user) -> Client:
    """A client logged in as `user` with a password and an authenticator code."""
    client = Client()
    device = TOTPDevice.objects.create(user=user, name="Điện thoại", confirmed=True)
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    verify = reverse("accounts:two_factor_verify")
    assert client.post(verify, {"code": code_for(device), "next": "/"}).url == "/"
    return client


# --- Deleting an account in the admin -------------------------------------------------------------


def test_deleting_an_account_in_the_admin_is_logged(client, superuser, staff):
    doomed = UserFactory(username="coso_xoa", role=Role.FACILITY, email="xoa@example.vn")
    client.force_login(superuser)

    url = reverse("admin:accounts_user_delete", args=[doomed.pk])
    response = client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not User.objects.filter(username="coso_xoa").exists()
    [event] = entries(Action.ACCOUNT_DELETED)
    assert (event.actor, event.actor_username) == (superuser, "quantri_h2")
    assert event.target == f"user #{doomed.pk} coso_xoa"
    assert event.detail["role"] == Role.FACILITY
    assert event.detail["email"] == "xoa@example.vn"
    [row] = read_log(staff, Action.ACCOUNT_DELETED)
    assert "quantri_h2" in row
    assert "Xóa tài khoản Tài khoản coso_xoa" in row
    assert "Cơ sở" in row  # the role, by its label


def test_the_admins_bulk_delete_logs_each_account(client, superuser):
    doomed = [UserFactory(username=f"xoa_{n}", role=Role.OFFICIAL) for n in range(2)]
    client.force_login(superuser)

    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "delete_selected", "_selected_action": [u.pk for u in doomed], "post": "yes"},
    )

    assert response.status_code == 302
    assert not User.objects.filter(username__startswith="xoa_").exists()
    logged = entries(Action.ACCOUNT_DELETED)
    assert sorted(e.target for e in logged) == [f"user #{u.pk} {u.username}" for u in doomed]
    assert {e.actor for e in logged} == {superuser}
    text = " ".join(read_log(superuser, Action.ACCOUNT_DELETED))
    assert "Tài khoản xoa_0" in text
    assert "Tài khoản xoa_1" in text


def test_a_superuser_deleting_their_own_account_keeps_their_name(client, superuser):
    other = UserFactory(username="quantri_khac", role=Role.STAFF, is_staff=True, is_superuser=True)
    client.force_login(superuser)

    url = reverse("admin:accounts_user_delete", args=[superuser.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302

    [event] = entries(Action.ACCOUNT_DELETED)
    assert (event.actor, event.actor_username) == (None, "quantri_h2")
    [row] = read_log(other, Action.ACCOUNT_DELETED)
    assert "quantri_h2 Xóa tài khoản Tài khoản quantri_h2" in row


# --- Two-factor authentication: turned off by its owner, backup codes made again ---------------


def test_turning_two_factor_off_is_logged_for_the_provinces_staff(province_staff):
    staff_bn1, staff_bn2, staff_hp = province_staff
    client = verified_client(staff_bn1)

    response = client.post(reverse("accounts:two_factor_remove"), {"password": PASSWORD})

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=staff_bn1).exists()
    [event] = entries(Action.TWO_FACTOR_DISABLED)
    assert (event.actor, event.province) == (staff_bn1, BAC_NINH)
    assert event.target == f"user #{staff_bn1.pk} canbo_bn1"
    assert event.detail == {"devices": 1}
    assert_no_secret(event, PASSWORD)
    [row] = read_log(staff_bn2, Action.TWO_FACTOR_DISABLED)
    assert "canbo_bn1" in row
    assert "Tự tắt xác thực hai lớp Tài khoản canbo_bn1" in row
    assert read_log(staff_hp, Action.TWO_FACTOR_DISABLED) == []


def test_a_wrong_password_turns_nothing_off_and_logs_nothing(staff):
    client = verified_client(staff)
    client.post(reverse("accounts:two_factor_remove"), {"password": "sai-mat-khau"})
    assert TOTPDevice.objects.filter(user=staff).exists()
    assert not entries(Action.TWO_FACTOR_DISABLED)


def test_new_backup_codes_are_logged_without_the_codes(staff, official):
    client = verified_client(official)
    url = reverse("accounts:two_factor_backup_codes")

    assert client.post(url, {"action": "regenerate"}).status_code == 302

    codes = client.session[NEW_CODES_SESSION_KEY]
    [event] = entries(Action.TWO_FACTOR_BACKUP_CODES)
    assert event.actor == official
    assert_no_secret(event, *codes)
    [row] = read_log(staff, Action.TWO_FACTOR_BACKUP_CODES)
    assert "Tạo lại mã dự phòng Tài khoản lanhdao_test" in row
    assert not any(code in row for code in codes)


# --- The login lockout ----------------------------------------------------------------------------


@pytest.fixture
def direct(settings):
    """No proxy in front of the portal: the socket's address counts."""
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
    settings.AXES_IPWARE_PROXY_COUNT = 0


def fail(username, times, address="198.51.100.23"):
    client = Client(REMOTE_ADDR=address)
    login = reverse("accounts:login")
    return [
        client.post(login, {"username": username, "password": "sai-mat-khau"}).status_code
        for _ in range(times)
    ]


def test_a_lockout_is_logged_once_per_lock(settings, direct, province_staff):
    staff_bn1, staff_bn2, staff_hp = province_staff
    limit = settings.AXES_FAILURE_LIMIT

    codes = fail("CanBo_BN1", limit + 3)  # the user name in any letter case

    assert codes[limit - 1 :] == [429] * 4
    [event] = entries(Action.ACCOUNT_LOCKED_OUT)
    assert (event.actor, event.actor_username) == (None, "")
    assert event.target == f"user #{staff_bn1.pk} canbo_bn1"
    assert event.client_address == "198.51.100.23"
    assert event.detail == {"username": "canbo_bn1"}
    assert event.province == BAC_NINH
    [row] = read_log(staff_bn2, Action.ACCOUNT_LOCKED_OUT)
    assert "Hệ thống Khóa đăng nhập tạm thời do nhập sai nhiều lần" in row
    assert "Tài khoản canbo_bn1 198.51.100.23" in row
    assert "sai-mat-khau" not in row
    assert read_log(staff_hp, Action.ACCOUNT_LOCKED_OUT) == []

    # The lock has passed: the next failure locks the pair again, a second entry.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(hours=2))
    assert fail("canbo_bn1", 2) == [429, 429]
    assert len(entries(Action.ACCOUNT_LOCKED_OUT)) == 2


def test_a_lockout_of_an_unknown_user_name_is_logged_for_the_system(settings, direct, superuser):
    fail("khong_co_ai", settings.AXES_FAILURE_LIMIT + 1)

    [event] = entries(Action.ACCOUNT_LOCKED_OUT)
    assert (event.target, event.province) == ("", "")
    assert event.detail == {"username": "khong_co_ai"}
    [row] = read_log(superuser, Action.ACCOUNT_LOCKED_OUT)
    assert "khong_co_ai" in row


# --- The set-password link, the password ----------------------------------------------------------


def test_a_set_password_link_sent_again_is_logged_without_the_link(client, staff):
    account = UserFactory(username="coso_moi", email="coso.moi@example.vn")
    account.set_unusable_password()
    account.save()
    client.force_login(staff)

    url = reverse("accounts:user_send_link", args=[account.pk])
    assert client.post(url).status_code == 302

    [message] = mail.outbox
    link = re.search(r"/accounts/password/reset/\S+/", message.body).group(0)
    [event] = entries(Action.SET_PASSWORD_LINK_SENT)
    assert event.actor == staff
    assert event.detail == {"email": "coso.moi@example.vn"}
    assert_no_secret(event, link, link.split("/")[-2])
    [row] = read_log(staff, Action.SET_PASSWORD_LINK_SENT)
    assert "Gửi liên kết đặt mật khẩu Tài khoản coso_moi" in row
    assert "coso.moi@example.vn" in row


def test_a_link_that_could_not_be_sent_is_not_logged(client, staff, monkeypatch):
    def no_mail_server(request, user):
        raise OSError("no mail server")

    monkeypatch.setattr("accounts.views.send_set_password_link", no_mail_server)
    account = UserFactory(username="coso_moi", email="coso.moi@example.vn")
    account.set_unusable_password()
    account.save()
    client.force_login(staff)
    client.post(reverse("accounts:user_send_link", args=[account.pk]))
    assert not entries(Action.SET_PASSWORD_LINK_SENT)


def test_a_password_changed_on_its_page_is_logged(client, staff, facility_user):
    client.force_login(facility_user)
    before = User.objects.get(pk=facility_user.pk).password

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    [event] = entries(Action.PASSWORD_CHANGED)
    assert event.actor == facility_user
    assert event.target == f"user #{facility_user.pk} coso_test"
    after = User.objects.get(pk=facility_user.pk).password
    assert_no_secret(event, PASSWORD, NEW_PASSWORD, before, after)
    [row] = read_log(staff, Action.PASSWORD_CHANGED)
    assert "coso_test Lê Văn Cơ Sở Đổi mật khẩu Tài khoản coso_test" in row


def test_a_password_set_through_a_reset_link_is_logged_as_its_owners(
    national, province_staff, reset_mail_sent_at_once
):
    staff_bn1, staff_bn2, staff_hp = province_staff
    client = Client()
    client.post(reverse("accounts:password_reset"), {"email": staff_bn1.email})
    [message] = mail.outbox
    link = re.search(r"/accounts/password/reset/\S+/", message.body).group(0)
    form = client.get(link, follow=True)
    assert form.status_code == 200

    response = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    [event] = entries(Action.PASSWORD_CHANGED)
    assert (event.actor, event.province) == (staff_bn1, BAC_NINH)
    [row] = read_log(staff_bn2, Action.PASSWORD_CHANGED)
    assert "Đổi mật khẩu Tài khoản canbo_bn1" in row
    assert read_log(staff_hp, Action.PASSWORD_CHANGED) == []


def test_logging_in_and_other_saves_log_no_password_change(client, settings, facility_user):
    # A login that rehashes the password with the current hasher changes no password.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    assert facility_user.password.startswith("md5$")
    client.post(reverse("accounts:login"), {"username": "coso_test", "password": PASSWORD})
    assert User.objects.get(pk=facility_user.pk).password.startswith("pbkdf2_")
    facility_user.refresh_from_db()
    facility_user.full_name = "Lê Văn Mới"
    facility_user.save()
    assert not entries(Action.PASSWORD_CHANGED)


def test_a_command_changing_a_password_names_itself(facility):
    user = UserFactory(username="coso_lenh")
    with performed_by("manage.py add_user"):
        user.set_password(NEW_PASSWORD)
        user.save()
    [event] = entries(Action.PASSWORD_CHANGED)
    assert (event.actor, event.detail) == (None, {"via": "manage.py add_user"})
