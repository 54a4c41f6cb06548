"""Industrial area names are unique per province, not nationally (DESIGN §2 "National
installation"): in a national installation a province's staff may name an area as another
province has named one of its own, the duplicate check and its message only look at their own
province's areas, the import template lists their province's areas only, and an import for every
province (the command line) places each facility in the area of its own province."""

from io import BytesIO, StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.urls import reverse
from openpyxl import load_workbook

from facilities.import_columns import LABELS
from facilities.models import AdminUnit, Facility, IndustrialArea

from ..assessments.national_helpers import national, staff_bn, staff_hp
from ..factories import DistrictFactory, ProvinceFactory, make_tax_code
from .import_helpers import AREA, FOREIGN_COMMUNE, csv_bytes, good_row, make_references

__all__ = ["national", "staff_bn", "staff_hp"]  # fixtures

pytestmark = pytest.mark.django_db
LIST = reverse("facilities:area_list")
CREATE = reverse("facilities:area_create")
TEMPLATE = reverse("facilities:import_template")
IMPORT = reverse("facilities:import")

# Hải Phòng's area (old Hải Dương 30, now 31), spelt unlike the Bắc Ninh one so that a page
# naming it can be told from one naming Bắc Ninh's.
THEIRS = "Cụm Công Nghiệp Số 1"
OURS = "Cụm công nghiệp số 1"


@pytest.fixture
def units(db):
    """The import's units (old Bắc Ninh 27 → 24 with district 256, old Hải Dương 30 → 31 with
    district 288, an area in no district) → (Bắc Ninh's district, Hải Phòng's district)."""
    make_references()
    return (
        AdminUnit.objects.get(scheme=AdminUnit.Scheme.PRE2025, code="256"),
        AdminUnit.objects.get(scheme=AdminUnit.Scheme.PRE2025, code="288"),
    )


@pytest.fixture
def theirs(units):
    _ours, hai_duong = units
    return IndustrialArea.objects.create(kind="ccn", name=THEIRS, district=hai_duong)


def area_data(district, name=OURS):
    return {"kind": "ccn", "name": name, "district": district.pk}


# --------------------------------------------------------------------------------------------
# The area pages


def test_a_province_may_reuse_another_provinces_name(client, national, units, theirs, staff_bn):
    que_vo, _hai_duong = units
    client.force_login(staff_bn)
    response = client.post(CREATE, area_data(que_vo))
    assert response.status_code == 302
    ours = IndustrialArea.objects.get(district=que_vo)
    assert ours.name == OURS
    page = client.get(LIST).text
    assert OURS in page and THEIRS not in page


def test_a_duplicate_within_the_province_names_its_own_area(
    client, national, units, theirs, staff_bn
):
    que_vo, _hai_duong = units
    IndustrialArea.objects.create(kind="ccn", name=OURS, district=que_vo)
    client.force_login(staff_bn)
    response = client.post(CREATE, area_data(que_vo, name="CỤM CÔNG NGHIỆP SỐ 1"))
    assert response.status_code == 200
    page = response.text
    assert f"Tên này trùng với khu/cụm công nghiệp “{OURS}” đã có." in page
    assert THEIRS not in page
    assert IndustrialArea.objects.count() == 3  # theirs, ours and make_references' AREA


def test_renaming_to_another_provinces_name_is_allowed(client, national, units, theirs, staff_bn):
    que_vo, _hai_duong = units
    area = IndustrialArea.objects.create(kind="kcn", name="KCN Quế Võ 2", district=que_vo)
    client.force_login(staff_bn)
    edit = reverse("facilities:area_edit", args=[area.pk])
    response = client.post(edit, area_data(que_vo))
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.name == OURS


def test_an_area_in_no_district_is_every_provinces_name(client, national, units, staff_bn):
    """An area placed in no district is listed to every province (territory.industrial_areas),
    so no province may give its own area that name: its lists would show the name twice."""
    que_vo, _hai_duong = units
    client.force_login(staff_bn)
    response = client.post(CREATE, area_data(que_vo, name=AREA.upper()))
    assert response.status_code == 200
    assert f"Tên này trùng với khu/cụm công nghiệp “{AREA}” đã có." in response.text


def test_another_province_is_not_blocked_either(client, national, units, staff_hp):
    que_vo, hai_duong = units
    IndustrialArea.objects.create(kind="ccn", name=OURS, district=que_vo)
    client.force_login(staff_hp)
    response = client.post(CREATE, area_data(hai_duong, name=THEIRS))
    assert response.status_code == 302
    assert set(IndustrialArea.objects.filter(district__isnull=False).values_list("name")) == {
        (OURS,),
        (THEIRS,),
    }


def test_a_one_province_installation_still_refuses_the_name(client, units, theirs, staff):
    """Every area is the province's in a one-province installation, whatever its district."""
    que_vo, _hai_duong = units
    client.force_login(staff)
    response = client.post(CREATE, area_data(que_vo))
    assert response.status_code == 200
    assert f"Tên này trùng với khu/cụm công nghiệp “{THEIRS}” đã có." in response.text
    assert not IndustrialArea.objects.filter(district=que_vo).exists()


