"""The province of a staff or official account in a national installation (PORTAL_SCOPE=national,
DESIGN §2), set from the web: a superuser's "Tạo tài khoản" page and the admin's user form ask for
it; a province's staff still create accounts of their own province only; a facility account's
province is its facilities', never a stale `province` left from an earlier role."""

import pytest
from django.urls import reverse

from accounts.models import Role, User
from facilities.models import AdminUnit

from .admin_forms import user_change_data
from .assessments.national_helpers import BAC_NINH, HAI_PHONG, national, two_province_facilities
from .factories import ProvinceFactory, UserFactory

pytestmark = pytest.mark.django_db

__all__ = ["national"]  # the fixture, used by name

CREATE_URL = reverse("accounts:user_create")
PROVINCE_NEEDED = "Tài khoản cán bộ Sở và lãnh đạo phải thuộc một tỉnh/thành phố."


@pytest.fixture
def places():
    """A Bắc Ninh (24) and a Hải Phòng (31) facility, both 2025 provinces loaded."""
    facilities = two_province_facilities()
    ProvinceFactory(code=BAC_NINH, name="Tỉnh Bắc Ninh", scheme=AdminUnit.Scheme.V2025)
    return facilities


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("quantri", "quantri@example.vn", "Mat-khau-2026")


@pytest.fixture
def staff_bn(db):
    return UserFactory(username="canbo_bn", role=Role.STAFF, province=BAC_NINH)


@pytest.fixture
def staff_hp(db):
    return UserFactory(username="canbo_hp", role=Role.STAFF, province=HAI_PHONG)


def _new_account(role, **extra) -> dict:
    return {
        "username": "tk_moi",
        "full_name": "Lê Mới",
        "email": "moi@example.vn",
        "role": role,
        **extra,
    }


# --- the staff page's "Tạo tài khoản" -------------------------------------------------------


def test_a_superuser_creates_staff_of_the_chosen_province(client, national, places, superuser):
    client.force_login(superuser)
    form = client.get(CREATE_URL).context["form"]
    codes = [code for code, _name in form.fields["province"].choices if code]
    assert codes == [BAC_NINH, HAI_PHONG]

    response = client.post(CREATE_URL, _new_account("staff", province=HAI_PHONG))

    assert response.status_code == 302, response.text[:2000]
    assert User.objects.get(username="tk_moi").province == HAI_PHONG


def test_a_superuser_must_choose_the_province_of_staff_and_officials(
    client, national, places, superuser
):
    client.force_login(superuser)
    for role in ("staff", "official"):
        response = client.post(CREATE_URL, _new_account(role))
        assert response.status_code == 200
        assert response.context["form"].errors["province"] == [PROVINCE_NEEDED]
        assert PROVINCE_NEEDED in response.text
    # An old (pre-2025) code, or one never loaded, is no choice either.
    response = client.post(CREATE_URL, _new_account("official", province="27"))
    assert "province" in response.context["form"].errors
    assert not User.objects.filter(username="tk_moi").exists()


def test_a_superusers_facility_account_has_no_province(client, national, places, superuser):
    _bac_ninh, hai_phong = places
    client.force_login(superuser)
    data = _new_account("facility", province=BAC_NINH, facilities=[hai_phong.pk])
    assert client.post(CREATE_URL, data).status_code == 302
    assert User.objects.get(username="tk_moi").province == ""


def test_a_provinces_staff_create_accounts_of_their_own_province(
    client, national, places, staff_bn
):
    client.force_login(staff_bn)
    assert "province" not in client.get(CREATE_URL).context["form"].fields

    response = client.post(CREATE_URL, _new_account("official", province=HAI_PHONG))

    assert response.status_code == 302
    assert User.objects.get(username="tk_moi").province == BAC_NINH


def test_a_one_province_installation_asks_for_no_province(client, places, superuser):
    client.force_login(superuser)
    assert "province" not in client.get(CREATE_URL).context["form"].fields
    assert client.post(CREATE_URL, _new_account("staff", province=BAC_NINH)).status_code == 302
    assert User.objects.get(username="tk_moi").province == ""


