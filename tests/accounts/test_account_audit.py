"""The audit log of account changes that grant or move access: a facility account's facility
links, its e-mail (where set-password links go), its activation, and API tokens issued and
revoked — by `manage.py add_user` / `issue_token` (no actor: the system) and on the web (the
staff member, the admin, the owner). Through the commands and the HTTP client."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts import tokens
from accounts.models import ApiToken, Role, User
from core.models import AuditEvent

from ..admin_forms import user_change_data
from ..factories import FacilityFactory, UserFactory

pytestmark = pytest.mark.django_db

Action = AuditEvent.Action
CLIENT = "198.51.100.77"


def events(action, **filters):
    return list(AuditEvent.objects.filter(action=action, **filters).order_by("pk"))


def linked(facility) -> dict:
    return {"id": facility.pk, "tax_code": facility.tax_code, "name": facility.name}


def add_user(*args):
    call_command("add_user", *args, stdout=StringIO())


@pytest.fixture
def superuser(db):
    return UserFactory(username="quantri_tk", role=Role.STAFF, is_staff=True, is_superuser=True)


@pytest.fixture(autouse=True)
def _no_password_variable(monkeypatch):
    monkeypatch.delenv("PORTAL_NEW_PASSWORD", raising=False)


# --- manage.py add_user --------------------------------------------------------------------------


def test_add_user_relinking_a_facility_account_and_its_email_is_logged(db):
    first, other = FacilityFactory(), FacilityFactory()
    add_user("coso", "--role", "facility", "--facility", first.tax_code, "--email", "a@x.vn")
    [created] = events(Action.ACCOUNT_CREATED)
    assert created.detail["email"] == "a@x.vn"
    [granted] = events(Action.FACILITY_LINKS_CHANGED)
    assert granted.detail == {"added": [linked(first)], "removed": [], "via": "manage.py add_user"}
    AuditEvent.objects.all().delete()

    add_user("coso", "--role", "facility", "--facility", other.tax_code, "--email", "new@x.vn")

    user = User.objects.get(username="coso")
    assert list(user.facilities.all()) == [other]
    links = events(Action.FACILITY_LINKS_CHANGED)
    assert [(e.detail["added"], e.detail["removed"]) for e in links] == [
        ([], [linked(first)]),
        ([linked(other)], []),
    ]
    [email] = events(Action.EMAIL_CHANGED)
    assert (email.detail["before"], email.detail["after"]) == ("a@x.vn", "new@x.vn")
    for event in [*links, email]:
        assert (event.actor, event.actor_username, event.client_address) == (None, "", None)
        assert event.target == f"user #{user.pk} coso"
        assert event.detail["via"] == "manage.py add_user"
    assert not events(Action.ROLE_CHANGED)


def test_add_user_turning_a_facility_account_into_an_official_logs_the_dropped_links(db):
    first, second = FacilityFactory(), FacilityFactory()
    add_user(
        "coso", "--role", "facility", "--facility", first.tax_code, "--facility", second.tax_code
    )
    AuditEvent.objects.all().delete()

    add_user("coso", "--role", "official")

    assert not User.objects.get(username="coso").facilities.exists()
    [role] = events(Action.ROLE_CHANGED)
    assert role.detail["after"]["role"] == Role.OFFICIAL
    [dropped] = events(Action.FACILITY_LINKS_CHANGED)
    removed = sorted(dropped.detail["removed"], key=lambda item: item["id"])
    assert removed == [linked(first), linked(second)]
    assert dropped.detail["added"] == []


def test_re_running_add_user_unchanged_logs_nothing(db):
    facility = FacilityFactory()
    add_user("coso", "--role", "facility", "--facility", facility.tax_code, "--email", "a@x.vn")
    AuditEvent.objects.all().delete()

    add_user("coso", "--role", "facility", "--facility", facility.tax_code, "--email", "a@x.vn")

    assert not AuditEvent.objects.exists()


# --- The web: the staff page and the admin -------------------------------------------------------


def test_an_account_created_on_the_staff_page_logs_its_facilities(client, staff, facility):
    client.force_login(staff)
    data = {
        "username": "coso_moi",
        "full_name": "Hoàng Văn Mới",
        "email": "coso_moi@example.vn",
        "role": Role.FACILITY,
        "facilities": [facility.pk],
    }
    response = client.post(reverse("accounts:user_create"), data, REMOTE_ADDR=CLIENT)
    assert response.status_code == 302
    user = User.objects.get(username="coso_moi")
    [event] = events(Action.FACILITY_LINKS_CHANGED)
    assert (event.actor, event.client_address) == (staff, CLIENT)
    assert event.target == f"user #{user.pk} coso_moi"
    assert event.detail == {"added": [linked(facility)], "removed": []}


def test_admin_relink_email_and_deactivation_are_logged(
    client, superuser, facility_user, facility, other_facility
):
    AuditEvent.objects.all().delete()
    client.force_login(superuser)
    url = reverse("admin:accounts_user_change", args=[facility_user.pk])
    data = user_change_data(
        facility_user, email="moi@example.vn", is_active=None, facilities=[other_facility.pk]
    )

    response = client.post(url, data, REMOTE_ADDR=CLIENT)

    assert response.status_code == 302, response.content.decode()[:3000]
    facility_user.refresh_from_db()
    assert not facility_user.is_active
    [email] = events(Action.EMAIL_CHANGED)
    assert email.detail == {"before": "coso_test@example.vn", "after": "moi@example.vn"}
    [deactivated] = events(Action.ACCOUNT_DEACTIVATED)
    links = events(Action.FACILITY_LINKS_CHANGED)
    assert [(e.detail["added"], e.detail["removed"]) for e in links] == [
        ([], [linked(facility)]),
        ([linked(other_facility)], []),
    ]
    for event in [email, deactivated, *links]:
        assert (event.actor, event.client_address) == (superuser, CLIENT)
        assert event.target == f"user #{facility_user.pk} coso_test"
    assert not events(Action.ROLE_CHANGED)

    AuditEvent.objects.all().delete()
    data = user_change_data(facility_user, is_active="on")
    assert client.post(url, data).status_code == 302
    [reactivated] = events(Action.ACCOUNT_REACTIVATED)
    assert reactivated.actor == superuser
    assert [e.action for e in AuditEvent.objects.all()] == [Action.ACCOUNT_REACTIVATED]


def test_the_admin_lists_the_new_events_with_vietnamese_labels(client, superuser, facility_user):
    facility_user.email = "doi@example.vn"
    facility_user.save()
    client.force_login(superuser)
    listed = client.get(
        reverse("admin:core_auditevent_changelist"), {"action": Action.EMAIL_CHANGED}
    )
    assert listed.status_code == 200
    assert "Đổi e-mail tài khoản" in listed.text
    assert "coso_test" in listed.text


# --- API tokens ----------------------------------------------------------------------------------


def test_issue_token_command_is_logged_without_the_key(facility_user):
    out = StringIO()
    call_command("issue_token", "coso_test", "--label", "Máy chủ", stdout=out, stderr=StringIO())
    key = out.getvalue().strip()
    token = ApiToken.objects.get(user=facility_user)
    [event] = events(Action.API_TOKEN_ISSUED)
    assert (event.actor, event.client_address) == (None, None)
    assert event.target == f"user #{facility_user.pk} coso_test"
    assert event.detail["token"] == token.pk
    assert event.detail["label"] == "Máy chủ"
    everything = f"{event.target} {event.detail}"
    assert key not in everything and token.prefix not in everything


def test_a_token_created_on_the_web_is_logged(client, facility_user):
    client.force_login(facility_user)
    url = reverse("accounts:api_token_create")
    response = client.post(
        url, {"label": "Kế toán", "password": "Mat-khau-2026"}, REMOTE_ADDR=CLIENT
    )
    assert response.status_code == 302
    token = ApiToken.objects.get(user=facility_user)
    [event] = events(Action.API_TOKEN_ISSUED)
    assert (event.actor, event.client_address) == (facility_user, CLIENT)
    assert (event.detail["token"], event.detail["label"]) == (token.pk, "Kế toán")
    assert token.prefix not in str(event.detail)


def test_a_staff_revocation_records_the_staff_member(client, staff, facility_user):
    token, _key = tokens.issue(facility_user, "Phần mềm kế toán")
    client.force_login(staff)
    url = reverse("accounts:api_token_revoke", args=[token.pk])

    assert client.post(url, REMOTE_ADDR=CLIENT).status_code == 302
    assert client.post(url).status_code == 302  # already revoked: no second entry

    [event] = events(Action.API_TOKEN_REVOKED)
    assert (event.actor, event.client_address) == (staff, CLIENT)
    assert event.actor_username == "canbo_test"
    assert event.target == f"user #{facility_user.pk} coso_test"
    assert event.detail == {"token": token.pk, "label": "Phần mềm kế toán", "reason": "staff"}


def test_the_owners_revocation_is_logged(client, facility_user):
    token, _key = tokens.issue(facility_user, "thử")
    client.force_login(facility_user)
    client.post(reverse("accounts:api_token_revoke", args=[token.pk]))
    [event] = events(Action.API_TOKEN_REVOKED)
    assert event.actor == facility_user
    assert event.detail["reason"] == "owner"


def test_revocation_by_deactivation_is_logged(client, superuser, facility_user):
    token, _key = tokens.issue(facility_user, "thử")
    client.force_login(superuser)
    url = reverse("admin:accounts_user_change", args=[facility_user.pk])
    assert client.post(url, user_change_data(facility_user, is_active=None)).status_code == 302
    [event] = events(Action.API_TOKEN_REVOKED)
    assert event.actor == superuser
    assert event.detail == {
        "tokens": [{"token": token.pk, "label": "thử"}],
        "reason": "deactivated",
    }


def test_links_made_from_the_facility_side_are_logged_per_account(facility, staff):
    first = UserFactory(username="coso_a", role=Role.FACILITY)
    second = UserFactory(username="coso_b", role=Role.FACILITY)
    AuditEvent.objects.all().delete()

    facility.users.add(first, second)
    facility.users.clear()

    links = events(Action.FACILITY_LINKS_CHANGED)
    assert sorted((e.target, bool(e.detail["added"])) for e in links) == [
        (f"user #{first.pk} coso_a", False),
        (f"user #{first.pk} coso_a", True),
        (f"user #{second.pk} coso_b", False),
        (f"user #{second.pk} coso_b", True),
    ]
    for event in links:
        assert linked(facility) in event.detail["added"] + event.detail["removed"]
