"""The account audit log, continued: a staff member's or official's province (what they see in a
national installation) is audited like their role; every command that changes accounts names
itself as `via`; the users list names a superuser's role; the admin shows an entry's detail
with labels in the reader's language."""

import re
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts import tokens
from accounts.models import ApiToken, Role, User
from core.models import AuditEvent

from ..factories import FacilityFactory, UserFactory

pytestmark = pytest.mark.django_db

Action = AuditEvent.Action
BAC_NINH, HAI_PHONG = "24", "31"  # 2025 province codes (DOMAIN.md)


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def add_user(*args):
    call_command("add_user", *args, stdout=StringIO())


@pytest.fixture(autouse=True)
def _no_password_variable(monkeypatch):
    monkeypatch.delenv("PORTAL_NEW_PASSWORD", raising=False)


@pytest.fixture
def national(settings):
    settings.PORTAL_SCOPE = "national"


@pytest.fixture
def superuser(db):
    return UserFactory(username="quantri_f3", role=Role.STAFF, is_staff=True, is_superuser=True)


# --- The province ---------------------------------------------------------------------------------


def test_add_user_logs_the_province_and_its_change(national):
    add_user("canbo_tinh", "--role", "staff", "--province", BAC_NINH)
    [created] = events(Action.ACCOUNT_CREATED)
    assert created.detail["province"] == BAC_NINH
    assert created.detail["via"] == "manage.py add_user"
    AuditEvent.objects.all().delete()

    add_user("canbo_tinh", "--role", "staff", "--province", HAI_PHONG)

    assert User.objects.get(username="canbo_tinh").province == HAI_PHONG
    [moved] = events(Action.ROLE_CHANGED)
    assert moved.detail["before"]["province"] == BAC_NINH
    assert moved.detail["after"]["province"] == HAI_PHONG
    assert moved.detail["before"]["role"] == moved.detail["after"]["role"] == Role.STAFF
    assert moved.detail["via"] == "manage.py add_user"
    assert (moved.actor, moved.client_address) == (None, None)


def test_add_user_with_the_same_province_logs_nothing(national):
    add_user("lanhdao_tinh", "--role", "official", "--province", BAC_NINH)
    AuditEvent.objects.all().delete()
    add_user("lanhdao_tinh", "--role", "official", "--province", BAC_NINH)
    assert not AuditEvent.objects.exists()


