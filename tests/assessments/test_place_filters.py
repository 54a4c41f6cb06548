"""The district filter of the assessment, activity and annual-report lists in a national
installation (PORTAL_SCOPE=national, DESIGN §2), for the users whose scope is not one province's
staff: a facility representative is offered the old districts of their facilities' province, not
the country's 697; the Ministry chooses a 2025 province first, as on its registry list, and the
districts are then that province's (a district named by a link is read without one)."""

import pytest
from django.urls import reverse

from accounts.models import Role
from facilities.models import AdminUnit

from ..factories import (
    ActivityFactory,
    AnnualReportFactory,
    AssessmentFactory,
    DistrictFactory,
    FacilityFactory,
    ProvinceFactory,
    UserFactory,
)
from .national_helpers import BAC_NINH, HAI_PHONG, national

__all__ = ["national"]  # fixtures

pytestmark = pytest.mark.django_db

ASSESSMENTS, ACTIVITIES, REPORTS = (
    "assessments:assessment_list",
    "assessments:activity_list",
    "assessments:report_list",
)


@pytest.fixture
def country(db):
    """A facility in old Bắc Ninh's Quế Võ (now 24) and one in old Hải Dương's Kim Thành (now
    Hải Phòng 31), each with an assessment, an annual report and an activity it took part in."""
    for code, name in ((BAC_NINH, "Tỉnh Bắc Ninh"), (HAI_PHONG, "Thành phố Hải Phòng")):
        ProvinceFactory(code=code, name=name, scheme=AdminUnit.Scheme.V2025)
    hai_duong = ProvinceFactory(code="30", name="Tỉnh Hải Dương")
    que_vo = DistrictFactory(code="256", name="Huyện Quế Võ")
    kim_thanh = DistrictFactory(code="293", name="Huyện Kim Thành", parent=hai_duong)
    facilities = []
    for name, district in (("Gốm Quế Võ", que_vo), ("Cơ khí Kim Thành", kim_thanh)):
        facility = FacilityFactory(name=name, commune__parent=district)
        AssessmentFactory(facility=facility)
        AnnualReportFactory(facility=facility, year=2019)
        activity = ActivityFactory(title=f"Hội thảo {district.name}", district=district)
        activity.participation_set.create(facility=facility, people=2)
        facilities.append(facility)
    return facilities, (que_vo, kim_thanh)


def offered(response) -> set[str]:
    return {unit.name for unit in response.context["form"].fields["district"].queryset}


def rows(response) -> list:
    return list(response.context["page"].object_list)


@pytest.mark.parametrize("url_name", [ASSESSMENTS, ACTIVITIES])
def test_a_representative_is_offered_their_provinces_districts(client, national, country, url_name):
    (bac_ninh, _), _ = country
    user = UserFactory(username="coso_h6", role=Role.FACILITY)
    user.facilities.add(bac_ninh)
    client.force_login(user)

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    assert offered(response) == {"Huyện Quế Võ"}
    assert "province" not in response.context["form"].fields
    assert "Huyện Kim Thành" not in response.text


@pytest.mark.parametrize("url_name", [ASSESSMENTS, ACTIVITIES, REPORTS])
def test_the_ministry_chooses_a_province_before_a_district(client, national, country, url_name):
    (_, in_hai_phong), (_, kim_thanh) = country
    client.force_login(UserFactory(username="bo_h6", role=Role.MINISTRY))
    url = reverse(url_name)

    everything = client.get(url)
    form = everything.context["form"]
    assert "province" in form.fields
    assert {BAC_NINH, HAI_PHONG} <= {unit.code for unit in form.fields["province"].queryset}
    assert offered(everything) == set()  # not the country's 697
    assert "Chọn tỉnh, thành phố trước" in everything.text
    assert len(rows(everything)) == 2

    one = client.get(url, {"province": HAI_PHONG})
    assert one.context["form"].is_valid()
    assert offered(one) == {"Huyện Kim Thành"}
    assert len(rows(one)) == 1

    # A district named by a link is read without choosing its province.
    linked = client.get(url, {"district": kim_thanh.pk})
    assert linked.context["form"].is_valid()
    assert offered(linked) == {"Huyện Kim Thành"}
    assert len(rows(linked)) == 1
    row = rows(linked)[0]
    assert (row.district if url_name == ACTIVITIES else row.facility) in (kim_thanh, in_hai_phong)


def test_a_representatives_report_list_has_no_place_filters(client, national, country):
    (bac_ninh, _), _ = country
    user = UserFactory(username="coso_h6", role=Role.FACILITY)
    user.facilities.add(bac_ninh)
    client.force_login(user)

    form = client.get(reverse(REPORTS)).context["form"]

    assert not {"province", "district"} & set(form.fields)
