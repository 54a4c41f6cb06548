"""The facility import service (facilities.importing): reading, every column rule, upsert,
atomicity, history, query count."""

import io
import unicodedata
import zipfile
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import spreadsheets, xlsx_check
from core.spreadsheets import ImportFileError, InvalidImport
from facilities import import_columns
from facilities.import_columns import read_table
from facilities.importing import apply_import, plan_file, plan_import
from facilities.models import AdminUnit, Facility, IndustryCode

from ..factories import FacilityFactory, make_tax_code
from .import_helpers import (
    AREA,
    COMMUNE,
    COMMUNE_2,
    FOREIGN_COMMUNE,
    WARD,
    csv_bytes,
    good_row,
    xlsx_bytes,
)
from .import_helpers import make_references as _make_references

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def references(settings):
    settings.PORTAL_PROVINCE_CODE = 27
    _make_references()


def plan_rows(rows, header=None, filename="co-so.csv"):
    return plan_file(io.BytesIO(csv_bytes(rows, header)), filename)


def problems_of(plan):
    return [(p.row, p.column, p.message) for p in plan.problems]


def single_problem(**overrides):
    plan = plan_rows([good_row(**overrides)])
    assert len(plan.problems) == 1, plan.problems
    return plan.problems[0]


# ---------------------------------------------------------------------------- reading


def test_reads_csv_with_bom_and_numbers_rows_as_in_the_spreadsheet():
    data = csv_bytes([good_row(1), {}, good_row(2)])  # an empty line between
    rows = read_table(io.BytesIO(data), "co-so.csv")
    assert [r.number for r in rows] == [2, 4]
    assert rows[0]["tax_code"] == make_tax_code(1)
    assert set(rows[0]) == set(import_columns.COLUMN_KEYS)


def test_reads_csv_without_bom():
    rows = read_table(io.BytesIO(csv_bytes([good_row()], bom=False)), "x.CSV")
    assert rows[0]["tax_code"] == make_tax_code(1)


def test_vietnamese_header_labels_are_accepted_in_any_case_and_normalisation():
    header = [import_columns.LABELS[key] for key in import_columns.COLUMN_KEYS]
    header[0] = "MÃ SỐ THUẾ"
    header[1] = unicodedata.normalize("NFD", header[1])  # "Tên cơ sở" decomposed
    row = good_row()
    data = csv_bytes([dict(zip(header, row.values(), strict=True))], header)
    plan = plan_file(io.BytesIO(data), "nhan-tieng-viet.csv")
    assert plan.is_valid, plan.problems
    assert plan.to_create == 1


def test_unknown_column_is_an_error():
    header = [*import_columns.COLUMN_KEYS, "ghi_chu"]
    with pytest.raises(ImportFileError) as caught:
        read_table(io.BytesIO(csv_bytes([good_row()], header)), "x.csv")
    assert [(p.row, p.column) for p in caught.value.problems] == [(1, "ghi_chu")]
    assert "Cột không hợp lệ" in caught.value.problems[0].message


def test_missing_required_column_is_an_error():
    header = [k for k in import_columns.COLUMN_KEYS if k != "vsic_code"]
    plan = plan_rows([good_row()], header)
    assert problems_of(plan) == [(1, "vsic_code", "Thiếu cột bắt buộc “vsic_code”.")]


def test_a_file_needs_the_old_or_the_new_commune_column():
    header = [k for k in import_columns.COLUMN_KEYS if k not in ("commune_code", "ward_code")]
    plan = plan_rows([good_row()], header)
    assert [(p.row, p.column) for p in plan.problems] == [(1, "commune_code")]
    assert "“commune_code”" in plan.problems[0].message
    assert "“ward_code”" in plan.problems[0].message


def test_mixed_or_tab_separators_get_a_hint():
    for data in (
        b"tax_code,name;address;commune_code;vsic_code\n",
        b"tax_code\tname\taddress\tcommune_code\tvsic_code\n",
    ):
        plan = plan_file(io.BytesIO(data), "x.csv")
        assert "dấu chấm phẩy (;)" in plan.problems[0].message, data


def test_optional_columns_may_be_left_out():
    header = ["tax_code", "name", "address", "commune_code", "vsic_code"]
    plan = plan_rows([good_row()], header)
    assert plan.is_valid, plan.problems
    assert plan.new_facilities[0].status == Facility.Status.ACTIVE


