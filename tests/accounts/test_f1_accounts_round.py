"""Account fixes, seen as users see them: a deactivated account's set-password link no longer
works; review mails go to facility representatives only (and the admin unlinks an account whose
role it changes away from facility); set-password and reset links start with PORTAL_URL whatever
Host the request came with; the login error tells the truth about letter case; the lockout page
never says "0 phút"."""

import math
import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse

from accounts.models import Role, User
from assessments import tasks

from ..admin_forms import user_change_data
from ..factories import AnnualReportFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Mat-khau-2026"  # UserFactory's password
NEW_PASSWORD = "Giay-Phong-Khe-2028!"
LOGIN_URL = reverse("accounts:login")
CREATE_URL = reverse("accounts:user_create")
PORTAL = "https://sxsh.example.gov.vn"
INTERNAL_HOST = "10.20.0.5:8000"  # how the request reached the server (behind a proxy, say)
LINK = re.compile(r"(https?://[^/\s]+)(/accounts/password/reset/[^/\s]+/[^/\s]+/)")


def _new_account_form(facility, **changes):
    data = {
        "username": "coso_moi",
        "full_name": "Hoàng Văn Mới",
        "email": "coso.moi@example.vn",
        "phone": "0912 345 678",
        "role": Role.FACILITY,
        "facilities": [facility.pk],
    }
    data.update(changes)
    return data


def _link(message) -> tuple[str, str]:
    """(scheme://host, path) of the set-password link in `message`."""
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1), match.group(2)


@pytest.fixture
def superuser(db):
    return UserFactory(username="quantri_f1", role=Role.STAFF, is_staff=True, is_superuser=True)


@pytest.fixture
def run_tasks(monkeypatch):
    """The notification tasks run in the test (their e-mails reach the outbox) once queued."""
    for name in ("notify_report_submitted", "notify_report_reviewed"):
        task = getattr(tasks, name)
        monkeypatch.setattr(task, "delay", task)


@pytest.fixture
def internal_host(settings):
    settings.PORTAL_URL = PORTAL
    settings.ALLOWED_HOSTS = ["testserver", INTERNAL_HOST.split(":")[0]]


# 1. A deactivated account's set-password link ---------------------------------------------------


def _invite_then_deactivate(client, staff, superuser, facility) -> tuple[User, str]:
    client.force_login(staff)
    assert client.post(CREATE_URL, _new_account_form(facility)).status_code == 302
    user = User.objects.get(username="coso_moi")
    _host, path = _link(mail.outbox[-1])
    client.force_login(superuser)
    change = reverse("admin:accounts_user_change", args=[user.pk])
    assert client.post(change, user_change_data(user, is_active=None)).status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    client.logout()
    return user, path


def test_a_deactivated_accounts_link_is_an_invalid_link(client, staff, superuser, facility):
    user, path = _invite_then_deactivate(client, staff, superuser, facility)

    page = client.get(path, follow=True)

    assert 'id="invalid-link"' in page.text
    assert "new_password1" not in page.text
    # Nor can the form be posted to the page Django would have redirected to.
    set_password = path.rsplit("/", 2)[0] + "/set-password/"
    refused = client.post(
        set_password, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert refused.status_code == 200
    assert 'id="invalid-link"' in refused.text
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_a_link_opened_before_deactivation_cannot_set_the_password_after(
    client, staff, superuser, facility
):
    client.force_login(staff)
    client.post(CREATE_URL, _new_account_form(facility))
    user = User.objects.get(username="coso_moi")
    _host, path = _link(mail.outbox[-1])
    client.logout()
    form_page = client.get(path, follow=True)  # the token now sits in the session
    assert "new_password1" in form_page.text
    form_url = form_page.redirect_chain[-1][0]
    User.objects.filter(pk=user.pk).update(is_active=False)

    refused = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert 'id="invalid-link"' in refused.text
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_an_active_accounts_link_still_sets_the_password(client, staff, facility):
    client.force_login(staff)
    client.post(CREATE_URL, _new_account_form(facility))
    _host, path = _link(mail.outbox[-1])
    client.logout()
    form_url = client.get(path, follow=True).redirect_chain[-1][0]
    done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert User.objects.get(username="coso_moi").check_password(NEW_PASSWORD)


# 2. Review mails reach facility representatives only -------------------------------------------


@pytest.fixture
def linked_official(facility):
    """An account of another role still linked to the facility (linked when it was a facility
    account, say)."""
    user = UserFactory(username="lanhdao_lien_ket", role=Role.OFFICIAL, email="ld@example.vn")
    user.facilities.add(facility)
    return user


@pytest.mark.parametrize(
    ("action", "data", "subject"),
    [
        ("report_approve", {"confirm": "1"}, "đã được duyệt"),
        ("report_return", {"text": "Thiếu số liệu nước.", "confirm": "1"}, "bị trả lại"),
    ],
)
def test_review_mails_go_to_facility_accounts_only(
    client,
    staff,
    facility,
    facility_user,
    linked_official,
    run_tasks,
    django_capture_on_commit_callbacks,
    mailoutbox,
    action,
    data,
    subject,
):
    report = AnnualReportFactory(facility=facility, year=2019, state="submitted")
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(f"assessments:{action}", args=[report.pk]), data)
    assert response.status_code == 302
    [message] = mailoutbox
    assert subject in message.subject
    assert message.to == [facility_user.email]


