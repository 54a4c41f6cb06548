"""The access module, role by role: who sees which facility, who may change what."""

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from accounts.models import Role
from facilities.models import Facility

from ..factories import UserFactory


def _edit_url(facility):
    return reverse("facilities:edit", args=[facility.pk])


def _detail_url(facility):
    return reverse("facilities:detail", args=[facility.pk])


def _full_form(facility, **changes):
    data = {
        "name": facility.name,
        "tax_code": facility.tax_code,
        "address": facility.address,
        "commune": facility.commune_id,
        "industry": facility.industry_id,
        "ownership": facility.ownership,
        "established_year": facility.established_year,
        "employees": facility.employees,
        "status": facility.status,
        "contact_name": facility.contact_name,
        "contact_phone": facility.contact_phone,
        "contact_email": facility.contact_email,
    }
    data.update(changes)
    return data


# Facility.objects.visible_to -------------------------------------------------------------------


def test_staff_sees_all_facilities(staff, facility, other_facility):
    assert set(Facility.objects.visible_to(staff)) == {facility, other_facility}


def test_superuser_sees_all_facilities(facility, other_facility):
    admin = UserFactory(username="quantri", role=Role.FACILITY, is_superuser=True)
    assert set(Facility.objects.visible_to(admin)) == {facility, other_facility}


def test_official_sees_all_facilities(official, facility, other_facility):
    assert set(Facility.objects.visible_to(official)) == {facility, other_facility}


def test_facility_user_sees_only_linked_facilities(facility_user, facility, other_facility):
    assert list(Facility.objects.visible_to(facility_user)) == [facility]


def test_facility_user_sees_every_linked_facility(facility_user, facility, other_facility):
    facility_user.facilities.add(other_facility)
    assert set(Facility.objects.visible_to(facility_user)) == {facility, other_facility}


def test_facility_user_without_link_sees_nothing(facility, other_facility):
    user = UserFactory(username="chua_gan", role=Role.FACILITY)
    assert not Facility.objects.visible_to(user).exists()


def test_anonymous_sees_nothing(db, facility, other_facility):
    assert not Facility.objects.visible_to(AnonymousUser()).exists()


def test_inactive_staff_sees_nothing(staff, facility):
    staff.is_active = False
    staff.save()
    assert not Facility.objects.visible_to(staff).exists()


def test_inactive_facility_user_sees_nothing(facility_user, facility):
    facility_user.is_active = False
    facility_user.save()
    assert not Facility.objects.visible_to(facility_user).exists()


def test_visible_to_does_not_duplicate_rows(facility_user, outsider, facility, other_facility):
    # Two users linked to one facility must not make it appear twice for either of them.
    outsider.facilities.add(facility)
    assert Facility.objects.visible_to(facility_user).count() == 1
    assert Facility.objects.visible_to(outsider).count() == 2


# facilities:detail through get_facility_for_user ------------------------------------------------


def test_detail_works_for_own_facility(client, facility_user, facility):
    client.force_login(facility_user)
    response = client.get(_detail_url(facility))
    assert response.status_code == 200
    assert facility.name in response.text


def test_detail_hides_other_facilities(client, facility_user, other_facility):
    client.force_login(facility_user)
    response = client.get(_detail_url(other_facility))
    assert response.status_code == 404
    assert other_facility.name not in response.text


def test_detail_is_404_for_missing_facility(client, staff):
    client.force_login(staff)
    assert client.get(reverse("facilities:detail", args=[999999])).status_code == 404


def test_detail_works_for_official(client, official, other_facility):
    client.force_login(official)
    assert client.get(_detail_url(other_facility)).status_code == 200


def test_detail_requires_login(client, facility):
    response = client.get(_detail_url(facility))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


# facilities:edit -------------------------------------------------------------------------------


def test_edit_works_for_staff(client, staff, facility):
    client.force_login(staff)
    page = client.get(_edit_url(facility))
    assert page.status_code == 200
    assert 'name="tax_code"' in page.text
    assert 'name="name"' in page.text

    response = client.post(
        _edit_url(facility),
        _full_form(facility, name="Công ty Cổ phần Bia Hà Nội - Hải Dương", employees=120),
    )
    assert response.status_code == 302
    assert response.url == _detail_url(facility)
    facility.refresh_from_db()
    assert facility.name == "Công ty Cổ phần Bia Hà Nội - Hải Dương"
    assert facility.employees == 120