def test_data_under_an_empty_header_cell_is_an_error():
    data = csv_bytes([good_row()]).replace(b"contact_email\r\n", b"contact_email,\r\n", 1)
    data = data.replace(b"example.vn\r\n", b"example.vn,extra\r\n")
    plan = plan_file(io.BytesIO(data), "x.csv")
    assert [(p.row, p.column) for p in plan.problems] == [(2, "#20")]


def test_reads_xlsx_first_sheet_and_pads_numeric_codes():
    row = list(good_row().values())
    row[0] = int(make_tax_code(1))  # Excel keeps no leading zero
    row[3] = 9001  # commune "09001" typed as a number
    row[4] = 9169  # ward "09169" typed as a number
    row[8], row[9], row[10] = 2010, 50.0, 12.5
    data = xlsx_bytes([row])
    plan = plan_file(io.BytesIO(data), "co-so.xlsx")
    assert plan.is_valid, plan.problems
    facility = plan.new_facilities[0]
    assert facility.tax_code == make_tax_code(1)
    assert facility.ward_id == AdminUnit.objects.get(scheme="2025", code=WARD).pk
    assert (facility.employees, facility.revenue_bn_vnd) == (50, Decimal("12.5"))


def test_text_tax_code_is_not_padded():
    problem = single_problem(tax_code="100109106")  # 0100109106 without its leading zero
    assert problem.column == "tax_code"


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("co-so.txt", b"tax_code\n", "Chỉ chấp nhận tệp .csv hoặc .xlsx"),
        ("co-so.xlsm", b"PK", "macro"),
        ("co-so.xlsx", b"this is not a zip", "không phải là tệp Excel"),
        ("co-so.csv", "tax_code,Tên\n".encode("latin-1"), "UTF-8"),
        ("co-so.csv", "Mã số thuế\n".encode("utf-16"), "UTF-8"),
        ("co-so.csv", b"", "Tệp trống"),
    ],
)
def test_rejected_files(filename, content, message):
    plan = plan_file(io.BytesIO(content), filename)
    assert not plan.is_valid
    assert plan.problems[0].row is None
    assert message in plan.problems[0].message


