"""Backup codes are stored hashed (ASVS 5.0 6.5.2) and shown once only (issue 11, point 2).

The second login step accepting a code once and refusing it the second time, and the throttling of
wrong codes, are in test_two_factor.py (test_backup_code_works_once,
test_backup_codes_are_throttled)."""

import importlib
import re

from django.apps import apps
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import BackupCode, BackupCodeDevice, Role
from accounts.two_factor import NEW_CODES_SESSION_KEY, backup_codes_left, new_backup_codes

from ..factories import UserFactory

PASSWORD = "Mat-khau-2026"
CODES_URL = reverse("accounts:two_factor_backup_codes")
DOWNLOAD_URL = reverse("accounts:two_factor_backup_codes_download")
SECURITY_URL = reverse("accounts:security")
VERIFY_URL = reverse("accounts:two_factor_verify")


def code_for(device) -> str:
    device.refresh_from_db()
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:0{device.digits}d}"


def codes_on(page) -> list[str]:
    listing = page.text.split('id="backup-codes">')[1].split("</ul>")[0]
    return re.findall(r"<li[^>]*>([a-z2-7]{8})</li>", listing)


def verified_client(client, user):
    device = TOTPDevice.objects.create(user=user, name="Điện thoại", confirmed=True)
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert client.post(VERIFY_URL, {"code": code_for(device), "next": "/"}).url == "/"
    return device


def stored_values() -> str:
    rows = [*BackupCodeDevice.objects.values_list(), *BackupCode.objects.values_list()]
    return " ".join(str(value) for row in rows for value in row)


def test_codes_are_stored_hashed(facility_user):
    codes = new_backup_codes(facility_user)

    assert len(set(codes)) == 10 == backup_codes_left(facility_user)
    stored = stored_values()
    assert not [code for code in codes if code in stored]
    assert not StaticToken.objects.exists()
    hashes = list(BackupCode.objects.values_list("code_hash", flat=True))
    assert len(set(hashes)) == 10 and all(len(value) == 64 for value in hashes)
    # A random salt per device and a work factor (PBKDF2).
    device = BackupCodeDevice.objects.get(user=facility_user)
    assert len(device.salt) >= 32 and device.iterations >= 100_000


def test_codes_are_shown_until_the_user_leaves_the_page(client, facility_user):
    verified_client(client, facility_user)
    response = client.post(CODES_URL, {"action": "regenerate"})
    assert response.url == CODES_URL

    page = client.get(CODES_URL)
    codes = codes_on(page)
    assert len(codes) == 10
    assert codes_on(client.get(CODES_URL)) == codes  # a reload on the page itself
    download = client.get(DOWNLOAD_URL)
    assert download.status_code == 200
    assert all(code in download.content.decode() for code in codes)

    # Leaving for any other page, without confirming, drops them for good.
    assert client.get(reverse("home")).status_code == 200
    assert NEW_CODES_SESSION_KEY not in client.session
    assert client.get(CODES_URL).url == SECURITY_URL
    assert client.get(DOWNLOAD_URL).status_code == 404
    security = client.get(SECURITY_URL)
    assert not [code for code in codes if code in security.text]
    assert "Còn 10 mã dự phòng" in security.text


def test_confirming_drops_them_too(client, facility_user):
    verified_client(client, facility_user)
    client.post(CODES_URL, {"action": "regenerate"})
    codes = codes_on(client.get(CODES_URL))

    done = client.post(CODES_URL, {"action": "done", "next": "/"})

    assert done.url == "/"
    assert NEW_CODES_SESSION_KEY not in client.session
    assert client.get(DOWNLOAD_URL).status_code == 404
    assert not [code for code in codes if code in str(dict(client.session))]


def test_the_migration_hashes_existing_plaintext_codes(client, facility_user):
    # What 0003_api_tokens does to codes created by django-otp's StaticToken before it.
    device = TOTPDevice.objects.create(user=facility_user, name="Điện thoại", confirmed=True)
    old = StaticDevice.objects.create(user=facility_user, name="Mã dự phòng", confirmed=True)
    StaticToken.objects.bulk_create(
        StaticToken(device=old, token=token) for token in ("abcd2345", "efgh6723")
    )
    migration = importlib.import_module("accounts.migrations.0003_api_tokens")

    migration.hash_backup_codes(apps, None)

    assert not StaticDevice.objects.exists() and not StaticToken.objects.exists()
    assert backup_codes_left(facility_user) == 2
    assert "abcd2345" not in stored_values()
    client.post(
        reverse("accounts:login"), {"username": facility_user.username, "password": PASSWORD}
    )
    assert client.post(VERIFY_URL, {"code": "ABCD 2345", "next": "/"}).url == "/"
    assert backup_codes_left(facility_user) == 1
    assert TOTPDevice.objects.filter(pk=device.pk).exists()  # the authenticator app stays


def test_the_admin_offers_no_plaintext_backup_codes(client, db):
    superuser = UserFactory(
        username="quantri_otp", role=Role.STAFF, is_staff=True, is_superuser=True
    )
    client.force_login(superuser)

    index = client.get("/admin/").text
    response = client.get("/admin/otp_static/staticdevice/add/")

    assert "/admin/accounts/user/" in index  # the index rendered
    assert "otp_static" not in index
    assert response.status_code == 404
