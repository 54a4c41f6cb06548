"""Annual-report files the team never made (DESIGN §5 "Annual reports"): cells and headers as
Excel and other programs write them."""

from datetime import datetime
from decimal import Decimal

from openpyxl import Workbook

from assessments.models import AnnualReport, PlanPeriod

from ..factories import FacilityFactory
from ..import_commands import run_import, run_import_failing


def run(path) -> str:
    return run_import("import_annual_reports", path)


def run_failing(path) -> list[str]:
    return run_import_failing("import_annual_reports", path)


def workbook(path, header, *rows):
    book = Workbook()
    for row in (header, *rows):
        book.active.append(row)
    book.save(path)
    return path


def test_a_date_in_the_year_cell_says_so(db, tmp_path):
    facility = FacilityFactory()
    path = workbook(
        tmp_path / "date.xlsx", ["tax_code", "year"], [facility.tax_code, datetime(2018, 1, 1)]
    )
    lines = run_failing(path)
    assert len(lines) == 1
    assert lines[0].startswith("row 2, column year: Ô chứa ngày 01/01/2018, không phải một năm")
    assert not AnnualReport.objects.exists()


def test_headers_with_plain_digits_and_line_breaks(db, tmp_path):
    facility = FacilityFactory()
    header = ["Mã số thuế", "Năm\nbáo cáo", "Khí thiên nhiên (1000 m3)", "Nước (m3)"]
    path = workbook(tmp_path / "labels.xlsx", header, [facility.tax_code, 2018, 2.5, "40"])
    run(path)
    report = AnnualReport.objects.get(facility=facility, year=2018)
    assert (report.natural_gas_1000m3, report.water_m3) == (Decimal("2.5"), Decimal("40"))


def test_a_year_outside_the_plan_periods_names_the_periods(db, tmp_path):
    facility = FacilityFactory()
    periods = list(PlanPeriod.objects.order_by("start_year"))
    assert len(periods) == 1  # the seeded period
    first, last = periods[0].start_year, periods[0].end_year
    path = tmp_path / "years.csv"
    path.write_text(
        f"tax_code,year\n{facility.tax_code},{last + 1}\n{facility.tax_code},1899\n",
        encoding="utf-8",
    )
    lines = run_failing(path)
    assert [line.split(":")[0] for line in lines] == ["row 2, column year", "row 3, column year"]
    for line, year in zip(lines, (last + 1, 1899), strict=True):
        assert f"Năm {year} không thuộc kỳ kế hoạch nào." in line
        assert f"Các năm có kỳ kế hoạch: {first}–{last};" in line
