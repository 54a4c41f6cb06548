"""Issue 11, point 7: the audit log (core.audit) — who, when, what and from where — for registry
exports, report downloads, account creation, role changes and two-factor resets; append-only,
read in a read-only admin. Everything through the HTTP client as a user would do it."""

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role, User
from core.models import AuditEvent

from ..admin_forms import user_change_data
from ..factories import UserFactory
from ..reports.report_view_helpers import make_report

pytestmark = pytest.mark.django_db

Action = AuditEvent.Action
CLIENT = "198.51.100.23"


def events(action):
    return list(AuditEvent.objects.filter(action=action))


@pytest.fixture
def superuser(db):
    return UserFactory(username="quantri_audit", role=Role.STAFF, is_staff=True, is_superuser=True)


# --- registry export -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_registry_export_is_logged(client, staff, facility, kind):
    client.force_login(staff)
    before = timezone.now()
    response = client.get(
        reverse("facilities:export"), {"format": kind, "q": "bia"}, REMOTE_ADDR=CLIENT
    )
    assert response.status_code == 200
    [event] = events(Action.REGISTRY_EXPORT)
    assert event.actor == staff
    assert event.actor_username == "canbo_test"
    assert event.client_address == CLIENT
    assert event.at >= before
    label = {"csv": "CSV", "xlsx": "Excel (XLSX)"}[kind]
    assert event.detail == {"format": label, "filters": [["Tìm kiếm", "bia"]]}


def test_a_refused_export_is_not_logged(client, staff):
    client.force_login(staff)
    assert client.get(reverse("facilities:export"), {"format": "pdf"}).status_code == 400
    assert not events(Action.REGISTRY_EXPORT)


def test_a_forged_forwarded_header_is_not_the_address_without_a_proxy(client, staff):
    client.force_login(staff)
    client.get(
        reverse("facilities:export"),
        {"format": "csv"},
        REMOTE_ADDR=CLIENT,
        HTTP_X_FORWARDED_FOR="1.2.3.4",
    )
    assert AuditEvent.objects.get(action=Action.REGISTRY_EXPORT).client_address == CLIENT


