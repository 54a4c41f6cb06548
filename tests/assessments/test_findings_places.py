"""assessments:quality_findings by place: since 1 July 2025 the province's units are its 2025
communes/wards (DESIGN §3), so the findings are filtered and counted by 2025 ward as well as by
old district (old years' reports sit in old units): a chosen year counts by the place it is
counted by elsewhere (deadlines.place_field), no year by both. The XLSX export names both."""

import html
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from assessments.models import QualityFinding, QualityRule
from facilities import territory
from facilities.models import AdminUnit

from ..factories import AnnualReportFactory, DistrictFactory, FacilityFactory, UserFactory
from .national_helpers import BAC_NINH, HP_FACILITY, national, staff_bn, two_provinces

__all__ = ["national", "staff_bn", "two_provinces"]  # fixtures

URL = reverse("assessments:quality_findings")
pytestmark = pytest.mark.django_db


def _province(code, name):
    return AdminUnit.objects.get_or_create(
        scheme=AdminUnit.Scheme.V2025, code=code, defaults={"name": name, "level": "province"}
    )[0]


def _ward(province, code, name):
    return AdminUnit.objects.create(
        code=code, name=name, level="commune", scheme=AdminUnit.Scheme.V2025, parent=province
    )


def _finding(facility, year):
    report = AnnualReportFactory(facility=facility, year=year, state="submitted")
    rule = QualityRule.objects.order_by("pk").first()
    return QualityFinding.objects.create(report=report, rule=rule, severity="warning", message="x")


@pytest.fixture
def places(db):
    province = _province(territory.portal_province_code(), "Tỉnh Bắc Ninh")
    elsewhere = _province("01", "Thành phố Hà Nội")
    return {
        "que_vo": DistrictFactory(code="256", name="Huyện Quế Võ"),
        "tien_du": DistrictFactory(code="260", name="Huyện Tiên Du"),
        "kinh_bac": _ward(province, "09169", "Phường Kinh Bắc"),
        "vo_cuong": _ward(province, "09187", "Phường Võ Cường"),
        "ba_dinh": _ward(elsewhere, "00004", "Phường Ba Đình"),
    }


@pytest.fixture
def findings(places):
    """A facility in both schemes (findings of 2019 and 2026), one registered by its 2025 ward
    only (2026), one of an old district without a 2025 ward (2019)."""
    both = FacilityFactory(
        name="Cơ sở A hai địa chỉ", commune__parent=places["que_vo"], ward=places["kinh_bac"]
    )
    ward_only = FacilityFactory(name="Cơ sở B mới đăng ký", commune=None, ward=places["vo_cuong"])
    old_only = FacilityFactory(name="Cơ sở C chưa có xã mới", commune__parent=places["tien_du"])
    return {
        "both_2019": _finding(both, 2019),
        "both_2026": _finding(both, 2026),
        "ward_only_2026": _finding(ward_only, 2026),
        "old_only_2019": _finding(old_only, 2019),
    }


def _listed(response) -> set:
    return set(response.context["page"].object_list)


def _tables(response) -> dict:
    """Table name -> {place name (None: no such place): count}."""
    return {
        table["name"]: {row["place_name"]: row["n"] for row in table["rows"]}
        for table in response.context["by_place"]
    }


def test_the_ward_filter_narrows_the_findings(client, staff, places, findings):
    client.force_login(staff)
    response = client.get(URL, {"ward": places["vo_cuong"].pk})
    assert response.status_code == 200
    assert not response.context["form"].errors
    assert _listed(response) == {findings["ward_only_2026"]}
    both = client.get(URL, {"ward": places["kinh_bac"].pk})
    assert _listed(both) == {findings["both_2019"], findings["both_2026"]}


def test_the_district_filter_still_works(client, staff, places, findings):
    client.force_login(staff)
    response = client.get(URL, {"district": places["que_vo"].pk})
    assert _listed(response) == {findings["both_2019"], findings["both_2026"]}
    response = client.get(URL, {"district": places["tien_du"].pk, "year": 2019})
    assert _listed(response) == {findings["old_only_2019"]}