def test_file_over_10_mb_is_rejected():
    plan = plan_file(io.BytesIO(b"x" * (10 * 1024 * 1024 + 1)), "lon.csv")
    assert "tối đa 10 MB" in plan.problems[0].message


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _with_members(xlsx: bytes, extra: dict[str, bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    members = {info.filename: source.read(info) for info in source.infolist()}
    return _zip(members | extra)


def test_xlsx_with_macro_is_rejected():
    data = _with_members(xlsx_bytes([list(good_row().values())]), {"xl/vbaProject.bin": b"\0"})
    plan = plan_file(io.BytesIO(data), "co-so.xlsx")
    assert "macro" in plan.problems[0].message


def test_xlsx_with_macro_content_type_is_rejected():
    xlsx = xlsx_bytes([])
    types = (
        zipfile.ZipFile(io.BytesIO(xlsx))
        .read("[Content_Types].xml")
        .replace(b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")
    )
    plan = plan_file(io.BytesIO(_with_members(xlsx, {"[Content_Types].xml": types})), "a.xlsx")
    assert "macro" in plan.problems[0].message


def test_zip_without_workbook_is_rejected():
    plan = plan_file(io.BytesIO(_zip({"hello.txt": b"hi"})), "co-so.xlsx")
    assert "không phải là tệp Excel" in plan.problems[0].message


def test_zip_bomb_is_rejected():
    bomb = _with_members(xlsx_bytes([]), {"xl/media/zeros.bin": b"\0" * (20 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    plan = plan_file(io.BytesIO(bomb), "co-so.xlsx")
    assert "giải nén quá lớn" in plan.problems[0].message


def test_total_uncompressed_size_is_bounded(monkeypatch):
    monkeypatch.setattr(xlsx_check, "MAX_XLSX_UNCOMPRESSED", 1000)
    plan = plan_file(io.BytesIO(xlsx_bytes([])), "co-so.xlsx")
    assert "giải nén quá lớn" in plan.problems[0].message


def test_too_many_rows(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 3)
    plan = plan_rows([good_row(n) for n in range(1, 5)])
    assert "tối đa 100.000 dòng" in plan.problems[0].message
    assert plan_rows([good_row(n) for n in range(1, 4)]).is_valid


def test_header_only_file_has_nothing_to_import():
    plan = plan_file(io.BytesIO(csv_bytes([], import_columns.COLUMN_KEYS)), "x.csv")
    assert "không có dòng dữ liệu" in plan.problems[0].message


# ---------------------------------------------------------------------------- column rules


def test_a_good_row_is_read_completely():
    plan = plan_rows(
        [
            good_row(
                industrial_area="kcn quế võ",
                ownership="Ngoài nhà nước",
                high_pollution_risk="X",
                key_energy_user="Không",
                name=unicodedata.normalize("NFD", "  Công ty Bia Hà Nội  "),
            )
        ]
    )
    assert plan.is_valid, plan.problems
    facility = plan.new_facilities[0]
    assert facility.name == unicodedata.normalize("NFC", "Công ty Bia Hà Nội")
    assert facility.commune.code == COMMUNE
    assert facility.industrial_area.name == AREA
    assert facility.ownership == Facility.Ownership.PRIVATE
    assert facility.established_year == 2010
    assert facility.employees == 50
    assert facility.revenue_bn_vnd == Decimal("12.5")
    assert facility.capital_bn_vnd == Decimal("8.2")
    assert facility.high_pollution_risk is True
    assert facility.key_energy_user is False
    assert facility.contact_email == "lienhe@example.vn"


@pytest.mark.parametrize(
    "tax_code", ["0100109106", "0100109106-001", "0100109106-999", " 0100109106 "]
)
def test_good_tax_codes(tax_code):
    plan = plan_rows([good_row(tax_code=tax_code)])
    assert plan.is_valid, plan.problems
    assert plan.new_facilities[0].tax_code == tax_code.strip()


@pytest.mark.parametrize(
    ("tax_code", "message"),
    [
        ("0100109107", "Mã số thuế không hợp lệ (sai chữ số kiểm tra)."),
        ("0100109107-001", "Mã số thuế không hợp lệ (sai chữ số kiểm tra)."),
        ("010010910", "Mã số thuế phải gồm 10 chữ số"),
        ("0100109106-01", "Mã số thuế phải gồm 10 chữ số"),
        ("0100109106-000", "Mã số thuế không hợp lệ: mã chi nhánh (-NNN) phải từ 001 đến 999."),
        ("01001O9106", "Mã số thuế phải gồm 10 chữ số"),
        ("", "Bắt buộc"),
    ],
)
def test_bad_tax_codes(tax_code, message):
    problem = single_problem(tax_code=tax_code)
    assert (problem.row, problem.column) == (2, "tax_code")
    assert problem.message.startswith(message)


def test_duplicate_tax_code_names_the_later_row():
    rows = [good_row(1), good_row(2), good_row(3, tax_code=make_tax_code(1))]
    plan = plan_rows(rows)
    assert problems_of(plan) == [
        (4, "tax_code", f"Mã số thuế {make_tax_code(1)} trùng với dòng 2.")
    ]


def test_branch_code_is_not_a_duplicate_of_its_head_office():
    code = make_tax_code(1)
    plan = plan_rows([good_row(1, tax_code=code), good_row(2, tax_code=f"{code}-001")])
    assert plan.is_valid, plan.problems


@pytest.mark.parametrize(("column", "value"), [("name", "x" * 256), ("address", "")])
def test_name_and_address(column, value):
    problem = single_problem(**{column: value})
    assert problem.column == column


def test_name_of_255_characters_is_fine():
    assert plan_rows([good_row(name="x" * 255)]).is_valid


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("99999", "Không có xã/phường mã 99999"),
        (FOREIGN_COMMUNE, "(trước 1/7/2025) không thuộc Tỉnh Bắc Ninh"),
        ("9001", "5 chữ số"),
        ("", "Cần ghi mã xã/phường trước 1/7/2025 (commune_code) hoặc"),
    ],
)
def test_bad_commune_codes(code, message):
    problem = single_problem(commune_code=code)
    assert problem.column == "commune_code"
    assert message in problem.message


def test_commune_of_the_portal_province_setting(settings):
    settings.PORTAL_PROVINCE_CODE = 30
    assert plan_rows([good_row(commune_code=FOREIGN_COMMUNE)]).is_valid
    assert single_problem(commune_code=COMMUNE).column == "commune_code"


@pytest.mark.parametrize(
    ("vsic", "expected"), [("10", "10"), ("1010", "10"), ("1104", "1104"), ("11041", "1104")]
)
def test_vsic_code_resolves_to_most_specific_known_code(vsic, expected):
    plan = plan_rows([good_row(vsic_code=vsic)])
    assert plan.is_valid, plan.problems
    industry = IndustryCode.objects.get(pk=plan.new_facilities[0].industry_id)
    assert industry.code.startswith(expected)
    assert len(industry.code) >= len(expected)


@pytest.mark.parametrize("vsic", ["04", "0410", "1", "123456", "1a10", ""])
def test_bad_vsic_codes(vsic):
    assert single_problem(vsic_code=vsic).column == "vsic_code"


def test_unknown_industrial_area():
    problem = single_problem(industrial_area="KCN Không Tồn Tại")
    assert problem.column == "industrial_area"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("state", "state"),
        ("Nhà nước", "state"),
        ("ngoài nhà nước", "private"),
        ("FDI", "fdi"),
        ("fdi", "fdi"),
        ("", ""),
    ],
)
def test_ownership(value, expected):
    plan = plan_rows([good_row(ownership=value)])
    assert plan.new_facilities[0].ownership == expected


def test_bad_ownership():
    assert single_problem(ownership="tư nhân").column == "ownership"


@pytest.mark.parametrize("year", ["1899", "2200", "năm 2000", "-2000", "20.5"])
def test_bad_established_year(year):
    assert single_problem(established_year=year).column == "established_year"


@pytest.mark.parametrize(("value", "expected"), [("0", 0), ("1500", 1500), ("2017.0", 2017)])
def test_employees(value, expected):
    assert plan_rows([good_row(employees=value)]).new_facilities[0].employees == expected


@pytest.mark.parametrize("value", ["-1", "1.5", "nhiều", "1.500"])
def test_bad_employees(value):
    assert single_problem(employees=value).column == "employees"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("29,4", "29.4"),
        ("29.4", "29.4"),
        ("1.234", "1.234"),  # one separator: the decimal mark (DESIGN §5)
        ("120,000", "120"),
        ("1234.567", "1234.567"),
        ("0.125", "0.125"),
        ("1.234,5", "1234.5"),
        ("1.234.567", "1234567"),
        ("1,234.5", "1234.5"),
        ("1 234,5", "1234.5"),
        ("0", "0"),
        ("", None),
    ],
)
def test_decimal_marks(text, expected):
    plan = plan_rows([good_row(revenue_bn_vnd=text)])
    assert plan.is_valid, plan.problems
    value = plan.new_facilities[0].revenue_bn_vnd
    assert value == (Decimal(expected) if expected is not None else None)


