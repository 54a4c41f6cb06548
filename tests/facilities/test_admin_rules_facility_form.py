"""The Django admin's facility form applies the staff form's rules (FacilityRulesMixin): a
closing year neither in the future nor before the established year, a 2025 ward that the old
commune became part of, and a sector that is a VSIC division or finer (not a section letter).
A superuser's change that breaks one is refused with the staff form's message and changes
nothing; one that keeps them is saved."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from facilities.models import AdminUnit, Facility

from ..factories import CommuneFactory, FacilityFactory, IndustryCodeFactory, UserFactory

pytestmark = pytest.mark.django_db

V2025 = AdminUnit.Scheme.V2025


@pytest.fixture
def superuser(db, client):
    user = UserFactory(
        username="quantri_admin_rules", role=Role.STAFF, is_staff=True, is_superuser=True
    )
    client.force_login(user)
    return user


def _ward(code: str, name: str, province: AdminUnit) -> AdminUnit:
    return AdminUnit.objects.create(
        code=code, name=name, level="commune", scheme=V2025, parent=province
    )


@pytest.fixture
def place(settings):
    """Old Xã Dĩnh Trì became Phường Bắc Giang only; Phường Đa Mai is another 2025 ward."""
    settings.PORTAL_PROVINCE = None
    settings.PORTAL_PROVINCE_CODE = 27
    province = AdminUnit.objects.create(
        code="24", name="Tỉnh Bắc Ninh", level="province", scheme=V2025
    )
    bac_giang = _ward("07210", "Phường Bắc Giang", province)
    da_mai = _ward("07228", "Phường Đa Mai", province)
    dinh_tri = CommuneFactory(code="07264", name="Xã Dĩnh Trì")
    dinh_tri.successors.add(bac_giang)
    return {"commune": dinh_tri, "bac_giang": bac_giang, "da_mai": da_mai}


@pytest.fixture
def facility(place):
    return FacilityFactory(
        name="Công ty TNHH Bao Bì Dĩnh Trì",
        commune=place["commune"],
        ward=place["bac_giang"],
        industry=IndustryCodeFactory(code="17", level=2, name="Sản xuất giấy"),
        established_year=2010,
    )


def _admin_change(client, facility, **changes):
    """Post the admin's change form with its current values, `changes` over them."""
    url = reverse("admin:facilities_facility_change", args=[facility.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: "" if v is None else v for k, v in data.items() if v is not False}
    data.update(changes)
    return client.post(url, data)


def _errors(response) -> dict:
    assert response.status_code == 200
    return {k: list(v) for k, v in response.context["adminform"].form.errors.items()}


# --- The closing year -------------------------------------------------------------------------


def test_admin_refuses_a_closing_year_in_the_future(client, superuser, facility):
    future = timezone.localdate().year + 1
    response = _admin_change(client, facility, status="closed", closed_year=str(future))

    assert _errors(response) == {"closed_year": ["Năm đóng cửa không được ở tương lai."]}
    assert "Năm đóng cửa không được ở tương lai." in response.text
    facility.refresh_from_db()
    assert (facility.status, facility.closed_year) == ("active", None)


def test_admin_refuses_a_closing_year_before_the_established_year(client, superuser, facility):
    response = _admin_change(client, facility, status="closed", closed_year="2005")

    assert _errors(response) == {"closed_year": ["Năm đóng cửa không được trước năm thành lập."]}
    facility.refresh_from_db()
    assert (facility.status, facility.closed_year) == ("active", None)


def test_admin_closes_a_facility_in_a_past_year(client, superuser, facility):
    response = _admin_change(client, facility, status="closed", closed_year="2019")

    assert response.status_code == 302
    facility.refresh_from_db()
    assert (facility.status, facility.closed_year) == ("closed", 2019)


# --- The old commune and its 2025 ward --------------------------------------------------------


def test_admin_refuses_a_ward_the_old_commune_did_not_become(client, superuser, place, facility):
    response = _admin_change(client, facility, ward=str(place["da_mai"].pk))

    assert _errors(response) == {
        "ward": [
            "Xã/phường mới “Phường Đa Mai” không khớp với xã/phường cũ “Xã Dĩnh Trì”: "
            "xã/phường cũ này nay thuộc Phường Bắc Giang (07210)."
        ]
    }
    facility.refresh_from_db()
    assert facility.ward == place["bac_giang"]


def test_admin_refuses_an_old_commune_that_did_not_become_the_ward(
    client, superuser, place, facility
):
    other = CommuneFactory(code="07270", name="Xã Song Khê")
    other.successors.add(place["da_mai"])

    response = _admin_change(client, facility, commune=str(other.pk))

    assert list(_errors(response)) == ["ward"]
    assert "Phường Đa Mai (07228)" in response.context["adminform"].form.errors["ward"][0]
    facility.refresh_from_db()
    assert facility.commune == place["commune"]


def test_admin_saves_a_ward_the_old_commune_became(client, superuser, place, facility):
    # Xã Dĩnh Trì split: both its 2025 wards are right.
    place["commune"].successors.add(place["da_mai"])

    response = _admin_change(client, facility, ward=str(place["da_mai"].pk))

    assert response.status_code == 302
    facility.refresh_from_db()
    assert facility.ward == place["da_mai"]


def test_admin_saves_any_ward_of_an_old_commune_without_known_successors(client, superuser, place):
    facility = FacilityFactory(commune=CommuneFactory(), ward=place["bac_giang"])

    response = _admin_change(client, facility, ward=str(place["da_mai"].pk))

    assert response.status_code == 302
    facility.refresh_from_db()
    assert facility.ward == place["da_mai"]


# --- The sector -------------------------------------------------------------------------------


def test_admin_refuses_a_vsic_section_letter(client, superuser, facility):
    section = IndustryCodeFactory(code="A", level=1, name="Nông nghiệp, lâm nghiệp và thủy sản")

    response = _admin_change(client, facility, industry=str(section.pk))

    assert list(_errors(response)) == ["industry"]
    facility.refresh_from_db()
    assert facility.industry.code == "17"


def test_admin_saves_a_finer_vsic_code(client, superuser, facility):
    group = IndustryCodeFactory(code="1701", level=4, name="Sản xuất bột giấy, giấy và bìa")

    response = _admin_change(client, facility, industry=str(group.pk))

    assert response.status_code == 302
    assert Facility.objects.get(pk=facility.pk).industry == group
