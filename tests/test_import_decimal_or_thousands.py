"""A typed `1.234` or `12,500` in a decimal column of an import file (DESIGN §5: `,` or `.` is the
decimal mark) is read as the contract says, 1.234 and 12.5, but a Vietnamese reader may have meant
thousands: a thousandfold misreading, so the import warns, naming the row and column, and goes on.
An XLSX number cell, which holds a number and not text, is not ambiguous and gets no warning."""

from decimal import Decimal

from assessments.models import AnnualReport
from facilities.models import Facility

from .assessments.import_helpers import csv_bytes as report_csv
from .assessments.import_helpers import report_row
from .facilities.import_helpers import csv_bytes, good_row, make_references, xlsx_bytes
from .factories import FacilityFactory
from .import_commands import run_import


def run(command: str, path) -> list[str]:
    return run_import(command, path).splitlines()


def test_a_report_cell_like_1_234_is_read_as_decimals_with_a_warning(db, tmp_path):
    facility = FacilityFactory()
    rows = [
        report_row(facility, 2018, electricity_kwh="1.234", water_m3="12,500"),
        report_row(facility, 2019, electricity_kwh="1234", water_m3="12,5"),
    ]
    path = tmp_path / "bao-cao.csv"
    path.write_bytes(report_csv(rows))
    lines = run("import_annual_reports", path)
    warnings = [line for line in lines if line.startswith("row ")]
    assert warnings[0].startswith("row 2, column electricity_kwh: ")
    assert "1.234" in warnings[0] and "1234" in warnings[0]
    assert warnings[1].startswith("row 2, column water_m3: ")
    assert "12500" in warnings[1]
    assert not [line for line in warnings if line.startswith("row 3,")]
    first = AnnualReport.objects.get(year=2018)
    assert (first.electricity_kwh, first.water_m3) == (Decimal("1.234"), Decimal("12.5"))
    assert AnnualReport.objects.get(year=2019).electricity_kwh == Decimal(1234)


def test_a_facility_revenue_like_1_500_warns_but_a_number_cell_does_not(db, tmp_path, settings):
    settings.PORTAL_PROVINCE_CODE = 27
    make_references()
    path = tmp_path / "co-so.csv"
    path.write_bytes(csv_bytes([good_row(1, revenue_bn_vnd="1.500"), good_row(2)]))
    lines = run("import_facilities", path)
    assert [line.split(":")[0] for line in lines if line.startswith("row ")] == [
        "row 2, column revenue_bn_vnd"
    ]
    assert Facility.objects.get(tax_code=good_row(1)["tax_code"]).revenue_bn_vnd == Decimal("1.5")

    row = good_row(3, revenue_bn_vnd=1.5)
    path = tmp_path / "co-so.xlsx"
    path.write_bytes(xlsx_bytes([list(row.values())], row.keys()))
    assert not [line for line in run("import_facilities", path) if line.startswith("row ")]
