"""Accounts (issue 11, point 6): set-password links instead of staff-chosen passwords,
case-insensitive usernames, who resets whose second factor, enrolment ends the other sessions,
seed_demo on a real installation."""

import re
from io import StringIO

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import BackupCodeDevice, Role, User
from accounts.two_factor import new_backup_codes
from facilities.models import Facility

from ..factories import UserFactory

CREATE_URL = reverse("accounts:user_create")
LOGIN_URL = reverse("accounts:login")
SETUP_URL = reverse("accounts:two_factor_setup")
PASSWORD = "Mat-khau-2026"  # UserFactory's password
CHOSEN = "Lua-chon-rieng-2026"


def _form(**changes):
    data = {
        "username": "coso_moi",
        "full_name": "Hoàng Văn Mới",
        "email": "coso.moi@example.vn",
        "phone": "0912 345 678",
        "role": Role.FACILITY,
    }
    data.update(changes)
    return data


def _link(message) -> str:
    """The path of the set-password link in `message`."""
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/[^/\s]+/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def _set_password(client, path, password=CHOSEN):
    """Open the link and submit the new password; the response of the POST (or of the GET
    when the link is refused)."""
    page = client.get(path, follow=True)
    if "new_password1" not in page.text:
        return page
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else path
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def _log_in(client, username, password):
    return client.post(LOGIN_URL, {"username": username, "password": password})


# Set-password link -------------------------------------------------------------------------


def test_new_account_gets_a_one_time_link_instead_of_a_password(client, staff, facility):
    client.force_login(staff)
    response = client.post(CREATE_URL, _form(facilities=[facility.pk]), follow=True)
    assert response.status_code == 200
    # The page after creation names the address the mail went to.
    assert "coso.moi@example.vn" in response.text
    assert "liên kết đặt mật khẩu" in response.text

    user = User.objects.get(username="coso_moi")
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["coso.moi@example.vn"]
    assert "Cổng thông tin Sản xuất sạch hơn" in message.subject
    assert "Cổng thông tin Sản xuất sạch hơn" in message.body
    assert "coso_moi" in message.body
    client.logout()

    # Nobody logs in before the password is set, whatever they try.
    for guess in ("", "!", PASSWORD, "coso_moi"):
        assert _log_in(client, "coso_moi", guess).status_code == 200
        assert SESSION_KEY not in client.session

    path = _link(message)
    done = _set_password(client, path)
    assert done.status_code == 302
    assert done.url == reverse("accounts:password_reset_complete")

    response = _log_in(client, "coso_moi", CHOSEN)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)
    assert facility.name in client.get("/").text
    client.logout()

    # The link worked once: opened again it is refused and the password stays.
    again = _set_password(client, path, "Ke-khac-doi-mat-khau-99")
    assert "new_password1" not in again.text
    assert "không hợp lệ" in again.text
    user.refresh_from_db()
    assert user.check_password(CHOSEN)
    assert not user.check_password("Ke-khac-doi-mat-khau-99")


def _send_link_url(user):
    return reverse("accounts:user_send_link", args=[user.pk])


def test_staff_send_a_new_link_to_an_account_without_a_password(client, staff, facility):
    client.force_login(staff)
    client.post(CREATE_URL, _form(facilities=[facility.pk]))
    user = User.objects.get(username="coso_moi")
    first = _link(mail.outbox[0])

    listing = client.get(reverse("accounts:user_list"), {"q": "coso_moi"}).text
    assert "Chưa đặt mật khẩu" in listing and _send_link_url(user) in listing
    assert client.get(_send_link_url(user)).status_code == 405  # a button, never a link
    response = client.post(_send_link_url(user), follow=True)

    assert response.status_code == 200
    assert "Đã gửi lại liên kết đặt mật khẩu" in response.text and user.email in response.text
    assert len(mail.outbox) == 2 and mail.outbox[1].to == [user.email]
    client.logout()
    second = _link(mail.outbox[1])
    assert _set_password(client, second).status_code == 302
    assert _log_in(client, "coso_moi", CHOSEN).status_code == 302
    # Once the password is set, no link works any more and no new one is sent.
    client.logout()
    assert "new_password1" not in _set_password(client, first, "Ke-khac-doi-mat-khau-99").text
    client.force_login(staff)
    refused = client.post(_send_link_url(user), follow=True)
    assert "đã đặt mật khẩu" in refused.text and len(mail.outbox) == 2
    assert _send_link_url(user) not in client.get(reverse("accounts:user_list")).text


