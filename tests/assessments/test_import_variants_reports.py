"""Annual-report files as other programs write them (DESIGN §5 "Annual reports"), through
`import_annual_reports`: a spreadsheet's error values, Excel's text mark, and a re-import."""

import pytest

from assessments.models import AnnualReport

from ..factories import FacilityFactory
from ..import_commands import run_import, run_import_failing
from .import_helpers import csv_bytes, report_row


def run(path) -> str:
    return run_import("import_annual_reports", path)


def run_failing(path) -> list[str]:
    return run_import_failing("import_annual_reports", path)


@pytest.mark.parametrize("error", ["#N/A", "#REF!"])
def test_an_error_value_in_the_product_unit_is_refused_not_stored(db, tmp_path, error):
    # A unit looked up with a formula that found nothing: stored, it would make the report a
    # unit of its own (SAVING, benchmark) instead of the file being corrected.
    facility = FacilityFactory()
    path = tmp_path / "bao-cao.csv"
    path.write_bytes(
        csv_bytes([report_row(facility, 2018), report_row(facility, 2019, product_unit=error)])
    )
    lines = run_failing(path)
    assert len(lines) == 1
    assert lines[0].startswith("row 3, column product_unit: ")
    assert error in lines[0]
    assert not AnnualReport.objects.exists()


def test_a_tax_code_marked_as_text_finds_its_facility_and_reimport_replaces(db, tmp_path):
    facility = FacilityFactory()
    path = tmp_path / "bao-cao.csv"
    path.write_bytes(
        csv_bytes([report_row(facility, 2018, tax_code="'" + facility.tax_code, employees="'80")])
    )
    assert "thêm mới 1, thay thế 0" in run(path)
    assert "thêm mới 0, thay thế 1" in run(path)
    report = AnnualReport.objects.get()
    assert (report.facility, report.year, report.employees) == (facility, 2018, 80)
