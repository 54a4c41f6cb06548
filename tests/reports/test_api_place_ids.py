"""A national installation's Ministry filters the facility API (and the list page) by the id of
any district, commune or ward, without naming a province first, as the schema promises (no
`province` is required); a province's staff still get 404 for another province's unit. And the
schema's `q` is one string schema that "" satisfies, as the server answers `?q=`."""

import json

import jsonschema
import pytest
from django.urls import reverse

from accounts.models import Role
from facilities.models import AdminUnit

from ..assessments.national_helpers import (
    BAC_NINH,
    BN_FACILITY,
    HP_FACILITY,
    national,
    staff_bn,
    staff_hp,
    two_provinces,
)
from ..factories import ProvinceFactory, UserFactory

__all__ = ["national", "staff_bn", "staff_hp", "two_provinces"]  # fixtures

pytestmark = pytest.mark.django_db

FACILITIES = "/api/v1/facilities/"
PROBLEM = "application/problem+json"


@pytest.fixture
def ministry(db):
    return UserFactory(username="bo_cong_thuong", role=Role.MINISTRY)


def _names(response):
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


def _not_found(response):
    assert response.status_code == 404, response.content
    assert response["Content-Type"] == PROBLEM


def test_the_ministry_filters_by_any_units_id_without_a_province(
    client, national, two_provinces, ministry
):
    bac_ninh, hai_phong = two_provinces
    client.force_login(ministry)

    assert _names(client.get(FACILITIES, {"district": bac_ninh.commune.parent_id})) == [BN_FACILITY]
    assert _names(client.get(FACILITIES, {"commune": bac_ninh.commune_id})) == [BN_FACILITY]
    assert _names(client.get(FACILITIES, {"ward": hai_phong.ward_id})) == [HP_FACILITY]
    # As by code, and with the province named too.
    ProvinceFactory(code=BAC_NINH, name="Tỉnh Bắc Ninh", scheme=AdminUnit.Scheme.V2025)
    assert _names(client.get(FACILITIES, {"district_code": bac_ninh.commune.parent.code})) == [
        BN_FACILITY
    ]
    assert _names(
        client.get(FACILITIES, {"province": "24", "district": bac_ninh.commune.parent_id})
    ) == [BN_FACILITY]


def test_the_ministry_gets_404_only_for_an_id_naming_no_unit_of_that_kind(
    client, national, two_provinces, ministry
):
    bac_ninh, hai_phong = two_provinces
    client.force_login(ministry)

    _not_found(client.get(FACILITIES, {"district": 999999}))
    # A commune's id is no district, a 2025 ward's no old commune.
    _not_found(client.get(FACILITIES, {"district": bac_ninh.commune_id}))
    _not_found(client.get(FACILITIES, {"commune": hai_phong.ward_id}))


def test_a_provinces_staff_get_404_for_another_provinces_unit(
    client, national, two_provinces, staff_bn, staff_hp
):
    bac_ninh, hai_phong = two_provinces
    district = bac_ninh.commune.parent_id

    client.force_login(staff_hp)
    _not_found(client.get(FACILITIES, {"district": district}))
    _not_found(client.get(FACILITIES, {"commune": bac_ninh.commune_id}))
    assert _names(client.get(FACILITIES, {"ward": hai_phong.ward_id})) == [HP_FACILITY]

    client.force_login(staff_bn)
    assert _names(client.get(FACILITIES, {"district": district})) == [BN_FACILITY]
    _not_found(client.get(FACILITIES, {"ward": hai_phong.ward_id}))


def test_the_ministrys_list_page_reads_a_unit_id_and_shows_it_chosen(
    client, national, two_provinces, ministry
):
    bac_ninh, _ = two_provinces
    district = bac_ninh.commune.parent
    client.force_login(ministry)
    url = reverse("facilities:list")

    everything = client.get(url)
    assert f">{district.name}</option>" not in everything.text  # no country-wide list

    narrowed = client.get(url, {"district": district.pk})
    assert narrowed.context["form"].is_valid(), narrowed.context["form"].errors
    assert narrowed.context["page"].paginator.count == 1
    assert BN_FACILITY in narrowed.text and HP_FACILITY not in narrowed.text
    assert f'<option value="{district.pk}" selected>{district.name}</option>' in narrowed.text

    other = AdminUnit.objects.create(
        code="998",
        name="Huyện Khác",
        level=AdminUnit.Level.DISTRICT,
        scheme=AdminUnit.Scheme.PRE2025,
        parent=district.parent,
    )
    # Each request offers its own unit, not the one the first request's rendering cached.
    again = client.get(url, {"district": other.pk})
    assert f'<option value="{other.pk}" selected>Huyện Khác</option>' in again.text
    assert f">{district.name}</option>" not in again.text


def test_the_schemas_q_admits_the_empty_text_the_server_answers(client, staff):
    client.force_login(staff)
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    (q,) = (p for p in schema["paths"][FACILITIES]["get"]["parameters"] if p["name"] == "q")

    assert q["schema"] == {"type": "string", "maxLength": 200, "pattern": "^[^\\u0000]*$"}
    for text in ("", "gốm", "x" * 200):
        jsonschema.validate(text, q["schema"])
        assert client.get(FACILITIES, {"q": text}).status_code == 200
    for text in ("x" * 201, "a\x00b"):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(text, q["schema"])
        answer = client.get(FACILITIES, {"q": text})
        assert answer.status_code == 400
        assert [p["name"] for p in json.loads(answer.content)["invalid_params"]] == ["q"]
