"""The national document's annex (reports/files/annex.py) writes a facility of an old commune
with its old district and OLD province, then the 2025 province it is now part of: "Xã Đoan Bái,
Huyện Hiệp Hòa, Tỉnh Bắc Giang (nay thuộc Tỉnh Bắc Ninh)", never the old commune and district
with the 2025 province (an address that never existed); the province's own document is as it
was."""

import pytest

from facilities.models import AdminUnit
from reports import fact_table
from reports.files.annex import annex_rows

from ..factories import CommuneFactory, DistrictFactory, ProvinceFactory
from .indicator_helpers import facility, report

pytestmark = pytest.mark.django_db
YEAR = 2019


@pytest.fixture
def places():
    """A facility of old Bắc Giang (24, now part of Bắc Ninh 24) and one of old Bắc Ninh (27,
    kept its name in 2025), both with an approved report of 2019."""
    ProvinceFactory(code="24", name="Tỉnh Bắc Ninh", scheme=AdminUnit.Scheme.V2025)
    bac_giang = ProvinceFactory(code="24", name="Tỉnh Bắc Giang")
    hiep_hoa = DistrictFactory(name="Huyện Hiệp Hòa", parent=bac_giang)
    doan_bai = CommuneFactory(name="Xã Đoan Bái", parent=hiep_hoa)
    moved = facility(name="Gạch Đoan Bái", commune=doan_bai)
    stayed = facility(name="Gốm Phù Lãng")
    for each in (moved, stayed):
        report(each, YEAR)
    fact_table.rebuild()
    return moved, stayed


def test_the_national_annex_writes_the_address_as_it_was(places):
    moved, stayed = places
    rows = {row.name: row.place for row in annex_rows(YEAR, national=True)}
    assert (
        rows[moved.name] == "Xã Đoan Bái, Huyện Hiệp Hòa, Tỉnh Bắc Giang (nay thuộc Tỉnh Bắc Ninh)"
    )
    district = stayed.commune.parent
    assert rows[stayed.name] == f"{stayed.commune.name}, {district.name}, Tỉnh Bắc Ninh"


def test_the_province_annex_is_as_it_was(places):
    moved, _stayed = places
    rows = {row.name: row.place for row in annex_rows(YEAR, "24")}
    assert rows[moved.name] == "Xã Đoan Bái, Huyện Hiệp Hòa"
