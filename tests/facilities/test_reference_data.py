"""Reference data: administrative units from vietnam-provinces, VSIC 2018 codes."""

import csv
import importlib
from io import StringIO

import pytest
from django.apps import apps as django_apps
from django.core.management import CommandError, call_command

from facilities.models import AdminUnit, IndustryCode
from facilities.reference import PRIORITY_DIVISIONS, load_admin_units, load_industry_codes
from tests.samples import SAMPLES

pytestmark = pytest.mark.django_db

PRE, NEW = AdminUnit.Scheme.PRE2025, AdminUnit.Scheme.V2025
# Commune codes used by shared/samples/facilities.csv (province 27, Bắc Ninh).
SAMPLE_COMMUNES = (
    "09172", "09190", "09199", "09235", "09238", "09253", "09256", "09259", "09262", "09274",
    "09292", "09301", "09304", "09310", "09322", "09325", "09334", "09340", "09346", "09376",
    "09385", "09388", "09412", "09433", "09451", "09460", "09478", "09484", "09508", "09511",
    "09532",
)  # fmt: skip
SAMPLE_FACILITIES = SAMPLES / "facilities.csv"


@pytest.fixture
def bac_ninh():
    return load_admin_units(27)


def test_load_creates_province_districts_and_communes(bac_ninh):
    # 2025 Bắc Ninh (24) is old Bắc Ninh (27) plus old Bắc Giang (24): both are loaded.
    assert bac_ninh["province_created"] == 2
    assert bac_ninh["province_2025_created"] == 1
    assert set(
        AdminUnit.objects.filter(scheme=PRE, level="province").values_list("code", flat=True)
    ) == {"24", "27"}
    assert bac_ninh["district_created"] > 0
    assert bac_ninh["commune_created"] > 0
    assert bac_ninh["commune_2025_created"] > 0
    province = AdminUnit.objects.get(scheme=PRE, code="27")
    assert province.name == "Tỉnh Bắc Ninh"
    assert province.level == AdminUnit.Level.PROVINCE
    assert province.parent is None
    districts = AdminUnit.objects.filter(scheme=PRE, level="district", parent=province)
    assert districts.count() == 8
    assert (
        AdminUnit.objects.filter(scheme=PRE, level="district").count()
        == bac_ninh["district_created"]
    )
    assert all(len(d.code) == 3 for d in districts)


def test_district_and_commune_names_are_full_vietnamese_names(bac_ninh):
    assert AdminUnit.objects.get(scheme=PRE, code="261").name == "Thành phố Từ Sơn"
    assert AdminUnit.objects.get(scheme=PRE, code="259").name == "Thị xã Quế Võ"
    assert AdminUnit.objects.get(scheme=PRE, code="09244").name == "Phường Phong Khê"
    assert AdminUnit.objects.get(scheme=PRE, code="09490").name == "Xã Đại Bái"


@pytest.mark.parametrize("code", SAMPLE_COMMUNES)
def test_sample_communes_exist_with_parent_chain(bac_ninh, code):
    commune = AdminUnit.objects.select_related("parent__parent").get(scheme=PRE, code=code)
    assert commune.level == AdminUnit.Level.COMMUNE
    assert commune.parent.level == AdminUnit.Level.DISTRICT
    assert commune.parent.scheme == PRE
    assert commune.parent.parent.code == "27"
    assert commune.parent.parent.level == AdminUnit.Level.PROVINCE


def test_every_commune_of_the_sample_file_exists(bac_ninh):
    with SAMPLE_FACILITIES.open(encoding="utf-8-sig", newline="") as handle:
        codes = {row["commune_code"] for row in csv.DictReader(handle)}
    known = set(
        AdminUnit.objects.filter(scheme=PRE, level="commune").values_list("code", flat=True)
    )
    assert codes <= known


def test_pre2025_commune_links_to_its_2025_ward(bac_ninh):
    old = AdminUnit.objects.get(scheme=PRE, code="09259")  # Phường Nhân Hòa, Thị xã Quế Võ
    (new,) = old.successors.select_related("parent")
    assert new.scheme == NEW
    assert new.level == AdminUnit.Level.COMMUNE
    assert new.parent.scheme == NEW
    assert new.parent.level == AdminUnit.Level.PROVINCE
    assert new.parent.code == "24"
    # vietnam-provinces 2026.9 has no 2025 ward for three old Bắc Giang communes (Yên Thế):
    # they load without a link, and a facility there is given its 2025 ward by hand.
    unlinked = AdminUnit.objects.filter(scheme=PRE, level="commune", successors__isnull=True)
    assert set(unlinked.values_list("code", flat=True)) == {"07693", "07732", "07744"}