@pytest.mark.parametrize(
    ("text", "suggested"), [("1.000", "1000"), ("12,000", "12000"), (" 120.000 ", "120000")]
)
def test_thousands_in_an_integer_column_are_refused_not_read_as_decimals(text, suggested):
    # `1.000` employees is a thousand to a Vietnamese reader; read as a float's 1.000 it would
    # lose the figure by a factor of 1000.
    problem = single_problem(employees=text)
    assert problem.column == "employees"
    assert text.strip() in problem.message and suggested in problem.message


def test_a_phone_number_in_a_number_cell_gets_its_leading_zero_back():
    row = good_row(contact_phone=912345678)
    plan = plan_file(io.BytesIO(xlsx_bytes([list(row.values())], row.keys())), "co-so.xlsx")
    assert plan.is_valid, plan.problems
    assert plan.new_facilities[0].contact_phone == "0912345678"


def test_a_numeric_xlsx_cell_is_never_ambiguous():
    row = good_row(revenue_bn_vnd=1.234, capital_bn_vnd=120.0, employees=1000)
    plan = plan_file(io.BytesIO(xlsx_bytes([list(row.values())], row.keys())), "co-so.xlsx")
    assert plan.is_valid, plan.problems
    facility = plan.new_facilities[0]
    assert facility.revenue_bn_vnd == Decimal("1.234")
    assert (facility.capital_bn_vnd, facility.employees) == (Decimal(120), 1000)