def test_who_may_send_a_link_follows_the_account_rule(client, staff, facility_user, db):
    other_staff = UserFactory(username="canbo_moi", role=Role.STAFF, email="canbo.moi@example.vn")
    other_staff.set_unusable_password()
    other_staff.save()
    client.force_login(staff)

    assert client.post(_send_link_url(other_staff)).status_code == 403
    assert mail.outbox == []
    client.force_login(facility_user)
    assert client.post(_send_link_url(other_staff)).status_code == 403
    superuser = UserFactory(username="quantri", role=Role.STAFF, is_superuser=True)
    client.force_login(superuser)
    assert client.post(_send_link_url(other_staff)).status_code == 302
    assert [message.to for message in mail.outbox] == [["canbo.moi@example.vn"]]


def test_official_accounts_get_the_link_too(client, staff):
    client.force_login(staff)
    client.post(CREATE_URL, _form(username="lanhdao_moi", role=Role.OFFICIAL))
    user = User.objects.get(username="lanhdao_moi")
    assert user.role == Role.OFFICIAL
    assert not user.has_usable_password()
    client.logout()
    assert _set_password(client, _link(mail.outbox[-1])).status_code == 302
    assert _log_in(client, "lanhdao_moi", CHOSEN).status_code == 302


def test_the_email_address_is_required(client, staff, facility):
    client.force_login(staff)
    response = client.post(CREATE_URL, _form(email="", facilities=[facility.pk]))
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not User.objects.filter(username="coso_moi").exists()
    assert mail.outbox == []


def test_staff_choose_no_password(client, staff, facility):
    client.force_login(staff)
    page = client.get(CREATE_URL)
    assert 'name="password1"' not in page.text
    # A password sent anyway is ignored.
    client.post(
        CREATE_URL,
        _form(facilities=[facility.pk], password1=CHOSEN, password2=CHOSEN, password=CHOSEN),
    )
    user = User.objects.get(username="coso_moi")
    assert not user.has_usable_password()


def test_a_superuser_creates_staff_accounts_with_the_same_link(client, db):
    admin = UserFactory(username="quantri", is_superuser=True, is_staff=True, role=Role.STAFF)
    client.force_login(admin)
    assert 'value="staff"' in client.get(CREATE_URL).text
    response = client.post(CREATE_URL, _form(username="canbo_moi", role=Role.STAFF))
    assert response.status_code == 302
    user = User.objects.get(username="canbo_moi")
    assert user.role == Role.STAFF and not user.is_superuser
    assert not user.has_usable_password()
    client.logout()
    assert _set_password(client, _link(mail.outbox[-1])).status_code == 302
    assert _log_in(client, "canbo_moi", CHOSEN).status_code == 302


def test_portal_staff_cannot_create_staff_accounts(client, staff):
    client.force_login(staff)
    assert 'value="staff"' not in client.get(CREATE_URL).text
    response = client.post(CREATE_URL, _form(username="canbo_gia", role=Role.STAFF))
    assert response.status_code == 200
    assert not User.objects.filter(username="canbo_gia").exists()


# Case-insensitive usernames ------------------------------------------------------------------


def test_a_username_differing_only_in_case_is_refused(client, staff, facility, facility_user):
    client.force_login(staff)
    taken = facility_user.username.upper()
    response = client.post(CREATE_URL, _form(username=taken, facilities=[facility.pk]))
    assert response.status_code == 200
    assert "đã được dùng (không phân biệt chữ hoa, chữ thường)" in response.text
    assert User.objects.filter(username__iexact=taken).count() == 1
    assert mail.outbox == []


def test_the_database_refuses_a_username_differing_only_in_case(db):
    UserFactory(username="NguyenVanA")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(username="nguyenvana", password=PASSWORD)
    assert User.objects.filter(username__iexact="nguyenvana").count() == 1


def test_login_ignores_the_letter_case(client, db):
    user = UserFactory(username="CanBo.Moi", role=Role.STAFF)
    for typed in ("canbo.moi", "CANBO.MOI", "CanBo.Moi"):
        response = _log_in(client, typed, PASSWORD)
        assert response.status_code == 302, typed
        assert client.session[SESSION_KEY] == str(user.pk)
        client.logout()


