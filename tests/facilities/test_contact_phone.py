"""Contact phone numbers: one rule (facilities.validators.validate_phone) for the staff edit
form, the facility user's self-edit and the import."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from facilities.models import Facility

from .import_helpers import csv_bytes, good_row, make_references, xlsx_bytes

ACCEPTED = (
    "0222 3821 234",
    "0222.3821.234",
    "+84 222 3821 234",
    "(0222) 3821234",
    "0912345678; 0222 3821 234",
    "0912345678, 0222 3821 234",
    "0912-345-678",
    "0222 3821 234 / 101",
    "3821 2345",  # an old local number: 8 digits
    "0912345678;",  # a separator at the end separates nothing
)
REFUSED = (
    "xyz",
    "123",
    "0912 ABC",
    "0912 345 678 máy lẻ 12",
    "0912345678; 123",  # the second number is too short
    ";",  # separators and no number
    "0912#345678",
)
MESSAGE = "Số điện thoại chỉ gồm chữ số, dấu cách và các ký tự + . - ( ) /"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _edit_url(facility) -> str:
    return reverse("facilities:edit", args=[facility.pk])


def _loaded_form_data(response) -> dict:
    """What the browser posts back unchanged from the edit page in `response`."""
    data = {}
    for field in response.context["form"]:
        value = field.value()
        if value is None or value is False:
            continue
        data[field.name] = "on" if value is True else value
    return data


def _post_phone(user, facility, phone):
    client = _client(user)
    data = _loaded_form_data(client.get(_edit_url(facility)))
    return client.post(_edit_url(facility), {**data, "contact_phone": phone})


# Forms ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("phone", REFUSED)
def test_staff_edit_refuses_a_phone_that_is_not_one(staff, facility, phone):
    before = facility.contact_phone
    response = _post_phone(staff, facility, phone)
    assert response.status_code == 200
    assert MESSAGE in response.context["form"].errors["contact_phone"][0]
    facility.refresh_from_db()
    assert facility.contact_phone == before


@pytest.mark.parametrize("phone", REFUSED[:3])
def test_facility_user_self_edit_refuses_a_phone_that_is_not_one(facility_user, facility, phone):
    before = facility.contact_phone
    response = _post_phone(facility_user, facility, phone)
    assert response.status_code == 200
    form = response.context["form"]
    assert "name" not in form.fields  # the self-edit form, contact fields only
    assert MESSAGE in form.errors["contact_phone"][0]
    assert MESSAGE in response.text
    facility.refresh_from_db()
    assert facility.contact_phone == before


@pytest.mark.parametrize("phone", ACCEPTED)
def test_staff_edit_saves_the_usual_ways_of_writing_a_phone(staff, facility, phone):
    response = _post_phone(staff, facility, phone)
    assert response.status_code == 302
    facility.refresh_from_db()
    assert facility.contact_phone == phone


def test_facility_user_self_edit_saves_a_phone_and_may_clear_it(facility_user, facility):
    assert _post_phone(facility_user, facility, "+84 912 345 678").status_code == 302
    facility.refresh_from_db()
    assert facility.contact_phone == "+84 912 345 678"
    assert _post_phone(facility_user, facility, "").status_code == 302
    facility.refresh_from_db()
    assert facility.contact_phone == ""


# Import -----------------------------------------------------------------------------------------


@pytest.fixture
def references(db, settings):
    settings.PORTAL_PROVINCE_CODE = 27
    make_references()


def _import(path, *args):
    out = io.StringIO()
    call_command("import_facilities", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _import_failing(path):
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_facilities", str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue().splitlines()


WARNING = f"{MESSAGE}"  # then: imported as written, to be corrected on the facility's page


def test_import_takes_a_phone_the_forms_refuse_as_written_with_a_warning(references, tmp_path):
    """DESIGN §5 writes no rule for the phone: the file is not stopped, the row and column are
    named with the forms' rule, and the facility's page then asks for a correction."""
    path = tmp_path / "co-so.csv"
    rows = [good_row(1), good_row(2, contact_phone="xyz"), good_row(3, contact_phone="0912 ABC")]
    path.write_bytes(csv_bytes(rows))
    lines = [line for line in _import(path).splitlines() if "contact_phone" in line]
    assert len(lines) == 2, lines
    assert lines[0].startswith(f"row 3, column contact_phone: {WARNING}")
    assert lines[1].startswith(f"row 4, column contact_phone: {WARNING}")
    assert "Đã nhập đúng như trong tệp" in lines[0]
    phones = sorted(Facility.objects.values_list("contact_phone", flat=True))
    assert phones == sorted([good_row(1)["contact_phone"], "xyz", "0912 ABC"])


@pytest.mark.parametrize("phone", REFUSED)
def test_import_warns_about_what_the_form_refuses(references, tmp_path, phone):
    path = tmp_path / "co-so.csv"
    path.write_bytes(csv_bytes([good_row(1, contact_phone=phone)]))
    lines = [line for line in _import(path).splitlines() if line.startswith("row 2, column")]
    assert lines == [lines[0]] and lines[0].startswith("row 2, column contact_phone: "), lines
    assert Facility.objects.get().contact_phone == phone


def test_import_accepts_what_the_form_accepts(references, tmp_path):
    path = tmp_path / "co-so.csv"
    rows = [good_row(n, contact_phone=phone) for n, phone in enumerate(ACCEPTED, start=1)]
    path.write_bytes(csv_bytes(rows))
    _import(path)
    assert sorted(Facility.objects.values_list("contact_phone", flat=True)) == sorted(ACCEPTED)


def test_import_reads_pasted_full_width_digits_and_no_break_spaces(references, tmp_path):
    path = tmp_path / "co-so.csv"
    path.write_bytes(csv_bytes([good_row(1, contact_phone="０９１２\u00a0345\u00a0678")]))
    _import(path)
    assert Facility.objects.get().contact_phone == "0912 345 678"


def test_import_of_a_phone_in_a_number_cell_gets_its_leading_zero(references, tmp_path):
    row = good_row(1, contact_phone=912345678)
    path = tmp_path / "co-so.xlsx"
    path.write_bytes(xlsx_bytes([list(row.values())], header=list(row)))
    _import(path)
    assert Facility.objects.get().contact_phone == "0912345678"


# Demo data --------------------------------------------------------------------------------------


def test_demo_facilities_have_valid_phones(db, settings):
    from ops.demo import seed_demo

    settings.PORTAL_PROVINCE_CODE = 27
    seed_demo(facilities=16, seed=7)
    phones = list(Facility.objects.values_list("contact_phone", flat=True))
    assert len(phones) == 16 and all(phones)
    for facility in Facility.objects.all():
        facility.clean_fields(
            exclude=[f.name for f in Facility._meta.fields if f.name != "contact_phone"]
        )
