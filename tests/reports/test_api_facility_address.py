"""The API's facilities carry both addresses (issue 13): the pre-2025 commune, district and code
(null for a facility registered by its 2025 ward only) and the 2025 ward and code (null while
staff have not chosen it); the schema says which may be null, and the place filters work."""

import pytest
from django.urls import reverse

from tests.facilities.territory_helpers import (
    CAM_THUONG,
    THANH_DONG,
    TRAN_PHU,
    TU_MINH,
    hai_phong,  # noqa: F401 (fixture)
    new,
    old,
)

from ..factories import FacilityFactory

URL = reverse("api:facilities")
pytestmark = pytest.mark.usefixtures("hai_phong")


def test_facilities_have_both_addresses_and_nulls(client, official):
    both = FacilityFactory(commune=old(CAM_THUONG), ward=new(THANH_DONG))
    split = FacilityFactory(commune=old(TRAN_PHU), ward=None)
    ward_only = FacilityFactory(commune=None, ward=new(TU_MINH))
    client.force_login(official)

    rows = {row["id"]: row for row in client.get(URL).json()["results"]}

    assert rows[both.pk]["commune_code"] == CAM_THUONG
    assert rows[both.pk]["commune"] == "Phường Cẩm Thượng"
    assert rows[both.pk]["district"] == "Thành phố Hải Dương"
    assert (rows[both.pk]["ward_code"], rows[both.pk]["ward"]) == (THANH_DONG, "Phường Thành Đông")
    assert (rows[split.pk]["ward_code"], rows[split.pk]["ward"]) == (None, None)
    assert rows[split.pk]["commune_code"] == TRAN_PHU
    nulls = {key: rows[ward_only.pk][key] for key in ("commune_code", "commune", "district")}
    assert nulls == {"commune_code": None, "commune": None, "district": None}
    assert rows[ward_only.pk]["ward_code"] == TU_MINH


def test_the_schema_says_which_places_may_be_null(client, staff):
    client.force_login(staff)
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    properties = schema["components"]["schemas"]["Facility"]["properties"]
    for name in ("commune_code", "commune", "district", "ward_code", "ward"):
        assert properties[name]["nullable"] is True, name
    parameters = {p["name"] for p in schema["paths"][URL]["get"]["parameters"]}
    assert {"old_province", "district", "commune", "ward"} <= parameters


def test_the_place_filters(client, official):
    a = FacilityFactory(commune=old(CAM_THUONG), ward=new(THANH_DONG))
    FacilityFactory(commune=None, ward=new(TU_MINH))
    client.force_login(official)

    by_ward = client.get(URL, {"ward": new(THANH_DONG).pk}).json()["results"]
    by_province = client.get(URL, {"old_province": old(CAM_THUONG).parent.parent_id}).json()

    assert [row["id"] for row in by_ward] == [a.pk]
    assert [row["id"] for row in by_province["results"]] == [a.pk]