def test_the_address_follows_the_lockouts_proxy_settings(client, staff, settings):
    # The address is the one the login lockout uses (django-axes' ipware settings): here a
    # configuration that reads the proxy's X-Forwarded-For header.
    settings.AXES_IPWARE_PROXY_COUNT = None
    settings.AXES_IPWARE_PROXY_TRUSTED_IPS = None
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    client.force_login(staff)
    client.get(
        reverse("facilities:export"),
        {"format": "csv"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="1.2.3.4",
    )
    assert AuditEvent.objects.get(action=Action.REGISTRY_EXPORT).client_address == "1.2.3.4"


# --- report download -----------------------------------------------------------------------------


def test_report_download_is_logged(client, official):
    report = make_report(by=official)  # officials: their own requests and issued documents
    client.force_login(official)
    response = client.get(reverse("reports:download", args=[report.pk]), REMOTE_ADDR=CLIENT)
    assert response.status_code == 200
    b"".join(response.streaming_content)
    [event] = events(Action.REPORT_DOWNLOAD)
    assert (event.actor, event.client_address) == (official, CLIENT)
    assert event.target.startswith(f"report #{report.pk}")
    assert event.detail["format"] == "pdf"
    assert event.detail["year"] == 2018


def test_a_report_that_cannot_be_downloaded_is_not_logged(client, official, facility_user):
    running = make_report(state="running")
    done = make_report()
    client.force_login(official)
    assert client.get(reverse("reports:download", args=[running.pk])).status_code == 404
    client.force_login(facility_user)
    assert client.get(reverse("reports:download", args=[done.pk])).status_code == 403
    assert not events(Action.REPORT_DOWNLOAD)


# --- accounts ------------------------------------------------------------------------------------


def test_account_created_on_the_staff_page_is_logged(client, staff):
    client.force_login(staff)
    data = {
        "username": "lanhdao_moi",
        "full_name": "Đỗ Văn Mới",
        "email": "lanhdao_moi@example.vn",
        "role": Role.OFFICIAL,
        "password1": "Mat-khau-rat-dai-2026",
        "password2": "Mat-khau-rat-dai-2026",
    }
    response = client.post(reverse("accounts:user_create"), data, REMOTE_ADDR=CLIENT)
    assert response.status_code == 302, response.content.decode()[:2000]
    created = User.objects.get(username="lanhdao_moi")
    [event] = AuditEvent.objects.filter(action=Action.ACCOUNT_CREATED, actor=staff)
    assert event.client_address == CLIENT
    assert event.target == f"user #{created.pk} lanhdao_moi"
    assert event.detail["role"] == Role.OFFICIAL
    assert not events(Action.ROLE_CHANGED)


def test_account_created_in_the_admin_is_logged(client, superuser):
    client.force_login(superuser)
    data = {
        "username": "coso_admin",
        "usable_password": "true",
        "password1": "Mat-khau-rat-dai-2026",
        "password2": "Mat-khau-rat-dai-2026",
        "role": Role.FACILITY,
        "full_name": "Cơ sở tạo trong admin",
        "email": "coso_admin@example.vn",
    }
    response = client.post(reverse("admin:accounts_user_add"), data, REMOTE_ADDR=CLIENT)
    assert response.status_code == 302, response.content.decode()[:3000]
    [event] = AuditEvent.objects.filter(action=Action.ACCOUNT_CREATED, actor=superuser)
    assert event.client_address == CLIENT
    assert event.target.endswith(" coso_admin")


def test_account_created_without_a_request_is_logged_without_actor(db):
    user = User.objects.create_user("tao_bang_lenh", password=make_password(None))
    [event] = events(Action.ACCOUNT_CREATED)
    assert (event.actor, event.actor_username, event.client_address) == (None, "", None)
    assert event.target.startswith(f"user #{user.pk}")


def test_role_change_in_the_admin_is_logged(client, superuser):
    target = UserFactory(username="se_thanh_can_bo", role=Role.OFFICIAL)
    AuditEvent.objects.all().delete()
    client.force_login(superuser)
    url = reverse("admin:accounts_user_change", args=[target.pk])
    response = client.post(url, user_change_data(target, role=Role.STAFF), REMOTE_ADDR=CLIENT)
    assert response.status_code == 302, response.content.decode()[:3000]
    target.refresh_from_db()
    assert target.role == Role.STAFF
    [event] = events(Action.ROLE_CHANGED)
    assert (event.actor, event.client_address) == (superuser, CLIENT)
    assert event.detail["before"]["role"] == Role.OFFICIAL
    assert event.detail["after"]["role"] == Role.STAFF


def test_saving_an_account_without_a_role_change_logs_nothing(client, superuser):
    target = UserFactory(username="chi_doi_ten", role=Role.OFFICIAL)
    AuditEvent.objects.all().delete()
    client.force_login(superuser)
    url = reverse("admin:accounts_user_change", args=[target.pk])
    response = client.post(url, user_change_data(target, full_name="Tên mới"))
    assert response.status_code == 302
    # Logging in (last_login) is no role change either.
    client.force_login(target)
    assert not AuditEvent.objects.exists()


def test_superuser_flag_given_outside_a_request_is_a_role_change(db):
    user = UserFactory(username="len_quan_tri", role=Role.STAFF)
    user.is_superuser = True
    user.save()
    [event] = events(Action.ROLE_CHANGED)
    assert event.actor is None
    assert event.detail["before"]["is_superuser"] is False
    assert event.detail["after"]["is_superuser"] is True


def test_two_factor_reset_is_logged(client, staff, facility_user):
    TOTPDevice.objects.create(user=facility_user, name="Điện thoại", confirmed=True)
    client.force_login(staff)
    url = reverse("accounts:user_two_factor_reset", args=[facility_user.pk])
    assert client.post(url, REMOTE_ADDR=CLIENT).status_code == 302
    assert not TOTPDevice.objects.filter(user=facility_user).exists()
    [event] = events(Action.TWO_FACTOR_RESET)
    assert (event.actor, event.client_address) == (staff, CLIENT)
    assert event.target.startswith(f"user #{facility_user.pk}")
    assert event.detail == {"devices": 1}


def test_the_confirmation_page_alone_logs_nothing(client, staff, facility_user):
    client.force_login(staff)
    url = reverse("accounts:user_two_factor_reset", args=[facility_user.pk])
    assert client.get(url).status_code == 200
    assert not events(Action.TWO_FACTOR_RESET)


# --- append-only and the admin -------------------------------------------------------------------


def test_the_actor_name_outlives_the_account(client, staff, facility):
    client.force_login(staff)
    client.get(reverse("facilities:export"), {"format": "csv"})
    client.logout()
    staff.delete()
    event = AuditEvent.objects.get(action=Action.REGISTRY_EXPORT)
    assert (event.actor, event.actor_username) == (None, "canbo_test")


def test_an_entry_cannot_be_changed(staff):
    event = AuditEvent.objects.create(action=Action.REGISTRY_EXPORT, actor_username="x")
    event.target = "sửa lại"
    with pytest.raises(ValueError, match="append-only"):
        event.save()


def test_the_admin_lists_filters_and_searches_but_never_edits(client, superuser, staff, facility):
    client.force_login(staff)
    client.get(reverse("facilities:export"), {"format": "csv"}, REMOTE_ADDR=CLIENT)
    event = AuditEvent.objects.get(action=Action.REGISTRY_EXPORT)
    client.force_login(superuser)
    changelist = reverse("admin:core_auditevent_changelist")
    listed = client.get(changelist, {"action": Action.REGISTRY_EXPORT, "q": CLIENT})
    assert listed.status_code == 200
    assert "canbo_test" in listed.text
    assert str(Action.REGISTRY_EXPORT.label) in listed.text
    other = client.get(changelist, {"action": Action.TWO_FACTOR_RESET})
    assert "canbo_test" not in other.text
    assert client.get(reverse("admin:core_auditevent_add")).status_code == 403
    change = reverse("admin:core_auditevent_change", args=[event.pk])
    assert client.get(change).status_code == 200  # view only
    client.post(change, {"target": "xóa dấu vết", "action": Action.REGISTRY_EXPORT})
    delete = reverse("admin:core_auditevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    event.refresh_from_db()
    assert event.target == "facilities"
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_staff_without_admin_rights_cannot_read_the_log(client, staff):
    client.force_login(staff)
    response = client.get(reverse("admin:core_auditevent_changelist"))
    assert response.status_code == 302  # the admin's own login page: not a site admin