def test_edit_keeps_history(client, staff, facility):
    client.force_login(staff)
    client.post(_edit_url(facility), _full_form(facility, employees=77))
    latest = facility.history.order_by("-history_date").first()
    assert latest.employees == 77
    assert latest.history_user == staff


def test_edit_rejects_bad_input(client, staff, facility):
    client.force_login(staff)
    original_tax_code = facility.tax_code
    response = client.post(_edit_url(facility), _full_form(facility, tax_code="0100000000"))
    assert response.status_code == 200
    facility.refresh_from_db()
    assert facility.tax_code == original_tax_code


def test_edit_shows_facility_user_contact_fields_only(client, facility_user, facility):
    client.force_login(facility_user)
    page = client.get(_edit_url(facility))
    assert page.status_code == 200
    assert 'name="contact_phone"' in page.text
    assert 'name="name"' not in page.text
    assert 'name="tax_code"' not in page.text


def test_edit_ignores_facility_user_changing_locked_fields(client, facility_user, facility):
    client.force_login(facility_user)
    name, tax_code = facility.name, facility.tax_code
    response = client.post(
        _edit_url(facility),
        {
            "name": "Tên giả mạo",
            "tax_code": "0100109106",
            "employees": 9999,
            "contact_name": "Đỗ Thị Liên Hệ",
            "contact_phone": "0220 3 888 999",
            "contact_email": "lienhe@biahaiduong.vn",
        },
    )
    assert response.status_code == 302
    facility.refresh_from_db()
    assert facility.name == name
    assert facility.tax_code == tax_code
    assert facility.employees == 50
    assert facility.contact_name == "Đỗ Thị Liên Hệ"
    assert facility.contact_phone == "0220 3 888 999"
    assert facility.contact_email == "lienhe@biahaiduong.vn"


def test_edit_rejects_facility_user_bad_email(client, facility_user, facility):
    client.force_login(facility_user)
    response = client.post(_edit_url(facility), {"contact_email": "khong-phai-email"})
    assert response.status_code == 200
    facility.refresh_from_db()
    assert facility.contact_email == ""


def test_edit_hides_other_facilities(client, facility_user, other_facility):
    client.force_login(facility_user)
    assert client.get(_edit_url(other_facility)).status_code == 404
    response = client.post(_edit_url(other_facility), {"contact_name": "Kẻ xâm nhập"})
    assert response.status_code == 404
    other_facility.refresh_from_db()
    assert other_facility.contact_name == ""


def test_edit_forbids_official(client, official, facility):
    client.force_login(official)
    assert client.get(_edit_url(facility)).status_code == 403
    response = client.post(_edit_url(facility), _full_form(facility, name="Lãnh đạo sửa"))
    assert response.status_code == 403
    facility.refresh_from_db()
    assert facility.name != "Lãnh đạo sửa"


def test_edit_requires_login(client, facility):
    response = client.get(_edit_url(facility))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    response = client.post(_edit_url(facility), {"contact_name": "Vô danh"})
    assert response.status_code == 302
    facility.refresh_from_db()
    assert facility.contact_name == ""


# Role decorators on the account pages ----------------------------------------------------------


def test_user_list_works_for_staff(client, staff, facility_user):
    client.force_login(staff)
    response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 200
    assert facility_user.username in response.text


def test_user_list_works_for_superuser(client, db):
    admin = UserFactory(username="quantri", role=Role.FACILITY, is_superuser=True)
    client.force_login(admin)
    assert client.get(reverse("accounts:user_list")).status_code == 200


def test_user_list_requires_staff(client, official, facility_user):
    for user in (official, facility_user):
        client.force_login(user)
        response = client.get(reverse("accounts:user_list"))
        assert response.status_code == 403
        assert "Bạn không có quyền" in response.text


def test_user_create_requires_staff(client, official, facility_user):
    for user in (official, facility_user):
        client.force_login(user)
        assert client.get(reverse("accounts:user_create")).status_code == 403


def test_user_create_works_for_staff(client, staff):
    client.force_login(staff)
    assert client.get(reverse("accounts:user_create")).status_code == 200


def test_user_pages_require_login(client, db):
    for name in ("accounts:user_list", "accounts:user_create"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