@pytest.fixture
def hai_phong():
    return load_admin_units(30)  # old Hải Dương: means 2025 Hải Phòng


def test_old_code_loads_its_2025_province_and_every_old_part(hai_phong):
    assert hai_phong["province_2025_code"] == 31
    assert AdminUnit.objects.get(scheme=NEW, level="province").name == "Thành phố Hải Phòng"
    old = AdminUnit.objects.filter(scheme=PRE, level="province").values_list("code", "name")
    assert set(old) == {("30", "Tỉnh Hải Dương"), ("31", "Thành phố Hải Phòng")}
    assert AdminUnit.objects.filter(scheme=PRE, level="district", parent__code="30").exists()
    assert AdminUnit.objects.filter(scheme=PRE, level="district", parent__code="31").exists()


def test_a_split_commune_links_to_every_ward_it_became_part_of(hai_phong):
    # Xã Lê Lợi (Gia Lộc, old Hải Dương) went partly to Xã Gia Lộc, partly to Xã Yết Kiêu.
    old = AdminUnit.objects.get(scheme=PRE, code="11041")
    assert set(old.successors.values_list("code", "name")) == {
        ("10999", "Xã Gia Lộc"),
        ("11020", "Xã Yết Kiêu"),
    }
    assert hai_phong["links_created"] > hai_phong["commune_created"]


def test_old_and_new_codes_share_numbers_but_not_units(hai_phong):
    # 11443 is old Phường Trần Thành Ngọ (Kiến An) and also the 2025 Phường Kiến An.
    old = AdminUnit.objects.get(scheme=PRE, code="11443")
    new = AdminUnit.objects.get(scheme=NEW, code="11443")
    assert (old.name, new.name) == ("Phường Trần Thành Ngọ", "Phường Kiến An")
    assert new in old.successors.all()


def test_2025_code_setting_and_old_code_setting_mean_the_same_province(settings):
    from facilities.territory import legacy_province_codes, portal_province_code

    settings.PORTAL_PROVINCE, settings.PORTAL_PROVINCE_CODE = None, 30
    assert (portal_province_code(), legacy_province_codes()) == ("31", ("30", "31"))
    settings.PORTAL_PROVINCE, settings.PORTAL_PROVINCE_CODE = 31, None
    assert (portal_province_code(), legacy_province_codes()) == ("31", ("30", "31"))
    settings.PORTAL_PROVINCE_CODE = 27  # PORTAL_PROVINCE wins
    assert portal_province_code() == "31"
    settings.PORTAL_PROVINCE, settings.PORTAL_PROVINCE_CODE = None, None
    assert (portal_province_code(), legacy_province_codes()) == ("24", ("24", "27"))


def test_links_follow_the_package_on_rerun(hai_phong):
    old = AdminUnit.objects.get(scheme=PRE, code="11041")
    stray = AdminUnit.objects.get(scheme=NEW, code="11443")
    old.successors.add(stray)
    old.successors.remove(AdminUnit.objects.get(scheme=NEW, code="10999"))
    again = load_admin_units(30)
    assert again["links_created"] == 1
    assert set(old.successors.values_list("code", flat=True)) == {"10999", "11020"}


def test_second_run_changes_nothing(bac_ninh):
    before = AdminUnit.objects.count()
    again = load_admin_units(27)
    assert again.pop("province_2025_code") == 24
    assert set(again.values()) == {0}
    assert AdminUnit.objects.count() == before


def test_rerun_repairs_a_changed_name(bac_ninh):
    AdminUnit.objects.filter(scheme=PRE, code="09244").update(name="sai tên")
    again = load_admin_units(27)
    assert again["commune_updated"] == 1
    assert AdminUnit.objects.get(scheme=PRE, code="09244").name == "Phường Phong Khê"


def test_unknown_province_is_refused():
    with pytest.raises(ValueError, match="Không có tỉnh/thành phố mã 99"):
        load_admin_units(99)
    assert not AdminUnit.objects.exists()