# --- the admin's user form ----------------------------------------------------------------


def _change_url(user):
    return reverse("admin:accounts_user_change", args=[user.pk])


def test_the_admin_sets_and_changes_an_officials_province(client, national, places, superuser):
    official = UserFactory(username="lanhdao", role=Role.OFFICIAL)
    client.force_login(superuser)
    assert "province" in client.get(_change_url(official)).context["adminform"].form.fields

    missing = client.post(_change_url(official), user_change_data(official))
    assert missing.status_code == 200
    assert missing.context["adminform"].form.errors["province"] == [PROVINCE_NEEDED]
    unknown = client.post(_change_url(official), user_change_data(official, province="99"))
    assert "province" in unknown.context["adminform"].form.errors

    data = user_change_data(official, province=BAC_NINH)
    assert client.post(_change_url(official), data).status_code == 302
    official.refresh_from_db()
    assert official.province == BAC_NINH
    data = user_change_data(official, province=HAI_PHONG)
    assert client.post(_change_url(official), data).status_code == 302
    official.refresh_from_db()
    assert official.province == HAI_PHONG


def test_the_admin_clears_the_province_of_a_one_province_installation(client, places, superuser):
    staff = UserFactory(username="canbo", role=Role.STAFF, province=BAC_NINH)
    client.force_login(superuser)
    assert client.post(_change_url(staff), user_change_data(staff, province="")).status_code == 302
    staff.refresh_from_db()
    assert staff.province == ""


def test_the_admin_adds_staff_with_a_province(client, national, places, superuser):
    client.force_login(superuser)
    url = reverse("admin:accounts_user_add")
    data = {
        "username": "canbo_moi",
        "usable_password": "false",
        "role": "staff",
        "full_name": "Trần Mới",
        "email": "canbo_moi@example.vn",
    }
    response = client.post(url, data)
    assert response.context["adminform"].form.errors["province"] == [PROVINCE_NEEDED]
    assert client.post(url, {**data, "province": HAI_PHONG}).status_code == 302
    assert User.objects.get(username="canbo_moi").province == HAI_PHONG


# --- a facility account's province is its facilities' --------------------------------------


def test_an_official_turned_facility_account_leaves_the_old_provinces_staff(
    client, national, places, superuser, staff_bn, staff_hp
):
    _bac_ninh, hai_phong = places
    official = UserFactory(username="lanhdao_cu", role=Role.OFFICIAL, province=BAC_NINH)
    client.force_login(superuser)
    data = user_change_data(official, role="facility", province=BAC_NINH, facilities=[hai_phong.pk])

    assert client.post(_change_url(official), data).status_code == 302

    official.refresh_from_db()
    assert (official.role, official.province) == (Role.FACILITY, "")
    _assert_managed_by_hai_phong_only(client, official, staff_bn, staff_hp)


def test_a_facility_accounts_stale_province_is_not_who_manages_it(
    client, national, places, staff_bn, staff_hp
):
    """Rows saved before: a facility account still holding province 24."""
    _bac_ninh, hai_phong = places
    stale = UserFactory(username="coso_cu", role=Role.FACILITY, province=BAC_NINH)
    stale.facilities.add(hai_phong)
    ministry = UserFactory(username="bo", role=Role.MINISTRY, province=BAC_NINH)
    _assert_managed_by_hai_phong_only(client, stale, staff_bn, staff_hp)
    client.force_login(staff_bn)
    listed = {u.username for u in client.get(reverse("accounts:user_list")).context["page"]}
    assert ministry.username not in listed


def _assert_managed_by_hai_phong_only(client, account, staff_bn, staff_hp):
    client.force_login(staff_bn)
    listed = {u.username for u in client.get(reverse("accounts:user_list")).context["page"]}
    assert account.username not in listed
    tokens = reverse("accounts:user_tokens", args=[account.pk])
    assert client.get(tokens).status_code == 404
    client.force_login(staff_hp)
    listed = {u.username for u in client.get(reverse("accounts:user_list")).context["page"]}
    assert account.username in listed
    assert client.get(tokens).status_code == 200