def test_the_filter_offers_the_provinces_wards(client, staff, places):
    client.force_login(staff)
    page = client.get(URL).text
    assert "Xã/phường (từ 1/7/2025)" in page and "Huyện (trước 2025)" in page
    assert "Phường Kinh Bắc</option>" in page and "Phường Võ Cường</option>" in page
    assert "Phường Ba Đình" not in page


def test_a_ward_of_another_province_is_refused(client, staff, places, findings):
    client.force_login(staff)
    response = client.get(URL, {"ward": places["ba_dinh"].pk})
    assert response.status_code == 200
    assert "ward" in response.context["form"].errors
    assert response.context["page"].paginator.count == 4  # ignored, as a bad district is


def test_with_no_year_the_findings_are_counted_by_district_and_by_ward(
    client, staff, places, findings
):
    client.force_login(staff)
    response = client.get(URL)
    assert _tables(response) == {
        "district": {"Huyện Quế Võ": 2, "Huyện Tiên Du": 1, None: 1},
        "ward": {"Phường Kinh Bắc": 2, "Phường Võ Cường": 1, None: 1},
    }
    page = response.text
    assert "Theo huyện (trước 2025)" in page and "Theo xã/phường (từ 1/7/2025)" in page
    assert f'href="?ward={places["kinh_bac"].pk}">Phường Kinh Bắc</a>' in page
    assert f'href="?district={places["que_vo"].pk}">Huyện Quế Võ</a>' in page
    assert "Chưa xác định xã/phường mới" in page


def test_a_year_is_counted_by_the_place_of_its_scheme(client, staff, places, findings):
    client.force_login(staff)
    later = client.get(URL, {"year": 2026})
    assert _tables(later) == {"ward": {"Phường Kinh Bắc": 1, "Phường Võ Cường": 1}}
    assert f'href="?year=2026&amp;ward={places["vo_cuong"].pk}">Phường Võ Cường</a>' in later.text
    assert "Theo huyện (trước 2025)" not in later.text
    earlier = client.get(URL, {"year": 2019})
    assert _tables(earlier) == {"district": {"Huyện Quế Võ": 1, "Huyện Tiên Du": 1}}
    assert "Theo xã/phường (từ 1/7/2025)" not in earlier.text


def test_each_finding_shows_the_place_of_its_reports_year(client, staff, places, findings):
    client.force_login(staff)
    page = client.get(URL, {"district": places["que_vo"].pk}).text
    table = page[page.index('id="finding-table"') :]
    assert "Huyện Quế Võ</td>" in table  # the 2019 report
    assert "Phường Kinh Bắc</td>" in table  # the 2026 report


def test_the_export_names_the_2025_ward(client, staff, places, findings):
    client.force_login(staff)
    response = client.get(URL, {"format": "xlsx"})
    header, *rows = load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    ward = header.index("Xã/phường (từ 1/7/2025)")
    assert header[ward - 1] == "Huyện (trước 2025)"  # next to the district
    facility = header.index("Cơ sở")
    places_of = {(row[facility], row[ward - 1] or "", row[ward] or "") for row in rows}
    assert places_of == {
        ("Cơ sở A hai địa chỉ", "Huyện Quế Võ", "Phường Kinh Bắc"),
        ("Cơ sở B mới đăng ký", "", "Phường Võ Cường"),
        ("Cơ sở C chưa có xã mới", "Huyện Tiên Du", ""),
    }


def test_queries_do_not_grow_with_the_wards_or_findings(
    client, staff, places, findings, django_assert_max_num_queries
):
    client.force_login(staff)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    province = places["kinh_bac"].parent
    for number in range(8):
        ward = _ward(province, f"0920{number}", f"Phường Thử {number}")
        facility = FacilityFactory(commune__parent=DistrictFactory(), ward=ward)
        _finding(facility, 2026)
        _finding(facility, 2019)
    with django_assert_max_num_queries(len(few)):
        response = client.get(URL)
    assert response.context["page"].paginator.count == 20
    assert len(_tables(response)["ward"]) == 11


