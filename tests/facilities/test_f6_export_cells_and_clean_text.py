"""The registry's XLSX export writes text a spreadsheet would take for a formula as it is, in a
text cell with Excel's quote prefix (the report workbook's rule, one helper); the CSV, which has
no such prefix, keeps the leading "'". And the staff facility form stores no control character:
a single-line field's line breaks become a space."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from facilities.import_columns import COLUMN_KEYS
from facilities.importing import plan_file

from ..factories import FacilityFactory

EXPORT = reverse("facilities:export")
PHONE = "+84 912 345 678"


def exported(client, kind: str) -> bytes:
    response = client.get(EXPORT, {"format": kind})
    assert response.status_code == 200
    return response.content


def xlsx_row(content: bytes) -> dict:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    header, row = list(sheet.iter_rows())
    assert [cell.value for cell in header] == list(COLUMN_KEYS)
    return dict(zip(COLUMN_KEYS, row, strict=True))


@pytest.mark.django_db
def test_xlsx_writes_formula_like_text_unchanged_with_the_quote_prefix(client, staff):
    facility = FacilityFactory(name="=Công ty 1", contact_phone=PHONE)
    client.force_login(staff)
    cells = xlsx_row(exported(client, "xlsx"))
    phone, name = cells["contact_phone"], cells["name"]
    assert (phone.value, phone.data_type, phone.quotePrefix) == (PHONE, "s", True)
    assert (name.value, name.data_type, name.quotePrefix) == (facility.name, "s", True)
    # Ordinary text: no prefix.
    address = cells["address"]
    assert address.value == facility.address and not address.quotePrefix

    # The CSV has no quote prefix: the "'" stays in the value, and the import removes it.
    (row,) = csv.DictReader(io.StringIO(exported(client, "csv").decode("utf-8-sig")))
    assert (row["contact_phone"], row["name"]) == (f"'{PHONE}", f"'{facility.name}")


@pytest.mark.django_db
def test_the_exported_xlsx_imports_back_unchanged(client, staff):
    FacilityFactory(name='=HYPERLINK("x") Công ty', contact_phone=PHONE)
    FacilityFactory(name="@Công ty 2", address="-Số 1, đường A")
    client.force_login(staff)
    for kind in ("xlsx", "csv"):
        plan = plan_file(io.BytesIO(exported(client, kind)), f"xuat.{kind}")
        assert plan.is_valid, plan.problems
        assert (plan.to_create, plan.to_update, plan.unchanged) == (0, 0, 2), kind


def loaded_form_data(response) -> dict:
    """What the browser posts back unchanged from the edit page in `response`."""
    data = {}
    for field in response.context["form"]:
        value = field.value()
        if value is None or value is False:
            continue
        data[field.name] = "on" if value is True else value
    return data


@pytest.mark.django_db
def test_the_staff_facility_form_stores_no_control_character(client, staff, facility):
    url = reverse("facilities:edit", args=[facility.pk])
    client.force_login(staff)
    data = loaded_form_data(client.get(url))
    data |= {"name": "A\x01B\nC", "address": "Số 1\r\n\tđường\x0bA", "contact_name": "\x1bLan"}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    facility.refresh_from_db()
    assert facility.name == "AB C"
    assert facility.address == "Số 1 đường A"
    assert facility.contact_name == "Lan"


def test_the_representatives_contact_form_stores_no_control_character(
    client, facility_user, facility
):
    url = reverse("facilities:edit", args=[facility.pk])
    client.force_login(facility_user)
    data = loaded_form_data(client.get(url))
    data |= {"contact_name": "Nguyễn\x01 Lan\r\nKế toán", "contact_phone": "0912\x1b345678"}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    facility.refresh_from_db()
    assert facility.contact_name == "Nguyễn Lan Kế toán"
    assert "\x1b" not in facility.contact_phone