def test_an_account_created_on_the_staff_page_logs_its_province(client, national):
    staff = UserFactory(username="canbo_bn_f3", role=Role.STAFF, province=BAC_NINH)
    client.force_login(staff)
    data = {
        "username": "lanhdao_moi_f3",
        "full_name": "Đỗ Văn Mới",
        "email": "lanhdao_moi_f3@example.vn",
        "role": Role.OFFICIAL,
    }
    response = client.post(reverse("accounts:user_create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    [created] = AuditEvent.objects.filter(action=Action.ACCOUNT_CREATED, actor=staff)
    assert (
        created.detail["province"]
        == BAC_NINH
        == User.objects.get(username=data["username"]).province
    )


def test_a_province_changed_in_the_shell_is_logged(national):
    official = UserFactory(username="lanhdao_doi_tinh", role=Role.OFFICIAL, province=BAC_NINH)
    AuditEvent.objects.all().delete()
    official.province = HAI_PHONG
    official.save()
    [moved] = events(Action.ROLE_CHANGED)
    assert (moved.detail["before"]["province"], moved.detail["after"]["province"]) == (
        BAC_NINH,
        HAI_PHONG,
    )


# --- Commands name themselves ---------------------------------------------------------------------


def test_issue_token_names_the_command(db):
    user = UserFactory(username="may_chu_f3", role=Role.OFFICIAL)
    call_command("issue_token", user.username, stdout=StringIO(), stderr=StringIO())
    [issued] = events(Action.API_TOKEN_ISSUED)
    assert issued.detail["via"] == "manage.py issue_token"
    assert issued.actor is None


def test_seed_demo_names_the_command(db, settings):
    settings.PORTAL_PROVINCE_CODE = 27
    call_command("seed_demo", "--facilities", "3", "--force", stdout=StringIO())
    created = events(Action.ACCOUNT_CREATED)
    assert {e.target.rsplit(" ", 1)[1] for e in created} >= {"canbo", "coso", "lanhdao"}
    links = events(Action.FACILITY_LINKS_CHANGED)
    assert links
    for event in [*created, *links]:
        assert event.detail["via"] == "manage.py seed_demo"


def test_djangos_createsuperuser_is_named_from_the_command_line(db, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["manage.py", "createsuperuser", "--noinput"])
    call_command(
        "createsuperuser",
        "--noinput",
        "--username",
        "quantri_moi",
        "--email",
        "qt@example.vn",
        stdout=StringIO(),
    )
    [created] = events(Action.ACCOUNT_CREATED)
    assert created.detail["via"] == "manage.py createsuperuser"
    assert created.detail["is_superuser"] is True


def test_changes_outside_a_command_name_no_command(db, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["manage.py", "runserver", "--noreload"])
    UserFactory(username="khong_lenh")
    [created] = events(Action.ACCOUNT_CREATED)
    assert "via" not in created.detail


# --- The users list -------------------------------------------------------------------------------


def _row(page: str, username: str) -> str:
    for row in page.split("<tr>")[1:]:
        if f"<td>{username}</td>" in row:
            return " ".join(re.sub(r"<[^>]+>", " ", row.split("</tr>", 1)[0]).split())
    raise AssertionError(f"{username} not listed")


def test_the_users_list_names_a_superusers_role(client, staff):
    # createsuperuser leaves the portal role at its default (a facility's).
    admin = UserFactory(username="quantri_he_thong", is_staff=True, is_superuser=True)
    assert admin.role == Role.FACILITY
    client.force_login(staff)
    page = client.get(reverse("accounts:user_list")).text

    row = _row(page, admin.username)
    assert "Quản trị hệ thống" in row
    assert str(Role.FACILITY.label) not in row
    assert str(Role.STAFF.label) in _row(page, staff.username)


# --- The admin shows the detail readably ----------------------------------------------------------


def _readable(client, event) -> str:
    page = client.get(reverse("admin:core_auditevent_change", args=[event.pk])).text
    shown = page.split('class="audit-detail"', 1)[1].split("</table>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", shown).split())


def test_the_admin_shows_a_role_change_with_vietnamese_labels(client, superuser, national):
    add_user("lanhdao_f3", "--role", "official", "--province", BAC_NINH)
    add_user("lanhdao_f3", "--role", "staff", "--province", HAI_PHONG)
    [changed] = events(Action.ROLE_CHANGED)
    client.force_login(superuser)

    text = _readable(client, changed)

    before, after = text.split("Sau khi đổi", 1)
    assert "Trước khi đổi" in before
    assert f"Vai trò: {Role.OFFICIAL.label}" in before
    assert f"Tỉnh/thành phố: {BAC_NINH}" in before
    assert f"Vai trò: {Role.STAFF.label}" in after
    assert f"Tỉnh/thành phố: {HAI_PHONG}" in after
    assert "Quản trị hệ thống: ✗" in after
    assert "Thực hiện qua manage.py add_user" in text
    for code in ("official", "is_superuser", "province", "before", "via"):
        assert code not in text


def test_the_admin_names_the_facilities_and_the_revocation_reason(client, superuser):
    facility = FacilityFactory()
    add_user("coso_f3", "--role", "facility", "--facility", facility.tax_code)
    [linked] = events(Action.FACILITY_LINKS_CHANGED)
    user = User.objects.get(username="coso_f3")
    token, _key = tokens.issue(user, "Phần mềm kế toán")
    tokens.revoke(token, tokens.Reason.STAFF)
    [revoked] = events(Action.API_TOKEN_REVOKED)
    client.force_login(superuser)

    links = _readable(client, linked)
    assert f"Cơ sở được thêm {facility.name} (Mã số thuế: {facility.tax_code})" in links
    assert "Cơ sở bị bỏ —" in links

    reason = _readable(client, revoked)
    assert f"Lý do thu hồi {ApiToken.RevokedBecause.STAFF.label}" in reason
    assert "Tên gợi nhớ Phần mềm kế toán" in reason
    assert "staff" not in reason
