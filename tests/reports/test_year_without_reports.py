"""A year of the plan in which no annual report has been approved yet (the demo's 2026): the
indicators measured on the reports of the year itself (ENT_UNIT_PCT, SAVING_PCT) have no data, and
every output says so alike — the API, the dashboard's cards and tables, the PDF/DOCX content and
the XLSX — while the cumulative ones (AWARE_PCT, APPLY_PCT, from earlier reports) are graded.

The data, worked out by hand: two large facilities (300 people) operate in 2018; one has an
approved 2017 report saying aware and applies_cp; their 2018 reports are only submitted.
AWARE_PCT = APPLY_PCT = 1/2 = 50 % (2018 milestones: 74 % and 40 %: not met, met);
ENT_UNIT_PCT: 0 of the 2 medium/large facilities, but no approved 2018 report: no data.
"""

import re
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.files import content, xlsx

from .indicator_helpers import YEAR, facility, report

pytestmark = pytest.mark.django_db

API = reverse("api:indicators")
DASHBOARD = reverse("reports:dashboard")


@pytest.fixture
def year_without_reports(db):
    first = facility(name="Công ty Giấy Phong Khê", employees=300)
    second = facility(name="Công ty Gốm Phù Lãng", employees=300)
    report(first, YEAR - 1, aware=True, applies_cp=True)
    report(first, YEAR, state="submitted", has_cp_unit=True)
    report(second, YEAR, state="submitted", has_cp_unit=True)


def _api(client, user, **params) -> dict:
    client.force_login(user)
    response = client.get(API, {"year": YEAR, **params})
    assert response.status_code == 200, response.content
    return response.json()


def test_the_api_says_no_data_for_a_year_bound_indicator(client, official, year_without_reports):
    items = {item["code"]: item for item in _api(client, official)["indicators"]}

    ent_unit = items["ENT_UNIT_PCT"]
    assert (ent_unit["actual"], ent_unit["status"]) == (None, "no_data")
    # The facilities behind it are still counted: none of the 2 has a unit on record.
    assert (ent_unit["numerator"], ent_unit["denominator"]) == (0, 2)
    assert (items["SAVING_PCT"]["actual"], items["SAVING_PCT"]["status"]) == (None, "no_data")
    # The cumulative ones have data from the 2017 report.
    assert (items["AWARE_PCT"]["actual"], items["AWARE_PCT"]["status"]) == (50.0, "not_met")
    assert (items["APPLY_PCT"]["actual"], items["APPLY_PCT"]["status"]) == (50.0, "met")


def test_the_api_groups_say_no_data_as_well(client, official, year_without_reports):
    body = _api(client, official, group="sector")

    for group in body["groups"]:
        items = {item["code"]: item for item in group["indicators"]}
        assert (items["ENT_UNIT_PCT"]["actual"], items["ENT_UNIT_PCT"]["status"]) == (
            None,
            "no_data",
        )
        assert items["AWARE_PCT"]["status"] in ("met", "not_met")


def test_the_schema_describes_the_no_data_status(client, staff):
    client.force_login(staff)
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    components = schema["components"]["schemas"]
    item = components["IndicatorValue"]["properties"]

    status = item["status"]["allOf"][0]["$ref"].rsplit("/", 1)[-1]
    assert "no_data" in components[status]["enum"]
    assert item["actual"]["nullable"] is True
    assert "no_data" in item["status"]["description"]
    assert "chưa có báo cáo năm nào được duyệt" in item["status"]["description"]


def _card(page: str, code: str) -> str:
    start = page.index(f'indicator-card" data-code="{code}"')
    end = page.find("indicator-card", start + 20)
    return page[start : end if end > 0 else None]


def test_the_dashboard_card_says_no_data(client, official, year_without_reports):
    client.force_login(official)

    page = client.get(DASHBOARD, {"year": YEAR}).content.decode()

    card = _card(page, "ENT_UNIT_PCT")
    assert "Chưa có số liệu" in card
    assert "Chưa đạt" not in card
    actual = re.search(r'class="display-6 indicator-actual">([^<]*)<', card).group(1)
    assert actual == "—"
    # No progress bar standing at 0 for a value nobody has.
    assert "progress-bar" not in card
    aware = _card(page, "AWARE_PCT")
    assert "Chưa đạt" in aware
    assert re.search(r'indicator-actual">([^<]*)<', aware).group(1) == "50,0"


def test_the_dashboard_tables_of_groups_write_a_dash(client, official, year_without_reports):
    client.force_login(official)

    response = client.get(DASHBOARD, {"year": YEAR, "group": "sector"})

    for row in response.context["group_rows"]:
        assert row.values["ENT_UNIT_PCT"].actual is None
        assert row.values["AWARE_PCT"].actual is not None


def test_the_documents_and_the_workbook_agree(year_without_reports, tmp_path):
    gathered = content.gather(YEAR, lambda percent: None)
    rows = {row.code: row for row in gathered.indicators}
    assert (rows["ENT_UNIT_PCT"].actual, rows["ENT_UNIT_PCT"].status) == (None, "no_data")
    assert rows["ENT_UNIT_PCT"].status_label == "Chưa có số liệu"

    path = tmp_path / "report.xlsx"
    xlsx.write_xlsx(gathered, path, lambda percent: None)
    sheet = load_workbook(BytesIO(path.read_bytes()))["ChiTieu"]
    chi_tieu = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert chi_tieu["ENT_UNIT_PCT"][4].value is None
    assert (chi_tieu["ENT_UNIT_PCT"][5].value, chi_tieu["ENT_UNIT_PCT"][6].value) == (0, 2)
    assert chi_tieu["AWARE_PCT"][4].value == 50


def test_the_overall_assessment_matches_the_grades(year_without_reports):
    gathered = content.gather(YEAR, lambda percent: None)

    overall = dict(gathered.summary)["Đánh giá chung các chỉ tiêu"]
    # The table grades AWARE "Chưa đạt" and APPLY "Đạt"; ENT_UNIT and SAVING have no data.
    assert overall == (
        "Chưa đánh giá được đầy đủ (chưa có báo cáo năm nào của năm được duyệt): "
        "1/2 chỉ tiêu có số liệu đạt mục tiêu; 2 chỉ tiêu chưa có số liệu"
    )
