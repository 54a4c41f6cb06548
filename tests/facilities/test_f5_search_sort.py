"""Facility search by industrial area and address; NULL figures sorted last; industrial-area,
old-commune and needs-ward lists in Vietnamese alphabetical order (the test database's collation
is C: "Đ" after "Z")."""

import csv
import importlib
import io
import re

import pytest
from django.apps import apps
from django.urls import reverse

from facilities.importing import apply_import, plan_file
from facilities.models import Facility, IndustrialArea

from ..factories import CommuneFactory, DistrictFactory, FacilityFactory, make_tax_code
from .import_helpers import csv_bytes, good_row, make_references

pytestmark = pytest.mark.django_db

LIST = reverse("facilities:list")


@pytest.fixture(autouse=True)
def _province(settings):
    settings.PORTAL_PROVINCE_CODE = 27


def listed(client, **params) -> list[str]:
    response = client.get(LIST, params)
    assert response.status_code == 200
    return [facility.name for facility in response.context["page"].object_list]


def area(name: str) -> IndustrialArea:
    return IndustrialArea.objects.create(name=name, kind=IndustrialArea.Kind.KCN)


# --- Search by industrial area and address ------------------------------------------------------


@pytest.fixture
def in_zones():
    dinh_tram = FacilityFactory(
        name="Công ty TNHH Điện tử Lạng Giang",
        address="Lô A27, đường số 3",
        industrial_area=area("KCN Đình Trám"),
    )
    tien_son = FacilityFactory(
        name="Công ty Cổ phần Bao bì Kinh Bắc",
        address="Lô C5, đường TS 12",
        industrial_area=area("KCN Tiên Sơn"),
    )
    return dinh_tram, tien_son


@pytest.mark.parametrize("query", ["dinh tram", "Đình Trám", "KCN ĐÌNH TRÁM", "kcn dinh"])
def test_search_finds_facilities_by_their_industrial_area(client, staff, in_zones, query):
    dinh_tram, _ = in_zones
    client.force_login(staff)
    assert listed(client, q=query) == [dinh_tram.name]


def test_search_finds_facilities_by_address(client, staff, in_zones):
    _, tien_son = in_zones
    client.force_login(staff)
    assert listed(client, q="Lô C5") == [tien_son.name]
    assert listed(client, q="duong ts 12") == [tien_son.name]


def test_changing_the_area_or_address_of_a_facility_changes_what_finds_it(client, staff, in_zones):
    dinh_tram, tien_son = in_zones
    dinh_tram.industrial_area = tien_son.industrial_area
    dinh_tram.address = "Lô B2, đường Hữu Nghị"
    dinh_tram.save(update_fields=["industrial_area", "address"])
    client.force_login(staff)
    assert listed(client, q="dinh tram") == []
    assert sorted(listed(client, q="tien son")) == sorted([dinh_tram.name, tien_son.name])
    assert listed(client, q="huu nghi") == [dinh_tram.name]


def test_renaming_an_area_renames_it_in_search(client, staff, in_zones):
    dinh_tram, _ = in_zones
    client.force_login(staff)
    edit = reverse("facilities:area_edit", args=[dinh_tram.industrial_area_id])
    response = client.post(edit, {"kind": "kcn", "name": "Khu công nghiệp Song Khê - Nội Hoàng"})
    assert response.status_code == 302
    assert listed(client, q="Song Khê - Nội Hoàng") == [dinh_tram.name]
    assert listed(client, q="dinh tram") == []


def test_deleting_an_area_drops_it_from_search(client, staff, in_zones):
    dinh_tram, _ = in_zones
    dinh_tram.industrial_area.delete()  # the admin may; the facility keeps no area
    client.force_login(staff)
    assert listed(client, q="dinh tram") == []
    assert listed(client, q="Lô A27") == [dinh_tram.name]


def test_imported_facilities_are_found_by_area_and_address(client, staff):
    make_references()
    zone = area("KCN Đại Đồng - Hoàn Sơn")
    rows = [
        good_row(1, industrial_area=zone.name, address="Lô 12, đường D2"),
        good_row(2),
    ]
    plan = plan_file(io.BytesIO(csv_bytes(rows)), "co-so.csv")
    assert plan.is_valid, plan.problems
    apply_import(plan, user=staff)
    client.force_login(staff)
    first = Facility.objects.get(tax_code=make_tax_code(1)).name
    assert listed(client, q="dai dong - hoan son") == [first]
    assert listed(client, q="lo 12, duong d2") == [first]


