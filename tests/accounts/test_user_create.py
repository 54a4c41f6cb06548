"""Staff create facility and official accounts (accounts:user_create); the set-password link,
case-insensitive usernames and staff accounts: tests/accounts/test_account_security.py."""

import re

from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse

from accounts.models import Role, User

URL = reverse("accounts:user_create")
NEW_PASSWORD = "Nha-may-Bia-2026!"


def _set_password_from_mail(client, password=NEW_PASSWORD):
    """Follow the link of the last mail and choose `password` there."""
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", mail.outbox[-1].body)
    page = client.get(link.group(1), follow=True)
    return client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else link.group(1),
        {"new_password1": password, "new_password2": password},
    )


def _form(**changes):
    data = {
        "username": "coso_moi",
        "full_name": "Hoàng Văn Mới",
        "email": "coso_moi@example.vn",
        "phone": "0912 345 678",
        "role": Role.FACILITY,
    }
    data.update(changes)
    return data


def test_it_works(client, staff, facility):
    client.force_login(staff)
    response = client.post(URL, _form(facilities=[facility.pk]))
    assert response.status_code == 302
    assert response.url == reverse("accounts:user_list")

    user = User.objects.get(username="coso_moi")
    assert user.role == Role.FACILITY
    assert user.full_name == "Hoàng Văn Mới"
    assert not user.is_staff and not user.is_superuser
    assert list(user.facilities.all()) == [facility]

    listing = client.get(response.url)
    assert "Đã tạo tài khoản coso_moi" in listing.text


def test_new_facility_account_can_log_in(client, staff, facility, other_facility):
    client.force_login(staff)
    client.post(URL, _form(facilities=[facility.pk]))
    client.logout()
    _set_password_from_mail(client)

    response = client.post(
        reverse("accounts:login"), {"username": "coso_moi", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    user = User.objects.get(username="coso_moi")
    assert client.session[SESSION_KEY] == str(user.pk)
    home = client.get("/")
    assert facility.name in home.text
    assert other_facility.name not in home.text


def test_it_creates_official_account(client, staff):
    client.force_login(staff)
    response = client.post(URL, _form(username="lanhdao_moi", role=Role.OFFICIAL))
    assert response.status_code == 302
    user = User.objects.get(username="lanhdao_moi")
    assert user.role == Role.OFFICIAL
    assert not user.facilities.exists()
    assert not user.has_usable_password()
    assert mail.outbox[-1].to == ["coso_moi@example.vn"]


def test_it_rejects_facility_account_without_facility(client, staff):
    client.force_login(staff)
    response = client.post(URL, _form())
    assert response.status_code == 200
    assert "Tài khoản cơ sở phải gắn với ít nhất một cơ sở." in response.text
    assert not User.objects.filter(username="coso_moi").exists()


def test_it_rejects_official_account_with_facility(client, staff, facility):
    client.force_login(staff)
    response = client.post(URL, _form(role=Role.OFFICIAL, facilities=[facility.pk]))
    assert response.status_code == 200
    assert "Tài khoản lãnh đạo không gắn với cơ sở." in response.text
    assert not User.objects.filter(username="coso_moi").exists()


def test_it_rejects_forged_staff_role(client, staff, facility):
    client.force_login(staff)
    response = client.post(URL, _form(role=Role.STAFF, facilities=[facility.pk]))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["role"]
    assert not User.objects.filter(username="coso_moi").exists()
    assert User.objects.filter(role=Role.STAFF).count() == 1


def test_it_ignores_forged_admin_flags(client, staff, facility):
    client.force_login(staff)
    client.post(
        URL, _form(facilities=[facility.pk], is_superuser="on", is_staff="on", role="facility")
    )
    user = User.objects.get(username="coso_moi")
    assert not user.is_superuser
    assert not user.is_staff


def test_it_rejects_bad_input(client, staff, facility):
    client.force_login(staff)
    response = client.post(URL, _form(facilities=[facility.pk], email="khong-phai-email"))
    assert response.status_code == 200
    assert not User.objects.filter(username="coso_moi").exists()
    assert mail.outbox == []


def test_it_rejects_duplicate_username(client, staff, facility, facility_user):
    client.force_login(staff)
    response = client.post(URL, _form(username=facility_user.username, facilities=[facility.pk]))
    assert response.status_code == 200
    assert User.objects.filter(username=facility_user.username).count() == 1


def test_it_rejects_weak_password_at_the_link(client, staff, facility):
    client.force_login(staff)
    client.post(URL, _form(facilities=[facility.pk]))
    client.logout()
    response = _set_password_from_mail(client, "12345678")
    assert response.status_code == 200
    assert not User.objects.get(username="coso_moi").has_usable_password()


def test_it_requires_staff(client, official, facility_user, facility):
    for user in (official, facility_user):
        client.force_login(user)
        response = client.post(URL, _form(username=f"gia_{user.pk}", facilities=[facility.pk]))
        assert response.status_code == 403
        assert not User.objects.filter(username=f"gia_{user.pk}").exists()


def test_it_requires_login(client, facility):
    response = client.post(URL, _form(facilities=[facility.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert not User.objects.filter(username="coso_moi").exists()