def test_the_admin_unlinks_an_account_moved_away_from_the_facility_role(
    client, superuser, facility_user, facility
):
    client.force_login(superuser)
    url = reverse("admin:accounts_user_change", args=[facility_user.pk])
    # The form posts the links it showed, as a browser does.
    data = user_change_data(facility_user, role=Role.OFFICIAL)
    assert data["facilities"] == [facility.pk]

    assert client.post(url, data).status_code == 302

    facility_user.refresh_from_db()
    assert facility_user.role == Role.OFFICIAL
    assert list(facility_user.facilities.all()) == []


def test_the_admin_keeps_a_facility_accounts_links(
    client, superuser, facility_user, facility, other_facility
):
    client.force_login(superuser)
    url = reverse("admin:accounts_user_change", args=[facility_user.pk])
    data = user_change_data(facility_user, facilities=[facility.pk, other_facility.pk])
    assert client.post(url, data).status_code == 302
    assert set(facility_user.facilities.all()) == {facility, other_facility}


# 3. Links start with PORTAL_URL -----------------------------------------------------------------


def test_the_set_password_mail_links_to_portal_url(client, staff, facility, internal_host):
    client.force_login(staff)
    response = client.post(CREATE_URL, _new_account_form(facility), HTTP_HOST=INTERNAL_HOST)
    assert response.status_code == 302

    [message] = mail.outbox
    host, _path = _link(message)
    assert host == PORTAL
    assert PORTAL + reverse("accounts:login") in message.body
    assert INTERNAL_HOST not in message.body


def test_a_link_sent_again_links_to_portal_url(client, staff, facility, internal_host):
    client.force_login(staff)
    client.post(CREATE_URL, _new_account_form(facility))
    user = User.objects.get(username="coso_moi")
    url = reverse("accounts:user_send_link", args=[user.pk])
    client.post(url, HTTP_HOST=INTERNAL_HOST)
    again = mail.outbox[-1]
    assert _link(again)[0] == PORTAL
    assert INTERNAL_HOST not in again.body


def test_the_password_reset_mail_links_to_portal_url(
    client, facility_user, mailoutbox, internal_host, reset_mail_sent_at_once
):
    response = client.post(
        reverse("accounts:password_reset"), {"email": facility_user.email}, HTTP_HOST=INTERNAL_HOST
    )
    assert response.status_code == 302
    [message] = mailoutbox
    host, path = _link(message)
    assert host == PORTAL
    assert INTERNAL_HOST not in message.body
    # And the link works.
    form_url = client.get(path, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    facility_user.refresh_from_db()
    assert facility_user.check_password(NEW_PASSWORD)


# 4. The login error ------------------------------------------------------------------------------

WRONG_LOGIN = (
    "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, chữ thường."
)


def test_a_wrong_password_says_only_the_password_is_case_sensitive(client, staff):
    response = client.post(LOGIN_URL, {"username": staff.username, "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert WRONG_LOGIN in response.text
    assert "mật khẩu chính xác" not in response.text  # Django's "both fields are case-sensitive"
    assert SESSION_KEY not in client.session


def test_the_user_name_is_indeed_not_case_sensitive(client, staff):
    response = client.post(LOGIN_URL, {"username": staff.username.upper(), "password": PASSWORD})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(staff.pk)


def test_the_password_is_indeed_case_sensitive(client, staff):
    response = client.post(LOGIN_URL, {"username": staff.username, "password": PASSWORD.upper()})
    assert WRONG_LOGIN in response.text
    assert SESSION_KEY not in client.session


def test_an_inactive_account_gets_the_same_answer(client, staff):
    User.objects.filter(pk=staff.pk).update(is_active=False)
    response = client.post(LOGIN_URL, {"username": staff.username, "password": PASSWORD})
    assert WRONG_LOGIN in response.text
    assert SESSION_KEY not in client.session


# 5. The lockout page's minutes -------------------------------------------------------------------


@pytest.mark.parametrize("seconds", [30, 59, 60, 90])
def test_the_lockout_page_rounds_the_wait_up_to_whole_minutes(client, staff, settings, seconds):
    settings.AXES_LOCKOUT_BASE_SECONDS = seconds
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN_URL, {"username": staff.username, "password": "sai-mat-khau"})
    response = client.post(LOGIN_URL, {"username": staff.username, "password": PASSWORD})
    assert response.status_code == 429
    minutes = -(-seconds // 60)  # whole minutes, rounded up
    assert f"Vui lòng thử lại sau {minutes} phút" in response.text
    assert "sau 0 phút" not in response.text
    assert minutes == math.ceil(seconds / 60) >= 1
