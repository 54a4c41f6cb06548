"""Imports in a national installation (issue 18 point 1): a province's staff member imports
facilities and reports of their own province only; the command line accepts every province."""

from io import BytesIO, StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from facilities.models import AdminUnit, Facility

from ..factories import FacilityFactory, UserFactory, make_tax_code
from .import_helpers import FOREIGN_COMMUNE, csv_bytes, good_row, make_references

pytestmark = pytest.mark.django_db
IMPORT = reverse("facilities:import")


@pytest.fixture(autouse=True)
def national(settings):
    settings.PORTAL_SCOPE = "national"
    make_references()


@pytest.fixture
def bac_ninh_staff(client):
    client.force_login(UserFactory(username="canbo_bn", role=Role.STAFF, province="24"))
    return client


def upload(client, rows):
    return client.post(IMPORT, {"file": SimpleUploadedFile("co-so.csv", csv_bytes(rows))})


def test_a_unit_of_another_province_is_refused_on_the_web(bac_ninh_staff):
    rows = [good_row(1), good_row(2, commune_code=FOREIGN_COMMUNE)]
    plan = upload(bac_ninh_staff, rows).context["plan"]
    assert not plan.is_valid
    assert [(p.row, p.column) for p in plan.problems] == [(3, "commune_code")]


def test_a_facility_of_another_province_is_not_touched(bac_ninh_staff):
    foreign = AdminUnit.objects.get(scheme=AdminUnit.Scheme.PRE2025, code=FOREIGN_COMMUNE)
    theirs = FacilityFactory(tax_code=make_tax_code(7), name="Cơ sở Hải Dương", commune=foreign)
    assert theirs.province == "31"  # old Hải Dương is part of Hải Phòng since 2025
    plan = upload(bac_ninh_staff, [good_row(7)]).context["plan"]
    [problem] = plan.problems
    assert (problem.row, problem.column) == (2, "tax_code")
    assert "tỉnh/thành phố khác" in problem.message
    assert Facility.objects.get(pk=theirs.pk).name == "Cơ sở Hải Dương"


def test_the_template_lists_the_own_provinces_units(bac_ninh_staff):
    response = bac_ninh_staff.get(reverse("facilities:import_template"))
    workbook = load_workbook(BytesIO(response.content))
    codes = {str(cell) for row in workbook["XaPhuong"].iter_rows(values_only=True) for cell in row}
    assert "09001" in codes and FOREIGN_COMMUNE not in codes


def test_the_command_line_imports_every_province(tmp_path):
    path = tmp_path / "co-so.csv"
    path.write_bytes(csv_bytes([good_row(1), good_row(2, commune_code=FOREIGN_COMMUNE)]))
    call_command("import_facilities", str(path), stdout=StringIO())
    provinces = dict(Facility.objects.values_list("tax_code", "province"))
    assert provinces == {make_tax_code(1): "24", make_tax_code(2): "31"}
