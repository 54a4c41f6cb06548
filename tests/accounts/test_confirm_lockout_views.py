"""Re-entering the password before a sensitive change (a new API token, turning two-factor
authentication off) is a login attempt to the brute-force lockout (django-axes): wrong passwords
count toward the login's limit, and a locked-out user is refused even the right one, with the
login's lockout page."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import ApiToken

PASSWORD = "Mat-khau-2026"  # UserFactory's password
WRONG = "sai-mat-khau"
LOGIN_URL = "/accounts/login/"
LOCKED_TEXT = "tạm thời bị khóa"
CREATE_URL = reverse("accounts:api_token_create")
REMOVE_URL = reverse("accounts:two_factor_remove")


def _new_token(client, password):
    return client.post(CREATE_URL, {"label": "Máy chủ báo cáo", "password": password})


def _remove_device(client, password):
    return client.post(REMOVE_URL, {"password": password})


def _login(client, user, password):
    return client.post(LOGIN_URL, {"username": user.username, "password": password})


@pytest.fixture
def verified_with_device(client, facility_user):
    """The facility user signed in with their password and an authenticator code."""
    device = TOTPDevice.objects.create(user=facility_user, name="Điện thoại", confirmed=True)
    assert _login(client, facility_user, PASSWORD).status_code == 302
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    client.post("/accounts/two-factor/", {"code": f"{code:0{device.digits}d}", "next": "/"})
    assert DEVICE_ID_SESSION_KEY in client.session
    # The successful login cleared the counter: every failure below is the confirmation's.
    assert not AccessAttempt.objects.exists()
    return device


def test_five_wrong_passwords_lock_the_token_form(client, facility_user):
    client.force_login(facility_user)
    answers = [_new_token(client, WRONG) for _ in range(5)]

    right = _new_token(client, PASSWORD)

    assert [a.status_code for a in answers[:4]] == [200] * 4
    assert all("Mật khẩu không đúng" in a.text for a in answers[:4])
    # The fifth failure locks, as at the login; then even the right password is refused.
    assert answers[4].status_code == 429 and LOCKED_TEXT in answers[4].text
    assert right.status_code == 429
    assert LOCKED_TEXT in right.text and "Vui lòng thử lại sau 1 phút" in right.text
    assert not ApiToken.objects.filter(user=facility_user).exists()
    assert AccessAttempt.objects.filter(username=facility_user.username).exists()


def test_the_token_forms_failures_lock_the_login_too(client, facility_user):
    client.force_login(facility_user)
    for _ in range(5):
        _new_token(client, WRONG)
    client.logout()

    response = _login(client, facility_user, PASSWORD)

    assert response.status_code == 429 and LOCKED_TEXT in response.text


def test_failures_at_the_login_and_the_token_form_add_up(client, facility_user):
    client.force_login(facility_user)
    for _ in range(4):
        _new_token(client, WRONG)
    other = client.__class__()
    locked = _login(other, facility_user, WRONG)  # the fifth failure, at the login page

    right = _new_token(client, PASSWORD)

    assert locked.status_code == 429
    assert right.status_code == 429 and LOCKED_TEXT in right.text
    assert not ApiToken.objects.filter(user=facility_user).exists()


def test_a_few_mistakes_still_let_the_owner_create_a_token(client, facility_user):
    client.force_login(facility_user)
    for _ in range(4):
        assert _new_token(client, WRONG).status_code == 200

    response = _new_token(client, PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("accounts:api_token_created")
    assert ApiToken.objects.filter(user=facility_user).count() == 1


def test_five_wrong_passwords_lock_turning_two_factor_off(client, verified_with_device):
    answers = [_remove_device(client, WRONG) for _ in range(5)]

    right = _remove_device(client, PASSWORD)

    assert [a.status_code for a in answers[:4]] == [200] * 4
    assert all("Mật khẩu không đúng" in a.text for a in answers[:4])
    assert answers[4].status_code == 429
    assert right.status_code == 429 and LOCKED_TEXT in right.text
    assert TOTPDevice.objects.filter(pk=verified_with_device.pk).exists()


def test_the_right_password_still_turns_two_factor_off(client, verified_with_device):
    response = _remove_device(client, PASSWORD)

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=verified_with_device.pk).exists()


def test_a_repeated_lock_states_its_own_length_on_the_token_form(client, facility_user):
    """A pair locked again (seven failures recorded: base × 2² = 4 minutes) is told 4 minutes,
    as the login page would tell it, not the first lock's 1 minute."""
    client.force_login(facility_user)
    for _ in range(5):
        _new_token(client, WRONG)
    AccessAttempt.objects.filter(username=facility_user.username).update(failures_since_start=7)

    response = _new_token(client, PASSWORD)

    assert response.status_code == 429
    assert "Vui lòng thử lại sau 4 phút" in response.text


def test_five_wrong_old_passwords_lock_the_password_change(client, facility_user):
    client.force_login(facility_user)
    url = reverse("accounts:password_change")
    new = "Mat-khau-moi-2026!x"

    def change(old):
        data = {"old_password": old, "new_password1": new, "new_password2": new}
        return client.post(url, data)

    answers = [change(WRONG) for _ in range(5)]
    right = change(PASSWORD)

    assert [a.status_code for a in answers[:4]] == [200] * 4
    assert answers[4].status_code == 429 and LOCKED_TEXT in answers[4].text
    assert right.status_code == 429
    facility_user.refresh_from_db()
    assert facility_user.check_password(PASSWORD)  # unchanged


def test_the_right_old_password_still_changes_it(client, facility_user):
    client.force_login(facility_user)
    new = "Mat-khau-moi-2026!x"
    data = {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    response = client.post(reverse("accounts:password_change"), data)
    assert response.status_code == 302
    facility_user.refresh_from_db()
    assert facility_user.check_password(new)


def test_a_failed_password_change_keeps_no_password_in_the_attempt_log(client, facility_user):
    """Axes keeps a failed attempt's form data (read in the admin): never a password."""
    client.force_login(facility_user)
    new = "Mat-khau-moi-bi-mat-2026"
    data = {"old_password": "gan-dung-mat-khau", "new_password1": new, "new_password2": new}
    client.post(reverse("accounts:password_change"), data)

    (attempt,) = AccessAttempt.objects.all()
    assert "gan-dung-mat-khau" not in attempt.post_data
    assert new not in attempt.post_data


def test_the_admins_password_change_is_the_portals(admin_client, admin_user):
    response = admin_client.get("/admin/password_change/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change")
    for _ in range(5):
        admin_client.post(
            "/admin/password_change/",
            {"old_password": WRONG, "new_password1": "x", "new_password2": "x"},
        )
    admin_user.refresh_from_db()
    assert admin_user.check_password("password")  # pytest-django's admin_user


def test_the_right_password_forgets_the_earlier_failures(client, facility_user):
    """As at the login: four typos, then the right password, then four typos again leave the
    form open (without the reset the fifth failure in all would lock it)."""
    client.force_login(facility_user)
    first = [_new_token(client, WRONG) for _ in range(4)]
    assert _new_token(client, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.exists()
    again = [_new_token(client, WRONG) for _ in range(4)]
    assert [a.status_code for a in first + again] == [200] * 8
    assert _new_token(client, PASSWORD).status_code == 302
    assert ApiToken.objects.filter(user=facility_user).count() == 2
