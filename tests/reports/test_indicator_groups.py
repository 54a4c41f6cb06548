"""Every computed indicator for every grouping of facilities (DESIGN §4, §5; issue 13 point 3,
issue 14 point 4): old province, old district, 2025 commune/ward, VSIC division, high pollution
risk, key energy user. Groups add up to the whole, facilities without an old commune or a ward
have a group of their own ("none"), each group figure lists its facilities, and the API, the
dashboard and the default grouping of a year follow.

The province here is 2025 Hải Phòng: old Hải Dương (30) and old Hải Phòng (31).

| facility | old commune (district, province) | ward  | VSIC | flags      | 2017 → 2018          |
|----------|----------------------------------|-------|------|------------|----------------------|
| a        | 10507 (288, 30)                  | 10526 | 10   | high risk  | applies; 20 % saving |
| b        | 11311 (303, 31)                  | none  | 10   | key energy | applies; 5 % saving  |
| c        | none (registered by ward only)   | 10526 | 13   | –          | aware (2018)         |
| d        | 10507 (288, 30)                  | 10526 | 13   | both       | no report            |

(a: coal 100 → 80 t for the same output, b: 100 → 95 t.)
"""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import PlanPeriod
from facilities.models import AdminUnit
from reports import fact_table
from reports import indicators as ind
from reports.facts import indicator_facilities
from reports.figures import PARTS
from reports.groupings import GROUPINGS, default_grouping

from ..factories import CommuneFactory, DistrictFactory, IndustryCodeFactory, ProvinceFactory
from .indicator_helpers import YEAR, facility, report

API = reverse("api:indicators")
DASHBOARD = reverse("reports:dashboard")
CODES = ("AWARE_PCT", "APPLY_PCT", "SAVING_PCT", "ENT_UNIT_PCT")
KEYS = {
    # Every facility is in Hải Phòng since 2025 (31): old Hải Dương 30 merged into it.
    "province": {"31"},
    "old_province": {"30", "31", "none"},
    "old_district": {"288", "303", "none"},
    "ward": {"10526", "none"},
    "sector": {"10", "13"},
    "high_pollution_risk": {"true", "false"},
    "key_energy_user": {"true", "false"},
}


@pytest.fixture
def place(db):
    hai_duong = ProvinceFactory(code="30", name="Tỉnh Hải Dương")
    hai_phong = ProvinceFactory(code="31", name="Thành phố Hải Phòng")
    city = DistrictFactory(code="288", name="Thành phố Hải Dương", parent=hai_duong)
    hong_bang = DistrictFactory(code="303", name="Quận Hồng Bàng", parent=hai_phong)
    new_province = AdminUnit.objects.create(
        code="31",
        name="Thành phố Hải Phòng",
        level=AdminUnit.Level.PROVINCE,
        scheme=AdminUnit.Scheme.V2025,
    )
    ward = AdminUnit.objects.create(
        code="10526",
        name="Phường Hải Dương",
        level=AdminUnit.Level.COMMUNE,
        scheme=AdminUnit.Scheme.V2025,
        parent=new_province,
    )
    return {
        "commune_hd": CommuneFactory(code="10507", name="Phường Trần Hưng Đạo", parent=city),
        "commune_hp": CommuneFactory(code="11311", name="Phường Quán Toan", parent=hong_bang),
        "ward": ward,
    }


@pytest.fixture
def data(place):
    textiles = IndustryCodeFactory(code="13", name="Dệt")
    a = facility(
        name="Công ty Bia Hải Dương",
        commune=place["commune_hd"],
        ward=place["ward"],
        high_pollution_risk=True,
    )
    b = facility(name="Công ty Thép Quán Toan", commune=place["commune_hp"], key_energy_user=True)
    c = facility(name="Công ty Dệt Phường Mới", commune=None, ward=place["ward"], industry=textiles)
    d = facility(
        name="Công ty Dệt Trần Hưng Đạo",
        commune=place["commune_hd"],
        ward=place["ward"],
        industry=textiles,
        high_pollution_risk=True,
        key_energy_user=True,
    )
    report(a, YEAR - 1, applies_cp=True)
    report(a, YEAR, applies_cp=True, coal_t=Decimal(80))
    report(b, YEAR - 1, applies_cp=True)
    report(b, YEAR, applies_cp=True, coal_t=Decimal(95))
    report(c, YEAR, aware=True)
    return {"a": a, "b": b, "c": c, "d": d}


