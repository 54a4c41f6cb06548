"""A facility's address in both schemes on the pages staff use (issue 13, points 2 and 6): the
create and edit forms, the detail page, the "needs a 2025 address" list, and the registry's
search and place filters, in Hải Phòng since 2025 (old Hải Dương + old Hải Phòng)."""

import pytest
from django.urls import reverse

from facilities.models import AdminUnit, Facility
from tests.factories import FacilityFactory, IndustryCodeFactory

from .territory_helpers import (
    BAC_NINH_COMMUNE,
    BAC_NINH_WARD,
    BINH_HAN,
    CAM_THUONG,
    CAT_HAI,
    LE_THANH_NGHI,
    TAN_HUNG,
    THANH_DONG,
    TRAN_CHAU,
    TRAN_PHU,
    TU_MINH,
    hai_phong,  # noqa: F401 (fixture)
    new,
    old,
)

pytestmark = pytest.mark.usefixtures("hai_phong")

CREATE = reverse("facilities:create")
NEEDS_WARD = reverse("facilities:needs_ward")
LIST = reverse("facilities:list")


def _payload(commune=None, ward=None, **overrides):
    data = {
        "name": "Công ty TNHH Cơ khí Hải Dương",
        "tax_code": "0890830160",
        "address": "Số 5, Đường Thanh Niên",
        "commune": old(commune).pk if commune else "",
        "ward": new(ward).pk if ward else "",
        "industry": IndustryCodeFactory().pk,
        "ownership": "private",
        "status": "active",
    }
    data.update(overrides)
    return data


def _created() -> Facility:
    return Facility.objects.select_related("commune", "ward").get(tax_code="0890830160")


def _facility(commune=None, ward=None, **fields) -> Facility:
    return FacilityFactory(
        commune=old(commune) if commune else None, ward=new(ward) if ward else None, **fields
    )


# --- Create and edit ---------------------------------------------------------------------------


def test_an_old_commune_of_one_ward_fills_the_ward_in(client, staff):
    client.force_login(staff)
    response = client.post(CREATE, _payload(commune=CAM_THUONG))
    assert response.status_code == 302, response.context["form"].errors
    assert (_created().commune, _created().ward) == (old(CAM_THUONG), new(THANH_DONG))


def test_a_ward_alone_is_enough(client, staff):
    client.force_login(staff)
    assert client.post(CREATE, _payload(ward=TU_MINH)).status_code == 302
    assert (_created().commune, _created().ward) == (None, new(TU_MINH))


def test_an_old_commune_of_several_wards_saves_without_a_ward_and_says_so(client, staff):
    client.force_login(staff)
    response = client.post(CREATE, _payload(commune=TRAN_PHU), follow=True)
    assert (_created().commune, _created().ward) == (old(TRAN_PHU), None)
    assert "nay thuộc nhiều xã/phường mới" in response.text
    assert "Phường Lê Thanh Nghị (10532)" in response.text
    assert "Chưa xác định xã/phường mới" in response.text  # the detail page's badge


def test_both_must_agree_with_the_mapping(client, staff):
    client.force_login(staff)
    response = client.post(CREATE, _payload(commune=CAM_THUONG, ward=CAT_HAI))
    assert response.status_code == 200
    errors = response.context["form"].errors["ward"]
    assert (
        "Xã/phường mới “Đặc khu Cát Hải” không khớp với xã/phường cũ “Phường Cẩm Thượng”"
        in (errors[0])
    )
    assert "Phường Thành Đông (10507)" in errors[0]
    assert not Facility.objects.exists()
    assert client.post(CREATE, _payload(commune=TRAN_PHU, ward=TAN_HUNG)).status_code == 302
    assert _created().ward == new(TAN_HUNG)


def test_one_of_the_two_is_required(client, staff):
    client.force_login(staff)
    response = client.post(CREATE, _payload())
    assert response.context["form"].errors["ward"] == [
        "Cần chọn xã/phường mới (từ 1/7/2025) hoặc xã/phường cũ (trước 1/7/2025)."
    ]
    assert not Facility.objects.exists()