@pytest.mark.parametrize("text", ["-3", "-0,5", "abc", "1,2,3", "1.23.4", "1,2.3", "1e5"])
def test_bad_decimals(text):
    problem = single_problem(capital_bn_vnd=text)
    assert problem.column == "capital_bn_vnd"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("yes", True),
        ("YES", True),
        ("có", True),
        ("Có", True),
        ("1", True),
        ("x", True),
        ("no", False),
        ("không", False),
        ("0", False),
        ("", False),
    ],
)
def test_booleans(value, expected):
    plan = plan_rows([good_row(key_energy_user=value)])
    assert plan.new_facilities[0].key_energy_user is expected


@pytest.mark.parametrize("value", ["maybe", "2", "truth", "cos", "yes no"])
def test_bad_booleans(value):
    assert single_problem(high_pollution_risk=value).column == "high_pollution_risk"


def test_status_defaults_to_active():
    assert plan_rows([good_row(status="")]).new_facilities[0].status == "active"


def test_closed_with_year_is_fine():
    plan = plan_rows([good_row(status="closed", closed_year="2018")])
    assert plan.is_valid, plan.problems
    assert plan.new_facilities[0].closed_year == 2018


def test_closed_without_closed_year():
    problem = single_problem(status="closed")
    assert (problem.column, problem.row) == ("closed_year", 2)
    assert "năm đóng cửa" in problem.message


def test_closed_year_only_when_closed():
    assert single_problem(status="suspended", closed_year="2018").column == "closed_year"


def test_closed_before_established():
    problem = single_problem(status="closed", closed_year="2005", established_year="2010")
    assert problem.column == "closed_year"


def test_bad_status():
    assert single_problem(status="đóng").column == "status"


@pytest.mark.parametrize("email", ["khong-phai-email", "a@b", "a b@example.vn"])
def test_bad_email(email):
    assert single_problem(contact_email=email).column == "contact_email"


def test_contact_phone_length():
    assert single_problem(contact_phone="0" * 31).column == "contact_phone"


def test_every_problem_of_a_row_is_reported_in_column_order():
    plan = plan_rows([good_row(contact_email="x", commune_code="1", employees="-1")])
    assert [p.column for p in plan.problems] == ["commune_code", "employees", "contact_email"]


def test_problem_format_for_the_command_line():
    problem = single_problem(contact_email="x")
    assert str(problem) == "row 2, column contact_email: Địa chỉ e-mail không hợp lệ."


def test_export_quote_before_formula_characters_is_removed():
    plan = plan_rows([good_row(contact_phone="'+84 222 385 2123", name="'=Công ty")])
    facility = plan.new_facilities[0]
    assert (facility.contact_phone, facility.name) == ("+84 222 385 2123", "=Công ty")


# ---------------------------------------------------------------------------- upsert, history


def test_upsert_creates_then_updates_and_counts_unchanged(staff):
    rows = [good_row(n) for n in range(1, 4)]
    plan = plan_rows(rows)
    assert (plan.to_create, plan.to_update, plan.unchanged) == (3, 0, 0)
    result = apply_import(plan, user=staff)
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert Facility.objects.count() == 3

    rows[1]["name"] = "Công ty Cổ phần Bia Đông Á"
    rows[2]["commune_code"] = COMMUNE_2
    rows.append(good_row(4))
    plan = plan_rows(rows)
    assert (plan.to_create, plan.to_update, plan.unchanged) == (1, 2, 1)
    apply_import(plan, user=staff)
    renamed = Facility.objects.get(tax_code=make_tax_code(2))
    assert renamed.name == "Công ty Cổ phần Bia Đông Á"
    assert Facility.objects.filter(name__startswith="Công ty Cổ phần Bia").count() == 1
    assert renamed.search_text == (
        f"cong ty co phan bia dong a {make_tax_code(2)} xa phuong lieu huyen que vo tinh bac ninh "
        "phuong que vo so 2, duong ly thai to"
    )
    assert Facility.objects.get(tax_code=make_tax_code(3)).commune.code == COMMUNE_2
    assert Facility.objects.count() == 4

    plan = plan_rows(rows)
    assert (plan.to_create, plan.to_update, plan.unchanged) == (0, 0, 4)