def _ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def test_every_grouping_adds_up_to_the_whole(data):
    results = ind.compute_indicators(YEAR)

    assert results.operating == 4
    assert set(results.groups) == set(GROUPINGS)
    for grouping, rows in results.groups.items():
        assert {row.key for row in rows} == KEYS[grouping], grouping
        assert sum(row.operating for row in rows) == results.operating
        for code in CODES:
            whole = results.value(code)
            parts = ("numerator", "denominator", "reaching_8") if code == "SAVING_PCT" else PARTS
            for part in parts:
                total = sum(getattr(row.values[code], part) for row in rows)
                assert total == getattr(whole, part), (grouping, code, part)


def test_groups_hold_the_right_facilities_and_values(data):
    results = ind.compute_indicators(YEAR)
    groups = {g: {row.key: row for row in rows} for g, rows in results.groups.items()}

    # The 2018 saving: a's 20 % and b's 5 %, each alone in its old province.
    assert results.value("SAVING_PCT").actual == Decimal("12.5")
    assert groups["old_province"]["30"].values["SAVING_PCT"].actual == Decimal("20.0")
    assert groups["old_province"]["31"].values["SAVING_PCT"].actual == Decimal("5.0")
    assert groups["old_province"]["30"].values["SAVING_PCT"].reaching_8 == 1
    # c has no old commune: the "after 1 July 2025" group of both old groupings.
    for grouping in ("old_province", "old_district"):
        none = groups[grouping]["none"]
        assert none.operating == 1 and none.values["AWARE_PCT"].numerator == 1
        assert none.label == "Không có địa bàn cũ (chỉ khai xã/phường mới)"
        assert results.groups[grouping][-1].key == "none"  # listed last
    # b's old commune was split: no ward chosen yet.
    assert groups["ward"]["none"].operating == 1
    assert groups["ward"]["none"].label == "Chưa xác định xã/phường mới"
    assert groups["ward"]["10526"].operating == 3
    # Units named as they were.
    assert groups["old_province"]["30"].label == "Tỉnh Hải Dương"
    assert groups["old_district"]["303"].label == "Quận Hồng Bàng"
    assert groups["ward"]["10526"].label == "Phường Hải Dương"
    assert groups["sector"]["13"].label.startswith("13 – Dệt")
    assert groups["high_pollution_risk"]["true"].operating == 2
    assert groups["key_energy_user"]["true"].values["APPLY_PCT"].actual == Decimal("50.0")


@pytest.mark.parametrize("grouping", GROUPINGS)
def test_each_group_figure_lists_its_facilities(data, grouping):
    results = ind.compute_indicators(YEAR)

    for row in results.groups[grouping]:
        for code in CODES:
            figure = row.values[code]
            for part in PARTS:
                listed = indicator_facilities(code, YEAR, part, grouping=grouping, key=row.key)
                assert listed.count() == getattr(figure, part), (row.key, code, part)


def test_the_facilities_of_a_group_are_those_of_its_unit(data):
    a, b, c, d = data["a"], data["b"], data["c"], data["d"]

    def denominator(grouping, key):
        return _ids(
            indicator_facilities("AWARE_PCT", YEAR, "denominator", grouping=grouping, key=key)
        )

    assert denominator("old_province", "30") == {a.pk, d.pk}
    assert denominator("old_district", "none") == {c.pk}
    assert denominator("ward", "none") == {b.pk}
    assert denominator("sector", "13") == {c.pk, d.pk}
    assert denominator("high_pollution_risk", "true") == {a.pk, d.pk}
    assert denominator("key_energy_user", "false") == {a.pk, c.pk}


def test_the_number_of_queries_is_fixed(data, django_assert_max_num_queries):
    fact_table.flush()  # the stored facts of the new facilities (a fixed cost, tested apart)
    # Period, indicators, milestones, manual values, token, facts state and marks, counts, unit
    # names, divisions.
    with django_assert_max_num_queries(11):
        ind.compute_years(range(2016, 2021), period=ind.period_for(YEAR))


def test_the_default_grouping_follows_the_territory_of_the_year():
    assert default_grouping(2016) == default_grouping(2024) == "old_district"
    assert default_grouping(2025) == default_grouping(2030) == "ward"


# --- drill-down page ---------------------------------------------------------------------------


def _list_url(code="AWARE_PCT", part="denominator", year=YEAR):
    return reverse("reports:indicator_facilities", args=[code, year, part])


