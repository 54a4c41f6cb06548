"""The facility import template's lists and drop-downs, and import errors that name the column
as the uploaded file heads it, with its letter (issue 16 point 7)."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries

from core.spreadsheets import problems_as_dicts
from facilities import import_columns
from facilities.import_columns import COLUMN_KEYS, LABELS
from facilities.importing import plan_file
from facilities.models import Facility

from ..factories import make_tax_code
from .import_helpers import (
    AREA,
    COMMUNE,
    COMMUNE_2,
    FOREIGN_COMMUNE,
    WARD,
    confirm_import,
    good_row,
)
from .import_helpers import make_references as make_reference_units

IMPORT = reverse("facilities:import")
CONFIRM = reverse("facilities:import_confirm")
TEMPLATE = reverse("facilities:import_template")
LISTED = (
    "commune_code",
    "ward_code",
    "vsic_code",
    "industrial_area",
    "ownership",
    "high_pollution_risk",
    "key_energy_user",
    "status",
)


@pytest.fixture(autouse=True)
def references(db, settings):
    settings.PORTAL_PROVINCE_CODE = 27
    make_reference_units()


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def template(staff_client):
    response = staff_client.get(TEMPLATE)
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def letter_of(key: str) -> str:
    return get_column_letter(COLUMN_KEYS.index(key) + 1)


def validation_of(sheet, key: str):
    """The data validation covering row 2 of the column of `key`, if any."""
    cell = f"{letter_of(key)}2"
    found = [dv for dv in sheet.data_validations.dataValidation if cell in dv.sqref]
    return found[0] if found else None


def listed_values(workbook, formula: str) -> list[str]:
    """The values of a list validation's range (`'Sheet'!$A$2:$A$9`)."""
    sheet_name, cells = formula.split("!")
    sheet = workbook[sheet_name.strip("'")]
    min_col, min_row, max_col, max_row = range_boundaries(cells.replace("$", ""))
    return [
        row[0]
        for row in sheet.iter_rows(
            min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col, values_only=True
        )
    ]


def test_the_template_lists_the_province_units_and_sectors(template):
    assert template.sheetnames[:2] == ["DuLieu", "Hướng dẫn"]
    assert {"XaPhuong", "NganhVSIC", "LuaChon"} <= set(template.sheetnames)
    units = [row for row in template["XaPhuong"].iter_rows(min_row=2, values_only=True)]
    wards = {row[0]: row[1] for row in units if row[0]}
    communes = {row[3]: row for row in units if row[3]}
    assert wards == {WARD: "Phường Quế Võ"}
    assert set(communes) == {COMMUNE, COMMUNE_2}  # not the other province's FOREIGN_COMMUNE
    assert FOREIGN_COMMUNE not in communes
    assert communes[COMMUNE][4] == "Xã Phương Liễu"
    assert communes[COMMUNE][7] == WARD  # the 2025 unit it became
    sectors = [row[0] for row in template["NganhVSIC"].iter_rows(min_row=2, values_only=True)]
    assert {"10", "11", "20", "1104"} <= set(sectors)
    assert all(code.isdigit() for code in sectors)


@pytest.mark.parametrize("key", LISTED)
def test_each_code_and_choice_column_has_a_drop_down(template, key):
    validation = validation_of(template["DuLieu"], key)
    assert validation is not None, key
    assert validation.type == "list"
    assert f"{letter_of(key)}501" in validation.sqref
    values = listed_values(template, validation.formula1)
    assert values and None not in values
    expected = {
        "commune_code": {COMMUNE, COMMUNE_2},
        "ward_code": {WARD},
        "industrial_area": {AREA},
    }
    if key in expected:
        assert set(values) == expected[key]


def test_free_text_columns_have_no_drop_down(template):
    for key in ("tax_code", "name", "address", "employees", "contact_email"):
        assert validation_of(template["DuLieu"], key) is None, key


def test_every_offered_choice_is_accepted_by_the_import(template):
    parsers = {
        "ownership": import_columns.parse_ownership,
        "status": import_columns.parse_status,
    }
    for key, parse in parsers.items():
        values = listed_values(template, validation_of(template["DuLieu"], key).formula1)
        parsed = {parse(value) for value in values}
        assert len(parsed) == len(values), key  # each word means a different value