def test_the_lists_hold_the_units_of_the_portal_province_only(client, staff):
    client.force_login(staff)
    form = client.get(CREATE).context["form"]
    communes = form.fields["commune"].queryset
    wards = form.fields["ward"].queryset
    assert communes.filter(code=CAM_THUONG).exists() and communes.filter(code=TRAN_CHAU).exists()
    assert not communes.filter(code=BAC_NINH_COMMUNE).exists()
    assert not communes.filter(scheme=AdminUnit.Scheme.V2025).exists()
    assert wards.filter(code=THANH_DONG).exists() and not wards.filter(code=BAC_NINH_WARD).exists()
    assert not wards.filter(scheme=AdminUnit.Scheme.PRE2025).exists()
    outside = AdminUnit.objects.get(scheme="pre2025", code=BAC_NINH_COMMUNE)
    response = client.post(CREATE, {**_payload(ward=TU_MINH), "commune": outside.pk})
    assert "commune" in response.context["form"].errors
    assert not Facility.objects.exists()


def test_editing_only_the_old_commune_recomputes_the_ward(client, staff):
    facility = _facility(CAM_THUONG, THANH_DONG)
    client.force_login(staff)
    data = _payload(commune=TRAN_CHAU, ward=THANH_DONG, version=facility.version)
    data.update(name=facility.name, tax_code=facility.tax_code, industry=facility.industry_id)
    response = client.post(reverse("facilities:edit", args=[facility.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    facility.refresh_from_db()
    assert (facility.commune, facility.ward) == (old(TRAN_CHAU), new(CAT_HAI))
    before = facility.history.order_by("history_date").first()
    assert (before.commune_id, before.ward_id) == (old(CAM_THUONG).pk, new(THANH_DONG).pk)


def _edit(client, facility, commune, ward):
    data = _payload(commune=commune, ward=ward, version=facility.version)
    data.update(name=facility.name, tax_code=facility.tax_code, industry=facility.industry_id)
    return client.post(reverse("facilities:edit", args=[facility.pk]), data)


def test_an_old_commune_added_to_a_ward_only_facility_must_match_its_ward(client, staff):
    """The ward was entered on its own (no old commune): it is the user's, not one derived from
    an old commune, so an old commune added later that became another ward is refused, as on
    the create form, instead of silently replacing the ward."""
    facility = _facility(ward=THANH_DONG)
    client.force_login(staff)
    response = _edit(client, facility, TRAN_CHAU, THANH_DONG)
    assert response.status_code == 200
    assert "không khớp với xã/phường cũ" in response.context["form"].errors["ward"][0]
    facility.refresh_from_db()
    assert (facility.commune, facility.ward) == (None, new(THANH_DONG))


@pytest.mark.parametrize(("commune", "ward"), [(CAM_THUONG, THANH_DONG), (TRAN_PHU, LE_THANH_NGHI)])
def test_an_old_commune_added_to_a_ward_only_facility_keeps_its_matching_ward(
    client, staff, commune, ward
):
    """One that became that ward, alone or among several (a split commune): the ward stays."""
    facility = _facility(ward=ward)
    client.force_login(staff)
    response = _edit(client, facility, commune, ward)
    assert response.status_code == 302, response.context["form"].errors
    facility.refresh_from_db()
    assert (facility.commune, facility.ward) == (old(commune), new(ward))


def test_staff_choose_the_ward_of_a_split_commune(client, staff):
    facility = _facility(TRAN_PHU)
    client.force_login(staff)
    data = _payload(commune=TRAN_PHU, ward=LE_THANH_NGHI, version=facility.version)
    data.update(name=facility.name, tax_code=facility.tax_code, industry=facility.industry_id)
    assert client.post(reverse("facilities:edit", args=[facility.pk]), data).status_code == 302
    facility.refresh_from_db()
    assert facility.ward == new(LE_THANH_NGHI)
    assert client.get(NEEDS_WARD).context["page"].paginator.count == 0


# --- Detail page -------------------------------------------------------------------------------


def test_the_detail_page_shows_both_addresses(client, official):
    facility = _facility(BINH_HAN, THANH_DONG)
    client.force_login(official)
    page = client.get(facility.get_absolute_url()).text
    assert "Phường Thành Đông, Thành phố Hải Phòng" in page
    assert "Phường Bình Hàn, Thành phố Hải Dương, Tỉnh Hải Dương" in page
    assert "Chưa xác định xã/phường mới" not in page


def test_the_detail_page_of_a_facility_without_ward_or_old_commune(client, staff):
    split, ward_only = _facility(TRAN_PHU), _facility(ward=TU_MINH)
    client.force_login(staff)
    page = client.get(split.get_absolute_url()).text
    assert "Chưa xác định xã/phường mới" in page and "Phường Trần Phú" in page
    assert reverse("facilities:edit", args=[split.pk]) in page
    page = client.get(ward_only.get_absolute_url()).text
    assert "Phường Tứ Minh" in page and "Chưa xác định" not in page


# --- The "needs a 2025 address" list -----------------------------------------------------------


def test_needs_ward_lists_facilities_without_a_ward_with_their_candidates(client, staff):
    split = _facility(TRAN_PHU, name="Công ty TNHH Cơ khí Trần Phú")
    _facility(CAM_THUONG, THANH_DONG)
    _facility(ward=TU_MINH)
    client.force_login(staff)
    response = client.get(NEEDS_WARD)
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [split]
    assert "Phường Lê Thanh Nghị (10532), Phường Tân Hưng (10537)" in response.text
    assert reverse("facilities:edit", args=[split.pk]) in response.text
    listing = client.get(LIST).text
    assert NEEDS_WARD in listing and 'id="needs-ward-link"' in listing


def test_needs_ward_is_paginated(client, staff):
    for n in range(30):
        _facility(TRAN_PHU, name=f"Công ty {n:02d}")
    client.force_login(staff)
    first = client.get(NEEDS_WARD).context["page"]
    second = client.get(NEEDS_WARD, {"page": 2}).context["page"]
    assert (first.paginator.count, len(first.object_list), len(second.object_list)) == (30, 25, 5)


def test_needs_ward_is_for_staff_only(client, official, facility_user):
    _facility(TRAN_PHU)
    assert client.get(NEEDS_WARD).status_code == 302  # to the login page
    for user in (official, facility_user):
        client.force_login(user)
        assert client.get(NEEDS_WARD).status_code == 403
        assert NEEDS_WARD not in client.get(LIST).text


# --- Search and place filters ------------------------------------------------------------------


def _listed(client, **params) -> set[str]:
    return {f.name for f in client.get(LIST, params).context["page"].object_list}


def test_search_finds_facilities_by_old_and_new_place_names_without_accents(client, official):
    _facility(BINH_HAN, THANH_DONG, name="Công ty A")
    _facility(TRAN_PHU, name="Công ty B")
    _facility(TRAN_CHAU, CAT_HAI, name="Công ty C")
    _facility(ward=TU_MINH, name="Công ty D")
    client.force_login(official)
    assert _listed(client, q="thanh dong") == {"Công ty A"}
    assert _listed(client, q="Hải Dương") == {"Công ty A", "Công ty B"}
    assert _listed(client, q="hai duong") == {"Công ty A", "Công ty B"}
    assert _listed(client, q="binh han") == {"Công ty A"}
    assert _listed(client, q="cat hai") == {"Công ty C"}
    assert _listed(client, q="tu minh") == {"Công ty D"}


def test_search_follows_an_address_change(client, official):
    facility = _facility(CAM_THUONG, THANH_DONG, name="Công ty A")
    facility.commune, facility.ward = old(TRAN_CHAU), new(CAT_HAI)
    facility.save(update_fields=["commune", "ward"])
    client.force_login(official)
    assert _listed(client, q="cat hai") == {"Công ty A"}
    assert _listed(client, q="thanh dong") == set()


def test_place_filters(client, official):
    _facility(BINH_HAN, THANH_DONG, name="Công ty A")
    _facility(TRAN_PHU, name="Công ty B")
    _facility(TRAN_CHAU, CAT_HAI, name="Công ty C")
    client.force_login(official)
    hai_duong = AdminUnit.objects.get(scheme="pre2025", level="province", code="30")
    form = client.get(LIST).context["form"]
    assert {p.code for p in form.fields["old_province"].queryset} == {"30", "31"}
    district_provinces = {d.parent.code for d in form.fields["district"].queryset}
    assert district_provinces == {"30", "31"}
    assert _listed(client, old_province=hai_duong.pk) == {"Công ty A", "Công ty B"}
    assert _listed(client, ward=new(CAT_HAI).pk) == {"Công ty C"}
    assert _listed(client, district=old(TRAN_CHAU).parent_id) == {"Công ty C"}
    assert _listed(client, commune=old(TRAN_PHU).pk) == {"Công ty B"}