def test_the_database_keeps_a_name_unique_in_a_district_and_without_one(units):
    que_vo, hai_duong = units
    IndustrialArea.objects.create(kind="ccn", name=OURS, district=que_vo)
    IndustrialArea.objects.create(kind="ccn", name=OURS, district=hai_duong)
    for district in (que_vo, None):
        IndustrialArea.objects.create(kind="ccn", name="Làng nghề", district=district)
        with pytest.raises(IntegrityError), transaction.atomic():
            IndustrialArea.objects.create(kind="craft", name="Làng nghề", district=district)


# --------------------------------------------------------------------------------------------
# The import template and imports


def template_areas(client) -> list[str]:
    workbook = load_workbook(BytesIO(client.get(TEMPLATE).content))
    sheet = workbook["LuaChon"]
    header = [cell.value for cell in sheet[1]]
    column = header.index(LABELS["industrial_area"])
    return [row[column] for row in sheet.iter_rows(min_row=2, values_only=True) if row[column]]


def test_the_template_lists_the_provinces_areas(client, national, units, theirs, staff_bn):
    que_vo, _hai_duong = units
    IndustrialArea.objects.create(kind="kcn", name="KCN Quế Võ II", district=que_vo)
    client.force_login(staff_bn)
    assert sorted(template_areas(client)) == sorted(["KCN Quế Võ II", AREA])


def test_a_one_province_template_lists_every_area(client, settings, units, theirs, staff):
    settings.PORTAL_PROVINCE_CODE = 27
    client.force_login(staff)
    assert sorted(template_areas(client)) == sorted([THEIRS, AREA])


@pytest.fixture
def both_named(units, theirs):
    """Bắc Ninh's area named as Hải Phòng's (THEIRS), case aside."""
    que_vo, _hai_duong = units
    return IndustrialArea.objects.create(kind="ccn", name=OURS, district=que_vo), theirs


def import_command(tmp_path, rows) -> str:
    path = tmp_path / "co-so.csv"
    path.write_bytes(csv_bytes(rows))
    out = StringIO()
    call_command("import_facilities", str(path), stdout=out)
    return out.getvalue()


def test_the_command_places_each_facility_in_its_provinces_area(tmp_path, national, both_named):
    ours, theirs = both_named
    rows = [
        good_row(1, industrial_area="cụm công nghiệp số 1"),
        good_row(2, commune_code=FOREIGN_COMMUNE, industrial_area="CỤM CÔNG NGHIỆP SỐ 1"),
        good_row(3, industrial_area=AREA),
    ]
    import_command(tmp_path, rows)
    placed = dict(Facility.objects.values_list("tax_code", "industrial_area__name"))
    assert placed == {make_tax_code(1): OURS, make_tax_code(2): THEIRS, make_tax_code(3): AREA}
    areas = dict(Facility.objects.values_list("tax_code", "industrial_area"))
    assert (areas[make_tax_code(1)], areas[make_tax_code(2)]) == (ours.pk, theirs.pk)


def test_the_command_refuses_a_shared_name_the_facilitys_province_lacks(
    tmp_path, national, both_named
):
    ha_noi = ProvinceFactory(code="01", name="Thành phố Hà Nội")
    DistrictFactory(code="001", name="Quận Ba Đình", parent=ha_noi)
    ours, _theirs = both_named
    ours.district = AdminUnit.objects.get(scheme=AdminUnit.Scheme.PRE2025, code="001")
    ours.save()
    path = tmp_path / "co-so.csv"
    path.write_bytes(csv_bytes([good_row(1, industrial_area=OURS)]))
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import_facilities", str(path), stdout=out)
    assert f"Khu/cụm công nghiệp “{OURS}” không thuộc" in out.getvalue()
    assert not Facility.objects.exists()


def test_the_command_refuses_another_provinces_area(tmp_path, national, theirs):
    """A name only Hải Phòng's area bears does not place a Bắc Ninh facility in Hải Phòng."""
    path = tmp_path / "co-so.csv"
    path.write_bytes(csv_bytes([good_row(1, industrial_area=THEIRS)]))
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import_facilities", str(path), stdout=out)
    assert f"row 2, column industrial_area: Khu/cụm công nghiệp “{THEIRS}” không thuộc" in (
        out.getvalue()
    )
    assert not Facility.objects.exists()


def test_the_web_import_uses_the_users_provinces_area(client, national, both_named, staff_bn):
    ours, _theirs = both_named
    client.force_login(staff_bn)
    rows = csv_bytes([good_row(1, industrial_area=THEIRS)])
    response = client.post(IMPORT, {"file": SimpleUploadedFile("co-so.csv", rows)})
    plan = response.context["plan"]
    assert plan.is_valid, plan.problems
    [facility] = plan.new_facilities
    assert facility.industrial_area_id == ours.pk