def fill_from_lists(workbook, n: int = 1) -> dict:
    """A row built only from the template's own lists (and free text)."""
    data = workbook["DuLieu"]

    def first(key):
        return listed_values(workbook, validation_of(data, key).formula1)[0]

    row = good_row(
        n,
        commune_code=first("commune_code"),
        ward_code=first("ward_code"),
        vsic_code=listed_values(workbook, validation_of(data, "vsic_code").formula1)[-1],
        industrial_area=first("industrial_area"),
        ownership="ngoài nhà nước",
        high_pollution_risk="có",
        key_energy_user="không",
        status="đang hoạt động",
    )
    for column, key in enumerate(COLUMN_KEYS, start=1):  # row 2, 3, …: where people type
        data.cell(row=n + 1, column=column, value=row[key])
    return row


def test_the_downloaded_template_filled_in_imports_cleanly(staff_client, template):
    rows = [fill_from_lists(template, 1), fill_from_lists(template, 2)]
    buffer = io.BytesIO()
    template.save(buffer)
    response = staff_client.post(
        IMPORT, {"file": SimpleUploadedFile("mau-da-dien.xlsx", buffer.getvalue())}
    )
    plan = response.context["plan"]
    assert plan.problems == [] and plan.warnings == []
    assert plan.to_create == 2
    assert confirm_import(staff_client).status_code == 302
    facility = Facility.objects.select_related("commune", "ward", "industry").get(
        tax_code=make_tax_code(1)
    )
    assert facility.commune.code == rows[0]["commune_code"]
    assert facility.ward.code == rows[0]["ward_code"]
    assert facility.industry.code == rows[0]["vsic_code"]
    assert facility.industrial_area.name == AREA
    assert facility.ownership == Facility.Ownership.PRIVATE
    assert facility.status == Facility.Status.ACTIVE
    assert facility.high_pollution_risk and not facility.key_energy_user
    assert Facility.objects.count() == 2


def csv_with_header(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# The file's own order and headers: the old commune code in column B, headed as typed.
HEADER_AS_WRITTEN = {
    "tax_code": "MÃ SỐ THUẾ",
    "commune_code": "mã xã/phường",  # an earlier label of the column, in lower case
    "name": "Tên cơ sở",
    "address": "address",
    "vsic_code": "Mã ngành VSIC",
}


def test_a_bad_commune_code_names_the_header_as_written_and_its_letter(staff_client):
    row = good_row(1, commune_code="99999")
    content = csv_with_header(
        list(HEADER_AS_WRITTEN.values()), [[row[key] for key in HEADER_AS_WRITTEN]]
    )
    response = staff_client.post(IMPORT, {"file": SimpleUploadedFile("co-so.csv", content)})

    assert response.status_code == 200
    [problem] = response.context["plan"].problems
    assert (problem.row, problem.letter, problem.header) == (2, "B", "mã xã/phường")
    page = response.content.decode()
    assert "B («mã xã/phường»)" in page
    assert "99999" in page
    assert "<code>commune_code</code>" not in page
    assert not Facility.objects.exists()


def test_the_letter_follows_the_file_not_the_template(staff_client):
    header = [LABELS[key] for key in COLUMN_KEYS]
    row = good_row(1, employees="nhiều")
    content = csv_with_header(header, [[row[key] for key in COLUMN_KEYS]])
    response = staff_client.post(IMPORT, {"file": SimpleUploadedFile("co-so.csv", content)})
    [problem] = response.context["plan"].problems
    letter = letter_of("employees")
    assert problem.column_label == f"{letter} («{LABELS['employees']}»)"
    assert f"{letter} («Số lao động»)" in response.content.decode()


def test_an_unknown_header_is_named_with_its_letter(staff_client):
    header = [*COLUMN_KEYS, "Ghi chú"]
    content = csv_with_header(header, [[*good_row().values(), "x"]])
    response = staff_client.post(IMPORT, {"file": SimpleUploadedFile("co-so.csv", content)})
    [problem] = response.context["plan"].problems
    label = f"{get_column_letter(len(header))} («Ghi chú»)"
    assert (problem.row, problem.column_label) == (1, label)
    assert label in response.content.decode()


def test_the_command_lines_keep_the_column_key_and_jobs_keep_the_label():
    row = good_row(1, commune_code="99999")
    content = csv_with_header(
        list(HEADER_AS_WRITTEN.values()), [[row[key] for key in HEADER_AS_WRITTEN]]
    )
    [problem] = plan_file(io.BytesIO(content), "co-so.csv").problems
    # DESIGN §5: the commands print `row N, column C: message`.
    assert str(problem).startswith("row 2, column commune_code: ")
    [stored] = problems_as_dicts([problem])
    assert stored["column"] == "commune_code"
    assert stored["column_label"] == "B («mã xã/phường»)"