def test_history_records_the_user_and_the_file(staff):
    apply_import(plan_rows([good_row(1)], filename="dot-1.csv"), user=staff)
    apply_import(plan_rows([good_row(1, employees="75")], filename="dot-2.csv"), user=staff)
    facility = Facility.objects.get()
    records = list(facility.history.order_by("history_id"))
    assert [r.history_type for r in records] == ["+", "~"]
    assert {r.history_user for r in records} == {staff}
    assert [r.history_change_reason for r in records] == [
        "Nhập từ tệp dot-1.csv",
        "Nhập từ tệp dot-2.csv",
    ]
    assert [r.employees for r in records] == [50, 75]


def test_search_text_is_set_on_bulk_create(staff):
    apply_import(plan_rows([good_row(1, name="Công ty Bia Hải Dương")]), user=staff)
    assert Facility.objects.search("hai duong").count() == 1


def test_missing_column_leaves_a_field_alone_and_an_empty_cell_clears_it(staff):
    FacilityFactory(tax_code=make_tax_code(1), employees=99, contact_name="Cũ")
    header = ["tax_code", "name", "address", "commune_code", "vsic_code", "contact_name"]
    plan = plan_rows([good_row(1, contact_name="")], header)
    apply_import(plan, user=staff)
    facility = Facility.objects.get()
    assert (facility.employees, facility.contact_name) == (99, "")


def test_closing_an_existing_facility_needs_a_year():
    FacilityFactory(tax_code=make_tax_code(1))
    header = ["tax_code", "name", "address", "commune_code", "vsic_code", "status"]
    plan = plan_rows([good_row(1, status="closed")], header)
    assert [(p.row, p.column) for p in plan.problems] == [(2, "status")]


def test_an_invalid_plan_writes_nothing(staff):
    plan = plan_rows([good_row(1), good_row(2, contact_email="x")])
    with pytest.raises(InvalidImport):
        apply_import(plan, user=staff)
    assert not Facility.objects.exists()


def _big_csv(count: int, bad_row: int | None = None) -> bytes:
    rows = [good_row(n, vsic_code="1104") for n in range(1, count + 1)]
    if bad_row is not None:
        rows[bad_row - 2]["commune_code"] = "99999"
    return csv_bytes(rows)


def test_ten_thousand_rows_with_one_bad_row_import_nothing(staff):
    plan = plan_file(io.BytesIO(_big_csv(10_000, bad_row=7342)), "lon.csv")
    assert [(p.row, p.column) for p in plan.problems] == [(7342, "commune_code")]
    with pytest.raises(InvalidImport):
        apply_import(plan, user=staff)
    assert not Facility.objects.exists()


def test_ten_thousand_rows_import(staff):
    # How long it takes is measured by bench/, not asserted here; the queries are guarded below.
    plan = plan_file(io.BytesIO(_big_csv(10_000)), "lon.csv")
    result = apply_import(plan, user=staff)
    assert result.created == 10_000
    assert Facility.history.count() == 10_000


def _plan_queries(count: int) -> int:
    rows = read_table(io.BytesIO(_big_csv(count)), "x.csv")
    with CaptureQueriesContext(connection) as context:
        plan_import(rows)
    return len(context.captured_queries)


def test_plan_query_count_does_not_grow_with_rows(django_assert_max_num_queries):
    FacilityFactory(tax_code=make_tax_code(3))
    small, large = _plan_queries(10), _plan_queries(500)
    assert small == large
    rows = read_table(io.BytesIO(_big_csv(500)), "x.csv")
    with django_assert_max_num_queries(5):
        plan = plan_import(rows)
    # A plan that stopped early would be cheap too: it is the whole file (one code known).
    assert (plan.is_valid, plan.to_create, plan.to_update + plan.unchanged) == (True, 499, 1)


def test_apply_query_count_is_per_batch_not_per_row(staff, django_assert_max_num_queries):
    plan = plan_file(io.BytesIO(_big_csv(500)), "x.csv")
    with django_assert_max_num_queries(10):
        result = apply_import(plan, user=staff)
    assert (result.created, Facility.objects.count(), Facility.history.count()) == (500, 500, 500)
