"""Formula injection on every export: the generated report XLSX (reports.files.xlsx, built
directly) and the facility CSV/XLSX export's text columns that tests/facilities/test_export.py
does not already cover (address, contact name, industrial area)."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from facilities.import_columns import COLUMN_KEYS
from facilities.models import IndustrialArea
from reports.files import content as report_content
from reports.files import xlsx

from ..factories import CommuneFactory, DistrictFactory, FacilityFactory, ProvinceFactory
from ..reports.report_files_data import YEAR, build_report_data

pytestmark = pytest.mark.django_db

# Facility names and addresses lose outer whitespace on save, so the tab and CR payloads go
# into names of administrative units (district and commune columns, the by-district sheet).
NAMES = ['=HYPERLINK("http://x")', "+1", "-1+1", "@SUM(A1)"]
UNIT_NAMES = ["\tcmd", "\rcmd"]
PAYLOADS = NAMES + UNIT_NAMES


def _read_back(text: str) -> str:
    return text.replace("\r", "\n")  # an XML parser may read a written CR back as LF


@pytest.fixture
def report_workbook(tmp_path):
    build_report_data()
    province = ProvinceFactory(code="28", name="Tỉnh Khác")
    for n, payload in enumerate(UNIT_NAMES):
        district = DistrictFactory(code=f"9{n}0", name=payload, parent=province)
        commune = CommuneFactory(code=f"9900{n}", name=payload, parent=district)
        FacilityFactory(name=f"Công ty đơn vị {n}", commune=commune, address=NAMES[n])
    for payload in NAMES:
        FacilityFactory(name=payload, address=payload, commune=CommuneFactory())
    content = report_content.gather(YEAR, lambda percent: None)
    path = tmp_path / "bao-cao.xlsx"
    xlsx.write_xlsx(content, path, lambda percent: None)
    return load_workbook(path)


def test_report_xlsx_cell_builder_quotes_every_formula_start():
    sheet = load_workbook(io.BytesIO(_empty_xlsx())).active
    for payload in PAYLOADS:
        cell = xlsx.cell(sheet, payload)
        assert (cell.value, cell.data_type, cell.quotePrefix) == (payload, "s", True)
    assert xlsx.cell(sheet, "Công ty = 1") == "Công ty = 1"
    assert xlsx.cell(sheet, -5) == -5


def _empty_xlsx() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def test_report_xlsx_writes_every_payload_as_quoted_text(report_workbook):
    found = {}
    for sheet in report_workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value[:1] in "=+-@\t\r\n":
                    assert cell.data_type == "s", (sheet.title, cell.coordinate)
                    assert cell.quotePrefix is True, (sheet.title, cell.coordinate)
                    found.setdefault(_read_back(cell.value), set()).add(sheet.title)
    facilities = report_workbook["CoSo"]
    header = [c.value for c in facilities[1]]
    name_col, district_col = header.index("Tên cơ sở"), header.index("Huyện")
    names = {row[name_col].value for row in facilities.iter_rows(min_row=2)}
    assert set(NAMES) <= names
    for payload in UNIT_NAMES:
        assert {"CoSo", "TheoHuyen"} <= found[_read_back(payload)]
    districts = {
        _read_back(row[district_col].value or "") for row in facilities.iter_rows(min_row=2)
    }
    assert {_read_back(p) for p in UNIT_NAMES} <= districts


@pytest.fixture
def dangerous_facilities(settings):
    settings.PORTAL_PROVINCE_CODE = 27
    rows = []
    for n, payload in enumerate(NAMES):
        area = IndustrialArea.objects.create(name=f"{payload} KCN {n}")
        rows.append(
            FacilityFactory(
                name=f"Công ty {n}",
                address=payload,
                contact_name=payload,
                industrial_area=area,
            )
        )
    return rows


def test_facility_csv_export_quotes_every_text_column(client, staff, dangerous_facilities):
    client.force_login(staff)
    response = client.get(reverse("facilities:export"), {"format": "csv"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert len(rows) == len(NAMES)
    for row in rows:
        for key in ("address", "contact_name", "industrial_area"):
            assert row[key].startswith("'"), (key, row[key])
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def test_facility_xlsx_export_quotes_every_text_column(client, staff, dangerous_facilities):
    client.force_login(staff)
    response = client.get(reverse("facilities:export"), {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header, *rows = list(sheet.iter_rows())
    assert [c.value for c in header] == list(COLUMN_KEYS)
    assert len(rows) == len(NAMES)
    # As stored, each a text cell with Excel's quote prefix (core.text.xlsx_cell), no "'" added.
    for row in rows:
        cells = dict(zip(COLUMN_KEYS, row, strict=True))
        for key in ("address", "contact_name", "industrial_area"):
            assert cells[key].value.startswith(tuple(NAMES)), (key, cells[key].value)
            assert (cells[key].data_type, cells[key].quotePrefix) == ("s", True), key
        for cell in row:
            assert cell.data_type != "f"
            if isinstance(cell.value, str):
                assert cell.data_type == "s"
                if cell.value.startswith(("=", "+", "-", "@", "\t", "\r")):
                    assert cell.quotePrefix is True, cell.value
