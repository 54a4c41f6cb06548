"""A change between two related records that read alike is still a change the history lists:
an activity moved from one "Huyện Châu Thành" to the other (old Bến Tre → old Trà Vinh), a
facility moved between the two "Xã Đồng Tiến" of Bắc Ninh (old Yên Thế and old Hiệp Hòa) —
each told apart by its parent's name, else its code (core.history)."""

import pytest
from django.urls import reverse

from core.history import history_entries

from ..assessments.test_activity_future_participation import _edit_form, _edit_url
from ..facilities.edit_helpers import post_edit
from ..factories import ActivityFactory, CommuneFactory, DistrictFactory, FacilityFactory
from ..reports.namesake_districts import BEN_TRE, TRA_VINH, build_places

pytestmark = pytest.mark.django_db


def _history_text(page: str, list_id: str) -> str:
    return page[page.index(f'id="{list_id}"') :]


def test_moving_an_activity_between_namesake_districts_is_in_its_history(settings, client, staff):
    build_places(settings)
    ben_tre = DistrictFactory(code="831")  # get_or_create: the units build_places made
    tra_vinh = DistrictFactory(code="847")
    activity = ActivityFactory(district=ben_tre)
    client.force_login(staff)
    response = client.post(_edit_url(activity), _edit_form(activity, district=str(tra_vinh.pk)))
    assert response.status_code == 302
    page = client.get(activity.get_absolute_url()).text
    assert f"Huyện: {BEN_TRE} → {TRA_VINH}</li>" in _history_text(page, "activity-history")


def test_moving_a_facility_between_namesake_communes_is_in_its_history(client, staff):
    yen_the = DistrictFactory(code="217", name="Huyện Yên Thế")
    hiep_hoa = DistrictFactory(code="222", name="Huyện Hiệp Hòa")
    first = CommuneFactory(code="07447", name="Xã Đồng Tiến", parent=yen_the)
    second = CommuneFactory(code="07624", name="Xã Đồng Tiến", parent=hiep_hoa)
    facility = FacilityFactory(commune=first)
    client.force_login(staff)
    assert post_edit(client, facility, commune=second.pk).status_code == 302
    facility.refresh_from_db()
    assert facility.commune == second
    page = client.get(reverse("facilities:detail", args=[facility.pk])).text
    change = (
        "Xã/phường (trước 1/7/2025): Xã Đồng Tiến (Huyện Yên Thế) → Xã Đồng Tiến (Huyện Hiệp Hòa)"
    )
    assert f"{change}</li>" in page


def test_units_whose_parents_also_read_alike_are_told_apart_by_their_codes(db):
    """Two "Xã Tân Thạch" under two "Huyện Châu Thành": the parents read alike too."""
    ben_tre, tra_vinh = (DistrictFactory(name="Huyện Châu Thành") for _ in range(2))
    first = CommuneFactory(code="28804", name="Xã Tân Thạch", parent=ben_tre)
    second = CommuneFactory(code="29374", name="Xã Tân Thạch", parent=tra_vinh)
    facility = FacilityFactory(commune=first)
    facility.commune = second
    facility.save()
    (_label, old, new), *_ = history_entries(facility)[0]["changes"]
    assert (old, new) == ("Xã Tân Thạch (28804)", "Xã Tân Thạch (29374)")


def test_an_unchanged_related_record_is_still_no_change(db):
    facility = FacilityFactory()
    facility.employees = (facility.employees or 0) + 5
    facility.save()
    labels = [str(label) for label, _old, _new in history_entries(facility)[0]["changes"]]
    assert labels == ["Số lao động"]
