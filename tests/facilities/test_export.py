"""Facility export (CSV/XLSX): content, formula-injection safety, scope, round trip."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.spreadsheets import escape_formula
from facilities.import_columns import COLUMN_KEYS
from facilities.importing import apply_import, plan_file
from facilities.models import AdminUnit, Facility, IndustrialArea, IndustryCode

from ..factories import FacilityFactory, make_tax_code
from .import_helpers import AREA, COMMUNE, WARD, make_references

EXPORT = reverse("facilities:export")
DANGEROUS = ["=1+2", "+84 222 385 2123", "-5 cmd", "@SUM(A1)", "\tTab", "\rCR"]


@pytest.fixture(autouse=True)
def references(db, settings):
    settings.PORTAL_PROVINCE_CODE = 27
    make_references()


def make_facility(n, **fields):
    defaults = {
        "tax_code": make_tax_code(n),
        "name": f"Công ty Cổ phần Gốm sứ Đông Á {n}",
        "commune": AdminUnit.objects.get(scheme="pre2025", code=COMMUNE),
        "ward": AdminUnit.objects.get(scheme="2025", code=WARD),  # the one COMMUNE became
        "industry": IndustryCode.objects.get(version="VSIC2018", code="1104"),
        "industrial_area": IndustrialArea.objects.get(name=AREA),
        "revenue_bn_vnd": Decimal("29.400"),
        "capital_bn_vnd": Decimal("100.000"),
        "high_pollution_risk": True,
        "contact_email": "lienhe@example.vn",
    }
    return FacilityFactory(**(defaults | fields))


def export_csv(client, **params):
    response = client.get(EXPORT, {"format": "csv", **params})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def export_xlsx(client, **params):
    response = client.get(EXPORT, {"format": "xlsx", **params})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return list(sheet.iter_rows())


def test_login_required(client):
    response = client.get(EXPORT)
    assert response.status_code == 302


def test_unknown_format(client, staff):
    client.force_login(staff)
    assert client.get(EXPORT, {"format": "pdf"}).status_code == 400


def test_csv_content(client, staff):
    make_facility(1, status="closed", closed_year=2018, established_year=2005)
    client.force_login(staff)
    (row,) = export_csv(client)
    assert list(row) == list(COLUMN_KEYS)
    assert row["tax_code"] == make_tax_code(1)
    assert row["name"] == "Công ty Cổ phần Gốm sứ Đông Á 1"
    assert row["commune_code"] == COMMUNE
    assert row["vsic_code"] == "1104"
    assert row["industrial_area"] == AREA
    assert (row["revenue_bn_vnd"], row["capital_bn_vnd"]) == ("29.4", "100")
    assert (row["high_pollution_risk"], row["key_energy_user"]) == ("yes", "no")
    assert (row["status"], row["closed_year"]) == ("closed", "2018")
    assert row["contact_phone"] == ""


def test_xlsx_content(client, official):
    make_facility(1, employees=120)
    client.force_login(official)
    header, row = export_xlsx(client)
    assert [c.value for c in header] == list(COLUMN_KEYS)
    values = dict(zip(COLUMN_KEYS, row, strict=True))
    assert values["tax_code"].value == make_tax_code(1)
    assert values["tax_code"].data_type == "s"
    assert values["employees"].value == 120
    assert values["revenue_bn_vnd"].value == pytest.approx(29.4)
    assert values["revenue_bn_vnd"].data_type == "n"
    assert values["contact_phone"].value is None


def test_a_control_character_in_a_name_does_not_fail_the_workbook(client, staff):
    # Pasted from an old program: a vertical tab (its line break) and an escape character.
    make_facility(1, name="Công ty Gốm\x0bĐông Á\x1b", address="=Số 1\x07")
    client.force_login(staff)
    _header, row = export_xlsx(client)
    values = dict(zip(COLUMN_KEYS, row, strict=True))
    assert values["name"].value == "Công ty Gốm\nĐông Á"
    # As stored, a text cell with Excel's quote prefix (core.text.xlsx_cell): no "'" added.
    assert (values["address"].value, values["address"].quotePrefix) == ("=Số 1", True)


def test_export_follows_the_list_filters(client, staff):
    make_facility(1, name="Công ty Bia Hải Dương")
    make_facility(2, name="Công ty Giấy Phong Khê", status="suspended")
    client.force_login(staff)
    assert [r["name"] for r in export_csv(client, q="hai duong")] == ["Công ty Bia Hải Dương"]
    assert [r["status"] for r in export_csv(client, status="suspended")] == ["suspended"]
    assert len(export_xlsx(client, q="phong khe")) == 2
    names = [r["name"] for r in export_csv(client, sort="-name")]
    assert names == ["Công ty Giấy Phong Khê", "Công ty Bia Hải Dương"]


def test_facility_user_exports_only_own_facilities(client, facility_user, facility, outsider):
    client.force_login(facility_user)
    rows = export_csv(client)
    assert [r["tax_code"] for r in rows] == [facility.tax_code]
    assert len(export_xlsx(client)) == 2


@pytest.mark.parametrize("value", DANGEROUS)
def test_escape_formula(value):
    assert escape_formula(value) == "'" + value
    assert escape_formula(-5) == -5
    assert escape_formula(Decimal("-1.5")) == Decimal("-1.5")
    assert escape_formula("Công ty = ") == "Công ty = "


def test_formula_injection_is_escaped_in_both_formats(client, staff):
    # The name field strips outer whitespace on save; the phone field keeps a leading tab/CR.
    for n, value in enumerate(DANGEROUS, start=1):
        make_facility(n, name=f"{value.strip()} Công ty {n}", contact_phone=value)
    client.force_login(staff)
    by_code = {r["tax_code"]: r for r in export_csv(client)}
    header, *rows = export_xlsx(client)
    cells = {row[0].value: dict(zip(COLUMN_KEYS, row, strict=True)) for row in rows}
    for n, value in enumerate(DANGEROUS, start=1):
        code = make_tax_code(n)
        name = f"{value.strip()} Công ty {n}"
        dangerous_name = value.strip() == value
        # CSV: a leading "'" (the import removes it).
        expected_name = f"'{name}" if dangerous_name else name
        assert by_code[code]["name"] == expected_name
        assert by_code[code]["contact_phone"] == f"'{value}"
        # XLSX: the value as stored, a text cell with Excel's quote prefix (no "'" added).
        name_cell, phone_cell = cells[code]["name"], cells[code]["contact_phone"]
        assert (name_cell.value, name_cell.data_type) == (name, "s")
        assert name_cell.quotePrefix == dangerous_name
        # (An XML parser may read a written CR back as LF.)
        phone = (phone_cell.value or "").replace("\r", "\n")
        assert (phone, phone_cell.data_type) == (value.replace("\r", "\n"), "s")
        assert phone_cell.quotePrefix


def test_round_trip_export_then_import_is_unchanged(client, staff, facility):
    make_facility(1, contact_phone="+84 222 385 2123", status="closed", closed_year=2019)
    make_facility(2, name='=HYPERLINK("x") Công ty', industrial_area=None, ownership="fdi")
    make_facility(3, revenue_bn_vnd=None, capital_bn_vnd=Decimal("0.125"), employees=0)
    # Three decimals after 1–3 digits: exported `1.234`, read back as the decimal it is.
    make_facility(4, revenue_bn_vnd=Decimal("1.234"), capital_bn_vnd=Decimal("120.500"))
    facility.commune = AdminUnit.objects.get(scheme="pre2025", code=COMMUNE)
    facility.ward = AdminUnit.objects.get(scheme="2025", code=WARD)
    facility.save()
    client.force_login(staff)
    for kind in ("csv", "xlsx"):
        content = client.get(EXPORT, {"format": kind}).content
        plan = plan_file(io.BytesIO(content), f"xuat.{kind}")
        assert plan.is_valid, plan.problems
        assert (plan.to_create, plan.to_update, plan.unchanged) == (0, 0, 5), kind


def test_export_of_an_import_re_imports_after_a_change(client, staff):
    make_facility(1)
    client.force_login(staff)
    content = client.get(EXPORT, {"format": "csv"}).content.decode("utf-8-sig")
    content = content.replace("Gốm sứ Đông Á 1", "Gốm sứ Đông Á Mới")
    plan = plan_file(io.BytesIO(content.encode("utf-8")), "sua.csv")
    assert (plan.to_create, plan.to_update, plan.unchanged) == (0, 1, 0)
    apply_import(plan, user=staff)
    assert Facility.objects.get().name == "Công ty Cổ phần Gốm sứ Đông Á Mới"


def test_an_invalid_filter_refuses_the_export_rather_than_exporting_everything(client, staff):
    # A stale link (a ward that is no longer offered, a typo in a code): the list page shows the
    # whole registry under a warning, but a file has no warning, and the whole registry under a
    # "filtered" name would be taken for the filtered list.
    make_facility(1, name="Công ty Bia Hải Dương")
    make_facility(2, name="Công ty Giấy Phong Khê", status="suspended")
    client.force_login(staff)
    for params in ({"ward": "999999"}, {"status": "dong-cua"}, {"division": "xx"}):
        response = client.get(EXPORT, {"format": "csv", **params})
        assert response.status_code == 400, params
        text = response.content.decode()
        assert text.startswith("Điều kiện lọc không hợp lệ nên chưa xuất tệp:")
        assert "Công ty" not in text
    response = client.get(EXPORT, {"format": "xlsx", "status": "dong-cua"})
    assert response.status_code == 400
    assert "- Tình trạng: " in response.content.decode()