def test_the_data_migration_rebuilds_existing_search_text(client, staff, in_zones):
    Facility.objects.update(search_text="")  # as rows stored before this change read
    migration = importlib.import_module("facilities.migrations.0016_search_area_and_address")
    migration.rebuild_search_text(apps, None)
    client.force_login(staff)
    assert listed(client, q="tien son") == [in_zones[1].name]
    assert listed(client, q="lang giang") == [in_zones[0].name]
    assert [f.search_text for f in Facility.objects.order_by("pk")] == [
        f.compute_search_text() for f in Facility.objects.order_by("pk")
    ]


# --- Sorting by figures that may be empty ------------------------------------------------------


@pytest.mark.parametrize("field", ["employees", "established_year"])
@pytest.mark.parametrize("descending", [False, True])
def test_facilities_without_the_figure_come_last(client, staff, field, descending):
    FacilityFactory(name="Công ty A", **{field: None})
    FacilityFactory(name="Công ty B", **{field: 2001})
    FacilityFactory(name="Công ty C", **{field: 2020})
    FacilityFactory(name="Công ty D", **{field: None})
    with_figure = ["Công ty C", "Công ty B"] if descending else ["Công ty B", "Công ty C"]
    sort = f"-{field}" if descending else field
    client.force_login(staff)
    assert listed(client, sort=sort) == [*with_figure, "Công ty A", "Công ty D"]
    response = client.get(reverse("facilities:export"), {"format": "csv", "sort": sort})
    rows = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline=""))
    assert [row["name"] for row in rows] == [*with_figure, "Công ty A", "Công ty D"]


# --- Vietnamese order of the choice lists ------------------------------------------------------


def options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)
    return [text.strip() for text in re.findall(r'<option value="\d+"[^>]*>([^<]+)<', select)]


AREAS = ["KCN Tiên Sơn", "KCN Đình Trám", "KCN Quế Võ", "KCN Đại Đồng - Hoàn Sơn", "CCN Yên Lư"]
AREAS_IN_ORDER = [
    "CCN Yên Lư",
    "KCN Đại Đồng - Hoàn Sơn",
    "KCN Đình Trám",
    "KCN Quế Võ",
    "KCN Tiên Sơn",
]


@pytest.mark.parametrize("url", [LIST, reverse("facilities:create")])
def test_industrial_areas_are_offered_in_vietnamese_order(client, staff, url):
    for name in AREAS:
        area(name)
    client.force_login(staff)
    assert options(client.get(url).text, "industrial_area") == AREAS_IN_ORDER


def test_old_communes_are_offered_by_district_and_name_in_vietnamese_order(client, staff):
    tien_du = DistrictFactory(code="262", name="Huyện Tiên Du")
    dong_anh = DistrictFactory(code="263", name="Huyện Đông Anh")
    for name in ("Xã Yên Giả", "Xã Đông Phong", "Xã Cách Bi"):
        CommuneFactory(name=name, parent=tien_du)
    CommuneFactory(name="Xã Bồng Lai", parent=dong_anh)
    client.force_login(staff)
    offered = options(client.get(LIST).text, "commune")
    assert offered == ["Xã Bồng Lai", "Xã Cách Bi", "Xã Đông Phong", "Xã Yên Giả"]


def test_the_needs_ward_list_reads_in_vietnamese_order(client, staff):
    tien_du = DistrictFactory(code="262", name="Huyện Tiên Du")
    dong_anh = DistrictFactory(code="263", name="Huyện Đông Anh")
    yen_gia = CommuneFactory(name="Xã Yên Giả", parent=tien_du)
    dong_phong = CommuneFactory(name="Xã Đông Phong", parent=tien_du)
    bong_lai = CommuneFactory(name="Xã Bồng Lai", parent=dong_anh)
    FacilityFactory(name="Công ty Tân Phát", commune=yen_gia)
    FacilityFactory(name="Công ty Thép", commune=dong_phong)
    FacilityFactory(name="Công ty Đại Việt", commune=bong_lai)
    FacilityFactory(name="Công ty Tam Hợp", commune=bong_lai)
    client.force_login(staff)
    page = client.get(reverse("facilities:needs_ward")).context["page"]
    assert [facility.name for facility in page.object_list] == [
        "Công ty Đại Việt",  # Huyện Đông Anh, Xã Bồng Lai
        "Công ty Tam Hợp",
        "Công ty Thép",  # Huyện Tiên Du, Xã Đông Phong before Xã Yên Giả
        "Công ty Tân Phát",
    ]
