"""Annual-report files through `import_annual_reports`: a refused cell (a spreadsheet's error value)
is reported together with the other problems of the file, and a decimal below 1 such as `0,350`
is read as such without asking whether it means thousands."""

from decimal import Decimal

from assessments.models import AnnualReport

from ..factories import FacilityFactory
from ..import_commands import run_import, run_import_failing
from .import_helpers import csv_bytes, report_row


def test_an_error_value_and_a_bad_number_are_reported_in_one_pass(db, tmp_path):
    facility = FacilityFactory()
    rows = [
        report_row(facility, 2017, electricity_kwh="2019-05-01"),
        report_row(facility, 2018, product_unit="#N/A"),
        report_row(facility, 2019, water_m3="nhiều"),
    ]
    path = tmp_path / "bao-cao.csv"
    path.write_bytes(csv_bytes(rows))
    lines = run_import_failing("import_annual_reports", path)
    assert [line.split(":")[0] for line in lines] == [
        "row 2, column electricity_kwh",
        "row 3, column product_unit",
        "row 4, column water_m3",
    ]
    assert "01/05/2019" in lines[0]
    assert "#N/A" in lines[1]
    assert not AnnualReport.objects.exists()


def test_a_decimal_below_one_with_three_places_gets_no_thousands_warning(db, tmp_path):
    facility = FacilityFactory()
    rows = [report_row(facility, 2018, electricity_kwh="0,350", water_m3="0.125")]
    path = tmp_path / "bao-cao.csv"
    path.write_bytes(csv_bytes(rows))
    output = run_import("import_annual_reports", path)
    assert "thêm mới 1" in output
    assert not [line for line in output.splitlines() if line.startswith("row ")]
    report = AnnualReport.objects.get()
    assert (report.electricity_kwh, report.water_m3) == (Decimal("0.35"), Decimal("0.125"))
