"""Table II.2 "Diễn biến qua các năm" of a document for a year in which no annual report has been
approved yet (the demo's 2026) says what table II.1 says for that year: the cumulative indicators
(AWARE_PCT, APPLY_PCT: reports of any year up to it, activities, options; DESIGN §4) keep their
value; only those measured on the year's own reports (SAVING_PCT, ENT_UNIT_PCT, …:
`reports.indicators.YEAR_BOUND_CODES`) are "–". The dashboard's trend charts follow the same
rule, and the note under the table still names the year.

The data: two large facilities (300 people) operate in 2018; one has an approved 2017 report
saying aware and applies_cp; their 2018 reports are only submitted."""

import json
import re

import pytest
from django.urls import reverse
from docx import Document

from reports.files import content, docx
from reports.files.numbers import fmt_value
from reports.indicators import YEAR_BOUND_CODES, compute_indicators

from .indicator_helpers import YEAR, facility, report

pytestmark = pytest.mark.django_db

CUMULATIVE = ("AWARE_PCT", "APPLY_PCT")


@pytest.fixture
def year_without_reports(db):
    first = facility(name="Công ty Giấy Phong Khê", employees=300)
    second = facility(name="Công ty Gốm Phù Lãng", employees=300)
    report(first, YEAR - 1, aware=True, applies_cp=True)
    report(first, YEAR, state="submitted", has_cp_unit=True)
    report(second, YEAR, state="submitted", has_cp_unit=True)


def trend_table(path) -> tuple[list[str], dict[str, list[str]]]:
    """The header and the rows (by indicator name) of the document's trend table."""
    document = Document(path)
    for table in document.tables:
        cells = [[cell.text for cell in row.cells] for row in table.rows]
        if str(YEAR) in cells[0] and cells[0][1] == "Chỉ tiêu":
            return cells[0], {row[1]: row for row in cells[1:]}
    raise AssertionError("no trend table")


def test_the_trend_table_shows_the_cumulative_values_of_an_unreported_year(
    year_without_reports, tmp_path
):
    results = compute_indicators(YEAR)
    assert results.reported == 0
    gathered = content.gather(YEAR, lambda percent: None)
    path = tmp_path / "report.docx"
    docx.write_docx(gathered, path, lambda percent: None)

    header, rows = trend_table(path)
    column = header.index(str(YEAR))
    for result in results.results:
        if not result.is_computed:
            continue
        shown = rows[result.indicator.name_vi][column]
        # The year's value of table II.1 (compute_indicators), written the same way.
        assert shown == fmt_value(result.value.actual, result.indicator.unit), result.code
        if result.code in CUMULATIVE:
            assert result.value.actual is not None and shown != "–"
        if result.code in YEAR_BOUND_CODES:
            assert result.value.actual is None and shown == fmt_value(None, "%")
    # The note under the table still names the year without reports.
    assert str(YEAR) in docx.trend_note(gathered)
    assert YEAR in gathered.trend_unreported


def test_the_content_trend_equals_each_years_indicators(year_without_reports):
    gathered = content.gather(YEAR, lambda percent: None)
    for row in gathered.trend:
        for year, value in zip(gathered.trend_years, row.values, strict=True):
            expected = compute_indicators(year).value(row.code)
            assert value == (expected.actual if expected else None), (row.code, year)


def test_the_dashboard_trend_follows_the_same_rule(client, official, year_without_reports):
    client.force_login(official)
    page = client.get(reverse("reports:dashboard"), {"year": YEAR}).text
    data = re.search(
        r'<script id="dashboard-data" type="application/json">(.*?)</script>', page, re.S
    )
    chart = json.loads(data.group(1))
    column = chart["years"].index(YEAR)
    results = compute_indicators(YEAR)
    for series in chart["trend"]:
        expected = results.value(series["code"]).actual
        shown = series["values"][column]
        assert shown == (float(expected) if expected is not None else None), series["code"]
    by_code = {series["code"]: series["values"][column] for series in chart["trend"]}
    assert by_code["AWARE_PCT"] == by_code["APPLY_PCT"] == 50.0
    assert by_code["ENT_UNIT_PCT"] is None and by_code["SAVING_PCT"] is None