def test_a_group_figure_opens_its_facilities(client, official, data):
    client.force_login(official)

    by_ward = client.get(_list_url(), {"group": "ward", "key": "none"})
    by_risk = client.get(
        _list_url("APPLY_PCT", "numerator"), {"group": "high_pollution_risk", "key": "true"}
    )

    assert list(by_ward.context["page"].object_list) == [data["b"]]
    page = by_ward.content.decode()
    assert "Theo xã/phường (từ 1/7/2025)" in page and "Chưa xác định xã/phường mới" in page
    assert list(by_risk.context["page"].object_list) == [data["a"]]


@pytest.mark.parametrize(
    "query",
    [
        {"group": "province_of_mars", "key": "1"},
        {"group": "ward"},
        {"key": "30"},
        {"group": "key_energy_user", "key": "yes"},
        {"group": "ward", "key": "1' OR '1'='1"},
    ],
)
def test_a_bad_group_is_a_400(client, official, data, query):
    client.force_login(official)

    assert client.get(_list_url(), query).status_code == 400


# --- API ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("grouping", GROUPINGS)
def test_the_api_answers_each_grouping_adding_up_to_the_whole(client, official, data, grouping):
    client.force_login(official)

    whole = client.get(API, {"year": YEAR}).json()
    response = client.get(API, {"year": YEAR, "group": grouping})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"year", "group", "groups"}
    assert (body["year"], body["group"]) == (YEAR, grouping)
    assert {group["key"] for group in body["groups"]} == KEYS[grouping]
    computed = [item for item in whole["indicators"] if item["code"] in CODES]
    for group in body["groups"]:
        assert set(group) == {"key", "name", "indicators"} and group["name"]
        assert [item["code"] for item in group["indicators"]] == list(CODES)
        for item, province in zip(group["indicators"], computed, strict=True):
            assert set(item) == set(province)
            assert (item["name"], item["unit"], item["target"]) == (
                province["name"],
                province["unit"],
                province["target"],
            )
    for index, province in enumerate(computed):
        for part in ("numerator", "denominator"):
            total = sum(group["indicators"][index][part] for group in body["groups"])
            assert total == province[part], (province["code"], part)


def test_the_api_names_groups_by_code(client, official, data):
    client.force_login(official)

    body = client.get(API, {"year": YEAR, "group": "old_province"}).json()

    names = {group["key"]: group["name"] for group in body["groups"]}
    assert names == {
        "30": "Tỉnh Hải Dương",
        "31": "Thành phố Hải Phòng",
        "none": "Không có địa bàn cũ (chỉ khai xã/phường mới)",
    }


def test_the_ungrouped_answer_keeps_its_shape(client, official, data):
    client.force_login(official)

    body = client.get(API, {"year": YEAR}).json()

    assert set(body) == {"year", "indicators"}


@pytest.mark.parametrize("group", ["province_of_mars", "", "WARD", "district"])
def test_an_unknown_group_is_a_400_naming_the_parameter(client, official, data, group):
    client.force_login(official)

    response = client.get(API, {"year": YEAR, "group": group})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert [p["name"] for p in body["invalid_params"]] == ["group"]
    assert "group" in body["detail"]


def test_the_schema_documents_the_group_and_both_answers(client, staff):
    client.force_login(staff)
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()

    operation = schema["paths"][API]["get"]
    group = next(p for p in operation["parameters"] if p["name"] == "group")
    assert group.get("required", False) is False
    enum = (
        group["schema"].get("enum")
        or schema["components"]["schemas"][group["schema"]["$ref"].rsplit("/", 1)[1]]["enum"]
    )
    assert set(enum) == set(GROUPINGS)
    answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
    components = schema["components"]["schemas"]
    shapes = components[answer["$ref"].rsplit("/", 1)[1]]["oneOf"]
    required = [set(components[s["$ref"].rsplit("/", 1)[1]]["required"]) for s in shapes]
    assert {"year", "indicators"} in required and {"year", "group", "groups"} in required


# --- dashboard ---------------------------------------------------------------------------------


@pytest.mark.parametrize("grouping", GROUPINGS)
def test_the_dashboard_switches_the_grouping(
    client, official, data, grouping, django_assert_max_num_queries
):
    client.force_login(official)
    client.get(DASHBOARD, {"year": YEAR})  # warm the session

    # The year with the groupings shown and the period's totals: two computations.
    with django_assert_max_num_queries(19):
        response = client.get(DASHBOARD, {"year": YEAR, "group": grouping})

    assert response.status_code == 200
    assert response.context["grouping"] == grouping
    assert {row.key for row in response.context["group_rows"]} == KEYS[grouping]
    page = response.content.decode()
    assert f'data-grouping="{grouping}"' in page
    numerator = reverse("reports:indicator_facilities", args=["AWARE_PCT", YEAR, "numerator"])
    key = response.context["group_rows"][0].key
    assert f"{numerator}?group={grouping}&amp;key={key}" in page


