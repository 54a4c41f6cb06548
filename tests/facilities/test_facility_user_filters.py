"""The registry list of a facility representative in a national installation (PORTAL_SCOPE=
national, DESIGN §2): its place lists are those of the province(s) of the user's own facilities,
as a province's staff get theirs — not the whole country's (another province's industrial
areas, 34 provinces, 63 old provinces). Several provinces: a province select with those only.
Also the list's page title in English."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import Role
from facilities.models import AdminUnit, IndustrialArea

from ..assessments.national_helpers import BAC_NINH, HAI_PHONG, two_province_facilities
from ..factories import DistrictFactory, ProvinceFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("facilities:list")


@pytest.fixture
def national(settings):
    settings.PORTAL_SCOPE = "national"


@pytest.fixture
def country(db):
    """Bắc Ninh (24: old 24 + 27) and Hải Phòng (31: old 30 + 31) with a facility each, an old
    district and an industrial area each, and a third 2025 province (Hà Nội) with no facility."""
    bac_ninh, hai_phong = two_province_facilities()
    for code, name in ((BAC_NINH, "Tỉnh Bắc Ninh"), ("01", "Thành phố Hà Nội")):
        ProvinceFactory(code=code, name=name, scheme=AdminUnit.Scheme.V2025)
    ProvinceFactory(code="01", name="Thành phố Hà Nội")  # an old province of Hà Nội
    hai_duong = ProvinceFactory(code="30", name="Tỉnh Hải Dương")
    kim_thanh = DistrictFactory(code="293", name="Huyện Kim Thành", parent=hai_duong)
    que_vo = bac_ninh.commune.parent
    IndustrialArea.objects.create(name="KCN Quế Võ", kind="kcn", district=que_vo)
    # Added by Hải Phòng's staff: Hải Phòng's own.
    IndustrialArea.objects.create(name="CCN Kim Thành", kind="ccn", district=kim_thanh)
    return bac_ninh, hai_phong


def representative(*facilities):
    user = UserFactory(username="coso_h6", role=Role.FACILITY)
    user.facilities.add(*facilities)
    return user


def names(form, field) -> set[str]:
    return {str(unit) for unit in form.fields[field].queryset}


def test_a_representative_is_offered_their_provinces_places_only(client, national, country):
    bac_ninh, _ = country
    client.force_login(representative(bac_ninh))

    response = client.get(URL)

    form = response.context["form"]
    assert "province" not in form.fields  # one province: nothing to choose
    assert 'name="province"' not in response.text
    assert {u.code for u in form.fields["old_province"].queryset} <= {"24", "27"}
    assert "Tỉnh Hải Dương" not in names(form, "old_province")
    assert "Thành phố Hà Nội" not in names(form, "old_province")
    assert "Huyện Kim Thành" not in names(form, "district")
    assert bac_ninh.commune.parent.name in names(form, "district")
    assert names(form, "industrial_area") == {"KCN Quế Võ"}
    assert "CCN Kim Thành" not in response.text
    assert "Phường Hồng Bàng" not in names(form, "ward")


def test_a_representative_of_two_provinces_chooses_among_those(client, national, country):
    bac_ninh, hai_phong = country
    client.force_login(representative(bac_ninh, hai_phong))

    response = client.get(URL)

    form = response.context["form"]
    assert list(form.fields)[:2] == ["q", "province"]
    assert {unit.code for unit in form.fields["province"].queryset} == {BAC_NINH, HAI_PHONG}
    # No province chosen: both provinces' places, none of a third's.
    assert {"Huyện Kim Thành", bac_ninh.commune.parent.name} <= names(form, "district")
    assert names(form, "industrial_area") == {"KCN Quế Võ", "CCN Kim Thành"}
    assert "Thành phố Hà Nội" not in names(form, "old_province")
    assert response.context["page"].paginator.count == 2

    chosen = client.get(URL, {"province": HAI_PHONG})
    form = chosen.context["form"]
    assert form.is_valid()
    assert [f.name for f in chosen.context["page"].object_list] == [hai_phong.name]
    assert names(form, "district") == {"Huyện Kim Thành"}
    assert names(form, "ward") == {"Phường Hồng Bàng"}
    assert names(form, "industrial_area") == {"CCN Kim Thành"}

    # A province outside theirs is no choice.
    assert not client.get(URL, {"province": "01"}).context["form"].is_valid()


def test_the_ministry_still_chooses_among_every_province(client, national, country):
    client.force_login(UserFactory(username="bo_h6", role=Role.MINISTRY))
    form = client.get(URL).context["form"]
    assert {BAC_NINH, HAI_PHONG, "01"} <= {unit.code for unit in form.fields["province"].queryset}
    assert not form.fields["district"].queryset.exists()


def test_the_list_title_in_english_is_a_list(client, staff, facility):
    client.force_login(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get(URL).text

    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert title.startswith("List of industrial facilities"), title


def test_the_api_filters_a_representative_of_two_provinces_by_either(client, national, country):
    bac_ninh, hai_phong = country
    client.force_login(representative(bac_ninh, hai_phong))
    api = reverse("api:facilities")

    for code, facility in ((BAC_NINH, bac_ninh), (HAI_PHONG, hai_phong)):
        response = client.get(api, {"province": code})
        assert response.status_code == 200, response.content
        assert [row["tax_code"] for row in response.json()["results"]] == [facility.tax_code]
    assert client.get(api, {"province": "01"}).status_code == 404  # not theirs
