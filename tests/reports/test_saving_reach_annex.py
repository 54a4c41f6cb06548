"""The workbook's facilities sheet (`CoSo`) against SAVING_PCT's "reaching 8 %" (DESIGN §4).

The indicator counts a facility whose energy intensity fell by 8 % or more, unrounded; a facility
at 7.96 % does not reach it, though one decimal half up would show it as 8.0. The sheet marks each
facility of the indicator's denominator "có"/"không" from the indicator's own condition, and never
writes a value at the line for a facility below it, so counting the sheet gives the document's
figure. Coal 0.60 TOE/t, 1000 units of output: 100 t -> 92.04 t is 7.96 %, -> 92 t is 8 % exactly.
(The PDF and DOCX annex lists no saving figure: nothing there to contradict.)"""

from decimal import Decimal
from io import BytesIO
from itertools import zip_longest

import pytest
from openpyxl import load_workbook

from reports.facts import TOTAL, group_counts
from reports.figures import shown_saving
from reports.files import content, xlsx

from ..factories import AnnualReportFactory, FacilityFactory
from .report_files_data import YEAR, build_report_data

pytestmark = pytest.mark.django_db

SAVING = "Tiết kiệm năng lượng/đơn vị SP (%)"
REACHES = "Đạt mức tiết kiệm ≥ 8 %"
BELOW = "Cơ sở giảm 7,96 %"
AT = "Cơ sở giảm đúng 8 %"
BEER = "Công ty Cổ phần Bia Quế Võ"  # report_files_data: 20 %, applies
PAPER_MILL = "Công ty TNHH Giấy Phong Khê"  # applies, no saving figure


def _saving_facility(name: str, coal_t: str, like) -> None:
    f = FacilityFactory(name=name, commune=like.commune, industry=like.industry)
    AnnualReportFactory(facility=f, year=YEAR - 1, output=1000, coal_t=100, electricity_kwh=0)
    AnnualReportFactory(
        facility=f,
        year=YEAR,
        output=1000,
        coal_t=Decimal(coal_t),
        electricity_kwh=0,
        aware=True,
        applies_cp=True,
    )


@pytest.fixture
def workbook(tmp_path):
    data = build_report_data()
    _saving_facility(BELOW, "92.04", data.facilities[0])
    _saving_facility(AT, "92", data.facilities[0])
    path = tmp_path / "report.xlsx"
    xlsx.write_xlsx(content.gather(YEAR, lambda percent: None), path, lambda percent: None)
    return load_workbook(BytesIO(path.read_bytes()), read_only=True)


def _facilities(workbook) -> dict[str, dict]:
    header, *body = workbook["CoSo"].iter_rows(values_only=True)
    # A write-only sheet leaves empty trailing cells out of a row.
    return {row[1]: dict(zip_longest(header, row)) for row in body}


def _saving_indicator(workbook) -> tuple[int, int]:
    row = next(r for r in workbook["ChiTieu"].iter_rows(values_only=True) if r[0] == "SAVING_PCT")
    return row[5], row[6]  # numerator, denominator


def test_only_the_facility_at_8_percent_is_marked_reaching(workbook):
    rows = _facilities(workbook)
    assert rows[BELOW][REACHES] == "không"
    assert rows[AT][REACHES] == "có"
    assert rows[BEER][REACHES] == "có"
    # Not in the indicator's denominator (no saving figure): neither yes nor no.
    assert rows[PAPER_MILL][SAVING] is None and rows[PAPER_MILL][REACHES] is None


def test_a_facility_below_the_line_is_never_shown_at_it(workbook):
    rows = _facilities(workbook)
    assert rows[BELOW][SAVING] == 7.9  # 7.96 half up would read 8.0
    assert rows[AT][SAVING] == 8
    assert rows[BEER][SAVING] == 20


def test_counting_the_sheet_gives_the_indicators_numerator(workbook):
    numerator, denominator = _saving_indicator(workbook)
    rows = _facilities(workbook).values()
    assert (numerator, denominator) == (2, 3)
    assert numerator == group_counts([YEAR])[YEAR][TOTAL][None].reaching_8
    assert sum(row[REACHES] == "có" for row in rows) == numerator
    assert sum(row[REACHES] is not None for row in rows) == denominator
    # Whoever counts the values themselves gets the same figure.
    assert sum((row[SAVING] or 0) >= 8 for row in rows) == numerator


@pytest.mark.parametrize(
    ("saving", "reaching", "shown"),
    [
        (Decimal("7.9796"), False, Decimal("7.9")),  # the demo data's case
        (Decimal("7.95"), False, Decimal("7.9")),
        (Decimal("7.94"), False, Decimal("7.9")),  # half up already below: unchanged
        (Decimal("7.86"), False, Decimal("7.9")),  # ordinary half up away from the line
        (Decimal("8"), True, Decimal("8.0")),
        (Decimal("8.04"), True, Decimal("8.0")),
        (Decimal("45.45"), True, Decimal("45.5")),
        (Decimal("-3.25"), False, Decimal("-3.3")),
        (None, False, None),
    ],
)
def test_shown_saving(saving, reaching, shown):
    assert shown_saving(saving, reaching=reaching) == shown