def test_every_cell_of_the_group_table_links_its_own_figure(client, official, data):
    """Each row's cells link their own indicator's numerator and denominator (the links are
    reversed once per page and reused: a reuse across codes would link the wrong list)."""
    client.force_login(official)
    response = client.get(DASHBOARD, {"year": YEAR, "group": "old_district"})
    page = response.content.decode()
    rows = response.context["group_rows"]
    assert len(rows) > 1
    for row in rows:
        for code in row.table_values:
            for part in ("numerator", "denominator"):
                url = reverse("reports:indicator_facilities", args=[code, YEAR, part])
                assert f"{url}?group=old_district&amp;key={row.key}" in page, (code, part)
    linked = set(re.findall(r'href="(/reports/indicators/[^"?]+)\?group=old_district', page))
    assert len(linked) == 2 * len(rows[0].table_values)


def test_the_dashboard_defaults_to_the_place_grouping_of_the_year(client, official, data):
    PlanPeriod.objects.create(
        code="KH2021", name="Kế hoạch 2021–2025", start_year=2021, end_year=2025
    )
    client.force_login(official)

    before = client.get(DASHBOARD, {"year": YEAR})
    after = client.get(DASHBOARD, {"year": 2025})

    assert before.context["grouping"] == "old_district"
    assert after.context["grouping"] == "ward"
    assert "Theo xã/phường (từ 1/7/2025)" in after.content.decode()


def test_the_dashboard_links_the_priority_groups(client, official, data):
    client.force_login(official)

    page = client.get(DASHBOARD, {"year": YEAR}).content.decode()

    for grouping in ("high_pollution_risk", "key_energy_user"):
        assert f"?group={grouping}&amp;key=true" in page
        assert f"?year={YEAR}&amp;group={grouping}" in page


def test_the_dashboard_refuses_an_unknown_grouping(client, official, data):
    client.force_login(official)

    response = client.get(DASHBOARD, {"year": YEAR, "group": "province_of_mars"})

    assert response.status_code == 400
    assert "Cách nhóm cơ sở không hợp lệ" in response.content.decode()


# --- report files --------------------------------------------------------------------------------


def _workbook(tmp_path, year):
    from openpyxl import load_workbook

    from reports.files import content, xlsx

    path = tmp_path / "report.xlsx"
    xlsx.write_xlsx(content.gather(year, lambda percent: None), path, lambda percent: None)
    return load_workbook(path, read_only=True)


def _column(workbook, sheet, index=0):
    return [row[index] for row in workbook[sheet].iter_rows(min_row=2, values_only=True)]


def test_a_report_before_2025_is_by_old_district_and_old_province(settings, data, tmp_path):
    settings.PORTAL_PROVINCE_CODE = 30  # 2025 Hải Phòng: old Hải Dương and old Hải Phòng

    workbook = _workbook(tmp_path, YEAR)

    assert workbook.sheetnames[:5] == [
        "ChiTieu",
        "TheoHuyen",
        "TheoTinhCu",
        "TheoNganh",
        "NhomUuTien",
    ]
    assert _column(workbook, "TheoTinhCu") == [
        "Thành phố Hải Phòng",
        "Tỉnh Hải Dương",
        "Không có địa bàn cũ (chỉ khai xã/phường mới)",
    ]
    assert _column(workbook, "TheoTinhCu", 1) == [1, 2, 1]
    assert _column(workbook, "NhomUuTien", 1) == [2, 2]


def test_a_report_from_2025_is_by_ward(settings, data, tmp_path):
    settings.PORTAL_PROVINCE_CODE = 30
    PlanPeriod.objects.create(
        code="KH2021", name="Kế hoạch 2021–2025", start_year=2021, end_year=2025
    )

    workbook = _workbook(tmp_path, 2025)

    assert "TheoXaPhuong" in workbook.sheetnames and "TheoHuyen" not in workbook.sheetnames
    assert _column(workbook, "TheoXaPhuong") == ["Phường Hải Dương", "Chưa xác định xã/phường mới"]
    assert _column(workbook, "TheoXaPhuong", 1) == [3, 1]