def test_command_defaults_to_portal_province_and_prints_counts(settings):
    settings.PORTAL_PROVINCE_CODE = 27
    out = StringIO()
    call_command("load_admin_units", stdout=out)
    assert "xã/phường/thị trấn (trước 1/7/2025): tạo mới" in out.getvalue()
    assert "Đã nạp đơn vị hành chính Tỉnh Bắc Ninh (mã 24)." in out.getvalue()
    assert AdminUnit.objects.filter(scheme=PRE, code="27").exists()


def test_command_accepts_a_pre2025_code(settings):
    out = StringIO()
    call_command("load_admin_units", "--province", "30", stdout=out)
    assert "Thành phố Hải Phòng (mã 31)" in out.getvalue()
    assert AdminUnit.objects.filter(scheme=PRE, level="province", code="30").exists()


def test_command_unknown_province_fails():
    with pytest.raises(CommandError, match="Không có tỉnh/thành phố mã 99"):
        call_command("load_admin_units", "--province", "99", stdout=StringIO())


# --- VSIC 2018 (loaded by migration facilities 0002) -------------------------------------


@pytest.fixture(autouse=True)
def _vsic_loaded():
    # Migration 0002 loads the codes, but a transactional test elsewhere in the session flushes
    # every table; reloading is idempotent and cheap.
    load_industry_codes()


def vsic():
    return IndustryCode.objects.filter(version="VSIC2018")


def test_migration_loads_the_codes():
    migration = importlib.import_module("facilities.migrations.0002_load_vsic2018")
    for level in (3, 2, 1):  # parents are protected
        vsic().filter(level=level).delete()
    migration.load_codes(django_apps, None)
    assert vsic().count() == 200
    assert vsic().get(code="10").parent.code == "C"
    assert set(vsic().filter(is_priority=True).values_list("code", flat=True)) == set(
        PRIORITY_DIVISIONS
    )


def test_all_sections_and_divisions_are_there():
    sections = vsic().filter(level=1)
    divisions = vsic().filter(level=2)
    assert sections.count() == 21
    assert set(sections.values_list("code", flat=True)) == set("ABCDEFGHIJKLMNOPQRSTU")
    assert divisions.count() == 88
    assert all(d.parent is not None and d.parent.level == 1 for d in divisions)


def test_parent_links():
    assert vsic().get(code="10").parent.code == "C"
    assert vsic().get(code="05").parent.code == "B"
    assert vsic().get(code="35").parent.code == "D"
    assert vsic().get(code="99").parent.code == "U"
    assert vsic().get(code="170").parent.code == "17"
    groups = vsic().filter(level=3)
    assert all(g.parent.level == 2 and g.code.startswith(g.parent.code) for g in groups)
    manufacturing = groups.filter(parent__parent__code="C")
    assert manufacturing.count() == 71
    assert {g.parent.code for g in manufacturing} == {str(n) for n in range(10, 34)}


def test_official_names():
    assert vsic().get(code="C").name == "Công nghiệp chế biến, chế tạo"
    assert vsic().get(code="10").name == "Sản xuất, chế biến thực phẩm"
    assert vsic().get(code="13").name == "Dệt"
    assert vsic().get(code="17").name == "Sản xuất giấy và sản phẩm từ giấy"


def test_priority_flags():
    flagged = set(vsic().filter(is_priority=True).values_list("code", flat=True))
    assert flagged == set(PRIORITY_DIVISIONS)
    assert {"10", "13", "17", "20", "23", "24", "25"} <= flagged
    assert "26" not in flagged


def test_reload_is_idempotent_and_keeps_staff_changes():
    vsic().filter(code="26").update(is_priority=True)
    vsic().filter(code="17").update(is_priority=False)
    before = vsic().count()
    assert load_industry_codes() == 0
    assert vsic().count() == before
    assert vsic().get(code="26").is_priority is True
    assert vsic().get(code="17").is_priority is False


def test_reload_restores_missing_codes():
    vsic().filter(level=3, parent__code="17").delete()
    assert load_industry_codes() == 1
    assert vsic().get(code="170").parent.code == "17"


def test_load_industry_codes_command():
    out = StringIO()
    call_command("load_industry_codes", stdout=out)
    assert "VSIC 2018: 200 mã" in out.getvalue()
