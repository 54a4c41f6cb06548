"""The Ministry's `?province=CODE` in a national installation (DESIGN §2): a code that names no
loaded 2025 province (an old province's code, an unknown one, letters) is refused with a 400
naming the province parameter and its value, on the dashboard, the list of facilities behind a
number and the missing-reports page alike, never answered with the whole country; and the
missing-reports list of a province without a facility says so rather than "all reported"."""

import pytest
from django.urls import reverse

from facilities.models import AdminUnit

from ..factories import ProvinceFactory
from ..security.test_national_scope import national, people, places
from .indicator_helpers import YEAR

__all__ = ["national", "people", "places"]  # fixtures

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reports:dashboard")
MISSING = reverse("assessments:missing_reports")
BEHIND = reverse("reports:indicator_facilities", args=["AWARE_PCT", YEAR, "denominator"])
# "30": old Hải Dương's code (before 1/7/2025; now part of Hải Phòng, 31).
BAD_CODES = ["30", "99", "abc"]


def _refuses(response, code: str) -> None:
    assert response.status_code == 400
    text = response.content.decode()
    assert "Năm không hợp lệ" not in text
    assert f"Không có tỉnh/thành phố với mã {code}." in text


@pytest.mark.parametrize("code", BAD_CODES)
def test_the_dashboard_names_the_province_it_refuses(client, national, places, people, code):
    client.force_login(people["ministry"])
    _refuses(client.get(DASHBOARD, {"year": YEAR, "province": code}), code)


@pytest.mark.parametrize("code", BAD_CODES)
def test_the_list_behind_a_number_names_it_too(client, national, places, people, code):
    client.force_login(people["ministry"])
    _refuses(client.get(BEHIND, {"province": code}), code)


@pytest.mark.parametrize("code", BAD_CODES)
def test_the_missing_reports_page_refuses_rather_than_the_whole_country(
    client, national, places, people, code
):
    bac_ninh, hai_phong = places
    client.force_login(people["ministry"])
    response = client.get(MISSING, {"year": 2019, "province": code})
    _refuses(response, code)
    assert bac_ninh.name not in response.text and hai_phong.name not in response.text


def test_a_known_province_still_narrows_the_missing_reports(client, national, places, people):
    bac_ninh, hai_phong = places
    client.force_login(people["ministry"])
    response = client.get(MISSING, {"year": 2019, "province": hai_phong.province})
    assert response.status_code == 200
    assert [f.pk for f in response.context["page"].object_list] == [hai_phong.pk]
    # A province's staff keep their own province whatever the parameter says.
    client.force_login(people["staff_bn"])
    mine = client.get(MISSING, {"year": 2019, "province": "99"})
    assert mine.status_code == 200
    assert [f.pk for f in mine.context["page"].object_list] == [bac_ninh.pk]


@pytest.mark.parametrize("pending", ["", "1"])
def test_a_province_without_facilities_has_none_operating(
    client, national, places, people, pending
):
    ProvinceFactory(code="01", name="Thành phố Hà Nội", scheme=AdminUnit.Scheme.V2025)
    client.force_login(people["ministry"])
    response = client.get(MISSING, {"year": 2019, "pending": pending, "province": "01"})
    assert response.status_code == 200
    assert response.context["total"] == 0
    text = response.text
    assert "Tất cả cơ sở đã" not in text
    assert 'id="all-reported"' not in text
    assert text.count("Không có cơ sở nào hoạt động trong năm 2019.") == 2