# --- a national installation -----------------------------------------------------------------


@pytest.fixture
def bac_ninh_ward(db):
    return _ward(_province(BAC_NINH, "Tỉnh Bắc Ninh"), "09169", "Phường Kinh Bắc")


def test_a_provinces_staff_are_offered_their_provinces_wards(
    client, national, two_provinces, staff_bn, bac_ninh_ward
):
    hai_phong_ward = two_provinces[1].ward
    for facility in two_provinces:
        _finding(facility, 2026)
    client.force_login(staff_bn)
    response = client.get(URL)
    assert list(response.context["form"].fields["ward"].queryset) == [bac_ninh_ward]
    assert hai_phong_ward.name not in response.text
    # Another province's ward is no filter of theirs, and shows nothing of it.
    response = client.get(URL, {"ward": hai_phong_ward.pk})
    assert "ward" in response.context["form"].errors
    assert HP_FACILITY not in response.text


def test_the_ministry_chooses_the_province_first(client, national, two_provinces, bac_ninh_ward):
    for facility in two_provinces:
        _finding(facility, 2026)
    ministry = UserFactory(username="bo_ct", role=Role.STAFF, is_superuser=True)
    client.force_login(ministry)
    response = client.get(URL)
    assert "province" in response.context["form"].fields
    assert response.context["page"].paginator.count == 2
    response = client.get(URL, {"province": BAC_NINH})
    assert list(response.context["form"].fields["ward"].queryset) == [bac_ninh_ward]
    assert response.context["page"].paginator.count == 1
    assert HP_FACILITY not in response.text


def _links(page: str, card: str) -> dict:
    """Link text -> href of the count links of one summary card (findings-by-<card>)."""
    part = page[page.index(f'id="findings-by-{card}"') :]
    part = part[: part.index("</ul>")]
    return {
        text: html.unescape(href) for href, text in re.findall(r'href="([^"]+)">([^<]+)</a>', part)
    }


def test_each_count_opens_the_list_it_counts(client, staff, places, findings):
    """A count link keeps the page's other filters (its own replaced, the page dropped): the
    list it opens holds as many findings as the count said."""
    client.force_login(staff)
    page = client.get(URL, {"year": 2026, "severity": "warning", "page": 1}).text
    ward_link = _links(page, "ward")["Phường Võ Cường"]
    assert "year=2026" in ward_link and "severity=warning" in ward_link
    assert f"ward={places['vo_cuong'].pk}" in ward_link and "page=" not in ward_link
    narrowed = client.get(URL, {"year": 2026, "ward": places["kinh_bac"].pk}).text
    rule_link = next(iter(_links(narrowed, "rule").values()))
    assert "year=2026" in rule_link and f"ward={places['kinh_bac'].pk}" in rule_link
    # Each count of the 2019 district card, followed, lists that many findings.
    earlier = client.get(URL, {"year": 2019})
    counts = {row["place_name"]: row["n"] for row in earlier.context["by_place"][0]["rows"]}
    for name, href in _links(earlier.text, "district").items():
        opened = client.get(URL + href)
        assert opened.context["page"].paginator.count == counts[name], name


def test_the_place_with_the_most_findings_comes_first(client, staff, places, findings):
    """Most findings first, whatever the names' order: Võ Cường's two before Kinh Bắc's one."""
    report = findings["ward_only_2026"].report
    rule = QualityRule.objects.exclude(pk=findings["ward_only_2026"].rule_id).first()
    QualityFinding.objects.create(report=report, rule=rule, severity="warning", message="y")
    client.force_login(staff)
    response = client.get(URL, {"year": 2026})
    [table] = response.context["by_place"]
    assert [(row["place_name"], row["n"]) for row in table["rows"]] == [
        ("Phường Võ Cường", 2),
        ("Phường Kinh Bắc", 1),
    ]
    assert list(_links(response.text, "ward")) == ["Phường Võ Cường", "Phường Kinh Bắc"]