# Resetting the second factor ------------------------------------------------------------------


def _device(user):
    return TOTPDevice.objects.create(user=user, name="Điện thoại", confirmed=True)


def test_staff_cannot_reset_another_staff_members_second_factor(client, staff, db):
    colleague = UserFactory(username="canbo_khac", role=Role.STAFF)
    _device(colleague)
    client.force_login(staff)
    url = reverse("accounts:user_two_factor_reset", args=[colleague.pk])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert TOTPDevice.objects.filter(user=colleague).count() == 1
    listing = client.get(reverse("accounts:user_list"))
    assert url not in listing.text


def test_staff_still_reset_facility_and_official_users(client, staff, official, facility_user):
    client.force_login(staff)
    for target in (official, facility_user):
        _device(target)
        url = reverse("accounts:user_two_factor_reset", args=[target.pk])
        assert url in client.get(reverse("accounts:user_list")).text
        assert client.post(url).status_code == 302
        assert not TOTPDevice.objects.filter(user=target).exists()


def test_a_superuser_resets_a_staff_members_second_factor(client, staff, db):
    admin = UserFactory(username="quantri", is_superuser=True, is_staff=True, role=Role.STAFF)
    _device(staff)
    client.force_login(admin)
    url = reverse("accounts:user_two_factor_reset", args=[staff.pk])
    assert url in client.get(reverse("accounts:user_list")).text
    assert client.post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=staff).exists()


def test_the_reset_counts_devices_not_backup_codes(client, staff, facility_user):
    # An authenticator app and a set of ten backup codes: two devices.
    _device(facility_user)
    assert len(new_backup_codes(facility_user)) == 10
    client.force_login(staff)
    url = reverse("accounts:user_two_factor_reset", args=[facility_user.pk])
    assert client.post(url).status_code == 302
    entry = LogEntry.objects.get(object_id=str(facility_user.pk))
    assert entry.change_message == "Đặt lại xác thực hai lớp (xóa 2 thiết bị)."
    assert not BackupCodeDevice.objects.filter(user=facility_user).exists()


# Turning two-factor on ends the other sessions ------------------------------------------------


def _code(device) -> str:
    device.refresh_from_db()
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:0{device.digits}d}"


def test_enrolling_ends_the_other_sessions_and_keeps_this_one(client, facility_user, facility):
    other = client.__class__()
    for c in (client, other):
        assert _log_in(c, facility_user.username, PASSWORD).status_code == 302
    bystander = client.__class__()
    someone = UserFactory(username="nguoi_khac")
    someone.facilities.add(facility)
    _log_in(bystander, someone.username, PASSWORD)
    assert other.get("/").status_code == 200

    client.get(SETUP_URL)
    device = TOTPDevice.objects.get(user=facility_user, confirmed=False)
    response = client.post(SETUP_URL, {"code": _code(device)})
    assert response.status_code == 302
    assert TOTPDevice.objects.get(pk=device.pk).confirmed

    # This browser stays logged in and verified.
    assert client.session[SESSION_KEY] == str(facility_user.pk)
    assert client.get("/").status_code == 200
    # The other one, opened with the password alone, is logged out.
    response = other.get("/")
    assert response.status_code == 302
    assert response.url.startswith(LOGIN_URL)
    assert SESSION_KEY not in other.session
    # Someone else's session is untouched.
    assert bystander.get("/").status_code == 200


# seed_demo -----------------------------------------------------------------------------------


def test_seed_demo_refuses_to_run_without_debug(db, settings):
    settings.PORTAL_PROVINCE_CODE = 27
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", "--facilities", "2", stdout=StringIO())
    assert not Facility.objects.exists()
    assert not User.objects.filter(username__in=["canbo", "coso", "lanhdao"]).exists()


def test_seed_demo_runs_with_force_or_debug(db, settings):
    settings.PORTAL_PROVINCE_CODE = 27
    settings.DEBUG = False
    call_command("seed_demo", "--facilities", "2", "--seed", "5", "--force", stdout=StringIO())
    assert Facility.objects.count() == 2
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", "--facilities", "2", "--seed", "5", stdout=out)
    assert "canbo" in out.getvalue()
