"""Manually entered indicators read the same everywhere (DESIGN §4): a percentage is rounded half
up to one decimal where compute_indicators builds its result, so the status, the API, the
dashboard (card, chart data, trend table), the annual workbook and the Ministry's table all have
the value shown (12.45 % is 12.5 % and meets a target of 12.5); any other value keeps what staff
entered, whole or with two decimals (1234.56 tỷ đồng stays 1234.56, 1234 người is 1.234, not
1.234,0). Indicators and values are entered through the staff pages."""

import json
import re
from html import unescape
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import PlanPeriod
from reports import indicators as ind
from reports.files import content, ministry, xlsx
from reports.models import Indicator

from .report_files_data import YEAR, build_report_data

pytestmark = pytest.mark.django_db

# YEAR (2018): MAN_PCT 12,45; the year after, 12,35.


def _create(client, period, code, unit, target):
    response = client.post(
        reverse("reports:indicator_create", args=[period.pk]),
        {
            "code": code,
            "name_vi": f"Chỉ tiêu nhập tay {code}",
            "name_en": "",
            "unit": unit,
            "method": "manual",
            "target_min": target,
            "target_max": "",
            "baseline_value": "",
            "baseline_note": "",
            "order": 9,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    return Indicator.objects.get(period=period, code=code.upper())


def _enter(client, indicator, year, value):
    response = client.post(
        reverse("reports:indicator_values", args=[indicator.pk]),
        {"year": year, "value": value, "note": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.fixture
def entered(client, staff):
    """MAN_PCT (%, target 12,5): 12,45 in 2018, 12,35 in 2019; MAN_VND (tỷ đồng, target 1.500):
    1.234,56 in 2018; DOIT_STAFF (người): 1.234 in 2018; facilities for the computed ones."""
    build_report_data()
    client.force_login(staff)
    period = PlanPeriod.objects.get(code="2016-2020")
    pct = _create(client, period, "man_pct", "%", "12,5")
    vnd = _create(client, period, "man_vnd", "tỷ đồng", "1.500")
    _enter(client, pct, YEAR, "12,45")
    _enter(client, pct, YEAR + 1, "12,35")
    _enter(client, vnd, YEAR, "1.234,56")
    _enter(client, Indicator.objects.get(period=period, code="DOIT_STAFF"), YEAR, "1.234")
    return client


def _api(client, year) -> dict:
    response = client.get(reverse("api:indicators"), {"year": year})
    assert response.status_code == 200
    return {row["code"]: row for row in response.json()["indicators"]}


def test_the_api_gives_and_judges_a_percentage_as_shown(entered):
    rows = _api(entered, YEAR)
    assert (rows["MAN_PCT"]["actual"], rows["MAN_PCT"]["status"]) == (12.5, "met")
    assert rows["MAN_VND"]["actual"] == 1234.56
    assert rows["DOIT_STAFF"]["actual"] == 1234
    assert _api(entered, YEAR + 1)["MAN_PCT"]["actual"] == 12.4


def _dashboard(client, year) -> str:
    response = client.get(reverse("reports:dashboard"), {"year": year})
    assert response.status_code == 200
    return response.content.decode()


def _card(html: str, code: str) -> str:
    start = html.index(f'indicator-card" data-code="{code}"')
    return html[start : html.index("</canvas>", start)]


def _shown(html: str, code: str) -> str:
    card = _card(html, code)
    return unescape(re.search(r'indicator-actual">(.*?)</span>', card).group(1)).strip()


def _trend_cells(html: str, code: str) -> dict[int, str]:
    start = html.index(f'trend-values-table" data-code="{code}"')
    table = html[start : html.index("</table>", start)]
    rows = re.findall(r'<th scope="row">(\d+)</th><td class="text-end">(.*?)</td>', table)
    return {int(year): unescape(text) for year, text in rows}


def _chart(html: str) -> dict:
    script = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', html)
    chart = json.loads(script.group(1))
    return {
        item["code"]: dict(zip(chart["years"], item["values"], strict=True))
        for item in chart["trend"]
    }


def test_the_dashboard_judges_a_percentage_as_shown(entered):
    html = _dashboard(entered, YEAR)
    assert _shown(html, "MAN_PCT") == "12,5"
    assert "status-met" in _card(html, "MAN_PCT")
    # The chart draws the value shown, not the one entered.
    next_year = _dashboard(entered, YEAR + 1)
    assert _chart(next_year)["MAN_PCT"][YEAR + 1] == 12.4
    assert _trend_cells(next_year, "MAN_PCT")[YEAR + 1] == "12,4"


def test_the_dashboard_writes_each_value_by_its_unit(entered):
    html = _dashboard(entered, YEAR)
    assert _shown(html, "MAN_VND") == "1.234,56"
    assert _shown(html, "DOIT_STAFF") == "1.234"
    assert _trend_cells(html, "MAN_VND")[YEAR] == "1.234,56"
    assert _trend_cells(html, "DOIT_STAFF")[YEAR] == "1.234"
    # Computed percentages keep one decimal.
    assert re.fullmatch(r"\d+,\d", _shown(html, "AWARE_PCT"))


def test_the_annual_workbook_has_the_shown_values(entered, tmp_path):
    path = tmp_path / "report.xlsx"
    xlsx.write_xlsx(content.gather(YEAR + 1, lambda percent: None), path, lambda percent: None)
    sheet = load_workbook(path)[xlsx.SHEET_INDICATORS]
    header = [cell.value for cell in sheet[1]]
    actual = header.index("actual")
    cells = {row[0].value: row[actual] for row in sheet.iter_rows(min_row=2)}
    assert (cells["MAN_PCT"].value, cells["MAN_PCT"].number_format) == (12.4, xlsx.ONE_PLACE)


def _ministry_rows(year, tmp_path) -> dict:
    path = tmp_path / "bct.xlsx"
    ministry.write_ministry_xlsx(ministry.gather(year), path, lambda percent: None)
    rows = list(load_workbook(BytesIO(path.read_bytes()))[ministry.SHEET].iter_rows())
    start = next(i for i, row in enumerate(rows) if str(row[0].value or "").startswith("I."))
    part = {}
    for row in rows[start + 2 :]:
        if all(cell.value is None for cell in row):
            break
        part[row[1].value] = row
    return part


def test_the_ministry_table_keeps_the_entered_decimals(entered, tmp_path):
    part = _ministry_rows(YEAR, tmp_path)
    result, status = 6, 9  # "Kết quả", "Đánh giá"
    vnd = part["MAN_VND"]
    assert (vnd[result].value, vnd[result].number_format) == (1234.56, "#,##0.00")
    staff_count = part["DOIT_STAFF"]
    assert (staff_count[result].value, staff_count[result].number_format) == (1234, "#,##0")
    pct = part["MAN_PCT"]
    assert (pct[result].value, pct[result].number_format) == (12.5, "#,##0.0")
    assert pct[status].value == "Đạt"
    assert part["AWARE_PCT"][result].number_format == "#,##0.0"


def test_the_officials_home_writes_a_count_whole(client, staff, official):
    """The official's home page lists the latest year's figures as the dashboard does: a head
    count as entered (1.234 người), not with a decimal (1.234,0)."""
    build_report_data()
    year = ind.default_year()
    period = PlanPeriod.objects.get(code="2016-2020")
    assert year in period.years
    client.force_login(staff)
    _enter(client, Indicator.objects.get(period=period, code="DOIT_STAFF"), year, "1.234")
    client.force_login(official)
    page = client.get(reverse("home")).text
    row = page.split('data-code="DOIT_STAFF"', 1)[1].split("</tr>", 1)[0]
    assert re.search(r'class="figure-actual">1\.234</strong>', row), row
