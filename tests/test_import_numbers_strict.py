"""An import never rounds a number unseen (core.cells.parse_decimal): a typed number with more
decimals than the column keeps is refused, as the web form refuses it; spaces group the whole
part in threes only; a numeric XLSX cell is rounded (a float's 0.30000000000000004 is 0.3) unless
a number other than 0 would become 0. DESIGN §5 still holds: `1.234` is 1,234 with a warning."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from assessments.importing import COLUMNS
from assessments.models import AnnualReport
from core.cells import CellError, parse_decimal
from core.sheet_files import Number
from facilities.models import Facility

from .assessments.import_helpers import csv_bytes, report_row
from .facilities.import_helpers import csv_bytes as facility_csv
from .facilities.import_helpers import good_row, make_references, xlsx_bytes
from .factories import FacilityFactory
from .import_commands import run_import, run_import_failing

D = Decimal
TOO_MANY = "sau dấu thập phân: tối đa 3 chữ số"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1 234,5", D("1234.5")),
        ("1 234 567.25", D("1234567.25")),
        ("12,3450", D("12.345")),  # zeros at the end are no decimals (as on the form)
        ("0,001", D("0.001")),
        ("1.234", D("1.234")),  # DESIGN §5: the decimal mark (the import warns)
        ("12,000", D(12)),
    ],
)
def test_typed_numbers_that_are_read(text, value):
    assert parse_decimal(text) == value


@pytest.mark.parametrize("text", ["0,0001", "12,3456", "1.234.567,8912"])
def test_typed_numbers_with_too_many_decimals_are_refused(text):
    with pytest.raises(CellError, match=TOO_MANY):
        parse_decimal(text)


@pytest.mark.parametrize("text", ["1.234 567", "12 34", "1 2345", "1 234 56,5", "29 ,4", "0 500"])
def test_spaces_that_are_not_thousands_groups_are_refused(text):
    with pytest.raises(CellError, match="Không phải là số hợp lệ"):
        parse_decimal(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0.30000000000000004", D("0.3")),  # a float's artefact: never refused
        ("12.3456", D("12.346")),
        ("0.0005", D("0.001")),
        ("0", D(0)),
    ],
)
def test_numeric_xlsx_cells_are_rounded(text, value):
    assert parse_decimal(Number(text)) == value


def test_a_numeric_cell_that_would_round_to_zero_is_refused():
    with pytest.raises(CellError, match="thì thành 0"):
        parse_decimal(Number("0.0004"))


# --- the annual-report import, command and web page -------------------------------------------


def _reports_xlsx(values: list) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([column.key for column in COLUMNS])
    sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _report_values(facility, **numbers) -> list:
    row = {**report_row(facility), "year": 2019, **numbers}
    return [row.get(column.key, "") for column in COLUMNS]


@pytest.mark.django_db
def test_the_command_refuses_typed_decimals_it_would_round(tmp_path):
    facility = FacilityFactory()
    rows = [
        report_row(facility, year=2018, output="0,0001"),
        report_row(facility, year=2019, revenue_bn_vnd="12,3456"),
        report_row(facility, year=2017, water_m3="1.234 567"),
    ]
    path = tmp_path / "bao-cao.csv"
    path.write_bytes(csv_bytes(rows))

    lines = run_import_failing("import_annual_reports", path)

    assert lines[0].startswith("row 2, column output: ") and TOO_MANY in lines[0]
    assert lines[1].startswith("row 3, column revenue_bn_vnd: ") and TOO_MANY in lines[1]
    assert lines[2].startswith("row 4, column water_m3: Không phải là số hợp lệ")
    assert len(lines) == 3
    assert not AnnualReport.objects.exists()


@pytest.mark.django_db
def test_the_command_reads_space_groups_and_warns_on_a_dot_group(tmp_path):
    facility = FacilityFactory()
    row = report_row(facility, electricity_kwh="600 000,5", coal_t="1.234")
    path = tmp_path / "bao-cao.csv"
    path.write_bytes(csv_bytes([row]))

    output = run_import("import_annual_reports", path)

    assert "row 2, column coal_t: " in output  # the warning of DESIGN §5
    report = AnnualReport.objects.get()
    assert (report.electricity_kwh, report.coal_t) == (D("600000.5"), D("1.234"))


@pytest.mark.django_db
def test_numeric_xlsx_cells_are_rounded_but_never_to_zero(client, staff):
    facility = FacilityFactory()
    client.force_login(staff)
    url = reverse("assessments:report_import")
    values = _report_values(facility, capital_bn_vnd=0.0004, revenue_bn_vnd=0.1 + 0.2)
    upload = SimpleUploadedFile("bao-cao.xlsx", _reports_xlsx(values))

    response = client.post(url, {"file": upload})

    problems = [(p.row, p.column) for p in response.context["problems"]]
    assert problems == [(2, "capital_bn_vnd")]
    assert "thì thành 0" in response.text
    assert not AnnualReport.objects.exists()

    values = _report_values(facility, capital_bn_vnd=12.3456, revenue_bn_vnd=0.1 + 0.2)
    upload = SimpleUploadedFile("bao-cao.xlsx", _reports_xlsx(values))
    client.post(url, {"file": upload})

    report = AnnualReport.objects.get()
    assert (report.capital_bn_vnd, report.revenue_bn_vnd) == (D("12.346"), D("0.300"))


@pytest.mark.django_db
def test_the_web_page_names_the_row_and_column(client, staff):
    facility = FacilityFactory()
    client.force_login(staff)
    upload = SimpleUploadedFile("bao-cao.csv", csv_bytes([report_row(facility, output="0,0001")]))

    response = client.post(reverse("assessments:report_import"), {"file": upload})

    [problem] = response.context["problems"]
    assert (problem.row, problem.column) == (2, "output")
    assert TOO_MANY in problem.message
    assert not AnnualReport.objects.exists()


# --- the facility import takes the same rule --------------------------------------------------


@pytest.mark.django_db
def test_the_facility_import_refuses_typed_decimals_it_would_round(tmp_path):
    make_references()
    path = tmp_path / "co-so.csv"
    path.write_bytes(facility_csv([good_row(1, capital_bn_vnd="0,0001")]))

    lines = run_import_failing("import_facilities", path)

    assert len(lines) == 1
    assert lines[0].startswith("row 2, column capital_bn_vnd: ") and TOO_MANY in lines[0]
    assert not Facility.objects.exists()


@pytest.mark.django_db
def test_the_facility_import_refuses_a_numeric_cell_that_rounds_to_zero(tmp_path):
    make_references()
    row = good_row(1)
    row.update(capital_bn_vnd=0.0004, revenue_bn_vnd=0.1 + 0.2)
    path = tmp_path / "co-so.xlsx"
    path.write_bytes(xlsx_bytes([list(row.values())], header=list(row)))

    lines = run_import_failing("import_facilities", path)

    assert len(lines) == 1
    assert lines[0].startswith("row 2, column capital_bn_vnd: ") and "thì thành 0" in lines[0]
    assert not Facility.objects.exists()
