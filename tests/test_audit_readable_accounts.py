"""The account entries of the staff's audit log (accounts:audit_log) in words: the province of a
national installation's account by its name as well as its code, and the target named "an
account" (not the accounts app, "Accounts", in the English interface). Through the real views."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from core.models import AuditEvent
from facilities.models import AdminUnit

from .factories import UserFactory

pytestmark = pytest.mark.django_db

Action = AuditEvent.Action
LOG = reverse("accounts:audit_log")
BAC_NINH = "24"


def create_official(client, username="lanhdao_moi"):
    """Through the staff's page, after forgetting the entries of the fixtures' accounts."""
    AuditEvent.objects.filter(action=Action.ACCOUNT_CREATED).delete()
    data = {
        "username": username,
        "full_name": "Đỗ Văn Mới",
        "email": f"{username}@example.vn",
        "role": Role.OFFICIAL,
        "password1": "Mat-khau-rat-dai-2026",
        "password2": "Mat-khau-rat-dai-2026",
    }
    response = client.post(reverse("accounts:user_create"), data)
    assert response.status_code == 302, response.text[:2000]


def cells(client, action, language="vi") -> list[str]:
    """The cells of the log's one row of `action`, as plain text, read in `language`."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(LOG, {"action": action})
    assert response.status_code == 200
    body = response.text.split('id="audit-table"', 1)[1].split("</tbody>", 1)[0]
    [row] = body.split("<tr>")[2:]
    return [
        " ".join(re.sub(r"<[^>]+>", " ", cell).split())
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]


@pytest.fixture
def staff_bn(settings):
    """A Bắc Ninh staff member of a national installation, which has every 2025 province."""
    settings.PORTAL_SCOPE = "national"
    AdminUnit.objects.create(
        code=BAC_NINH, name="Tỉnh Bắc Ninh", level="province", scheme=AdminUnit.Scheme.V2025
    )
    return UserFactory(username="canbo_bn", role=Role.STAFF, province=BAC_NINH)


def test_a_national_accounts_province_reads_by_name(client, staff_bn):
    client.force_login(staff_bn)
    create_official(client)

    detail = cells(client, Action.ACCOUNT_CREATED)[5]

    assert "Tỉnh/thành phố Tỉnh Bắc Ninh (24)" in detail


def test_a_province_that_is_not_loaded_reads_by_its_code(client, staff_bn):
    client.force_login(staff_bn)
    create_official(client)
    AuditEvent.objects.filter(action=Action.ACCOUNT_CREATED).update(
        detail={"role": "official", "province": "96"}
    )

    detail = cells(client, Action.ACCOUNT_CREATED)[5]

    assert "Tỉnh/thành phố 96" in detail


def test_an_accounts_entry_names_an_account_in_english(client, staff):
    client.force_login(staff)
    create_official(client)
    with translation.override("en"):
        account = translation.pgettext("audit target kind", "Tài khoản")

    target = cells(client, Action.ACCOUNT_CREATED, language="en")[3]

    assert target == f"{account} lanhdao_moi"
    assert "Accounts" not in target


def test_an_accounts_entry_names_an_account_in_vietnamese(client, staff):
    client.force_login(staff)
    create_official(client)

    assert cells(client, Action.ACCOUNT_CREATED)[3] == "Tài khoản lanhdao_moi"
