"""Places are listed in Vietnamese alphabetical order in the tables of groups (dashboard, API,
documents): "Đ" after "D", "ă/â" after "a", "ư" after "u"; a group without a place stays last.
The national table of provinces lists provinces of equal rate the same way."""

import pytest

from facilities.models import AdminUnit
from reports import fact_table
from reports.figures import Counts
from reports.files.sheets import annex_facts, facility_rows
from reports.groupings import NONE_KEY, Grouping, breakdowns
from reports.reporting import reporting_by_province

from ..factories import CommuneFactory
from .indicator_helpers import YEAR, facility, report

WARDS = {
    "1": "Phường Tân An",
    "2": "Phường Tam Sơn",
    "3": "Phường Đa Mai",
    "4": "Phường Dũng Liệt",
    "5": "Xã Bảo Đài",
    NONE_KEY: "Chưa xác định xã/phường mới",
}
DISTRICTS = {"1": "Huyện Lương Tài", "2": "Huyện Lục Nam", "3": "Huyện Lạng Giang"}


def _labels(grouping, names):
    groups = {key: Counts(operating=1) for key in names}
    return [row.label for row in breakdowns(grouping, groups, {grouping: names})]


def test_wards_in_vietnamese_order_unplaced_last():
    assert _labels(Grouping.WARD, WARDS) == [
        "Phường Dũng Liệt",
        "Phường Đa Mai",
        "Phường Tam Sơn",
        "Phường Tân An",
        "Xã Bảo Đài",
        "Chưa xác định xã/phường mới",
    ]


def test_old_districts_in_vietnamese_order():
    assert _labels(Grouping.OLD_DISTRICT, DISTRICTS) == [
        "Huyện Lạng Giang",
        "Huyện Lục Nam",
        "Huyện Lương Tài",
    ]


@pytest.mark.django_db
def test_national_provinces_of_equal_rate_in_vietnamese_order():
    for code, name in (
        ("01", "Tỉnh Điện Biên"),
        ("02", "Tỉnh Gia Lai"),
        ("03", "Tỉnh Cà Mau"),
        ("04", "Tỉnh Đồng Nai"),
        ("05", "Tỉnh Tây Ninh"),
    ):
        AdminUnit.objects.create(
            code=code, name=name, level=AdminUnit.Level.PROVINCE, scheme=AdminUnit.Scheme.V2025
        )
    rows = reporting_by_province(2024, [])
    assert [row.name for row in rows] == [
        "Tỉnh Cà Mau",
        "Tỉnh Điện Biên",
        "Tỉnh Đồng Nai",
        "Tỉnh Gia Lai",
        "Tỉnh Tây Ninh",
    ]


@pytest.mark.django_db
def test_workbook_and_annex_list_facilities_in_vietnamese_order():
    """The facilities sheet of the workbook and the annex of the PDF/DOCX: in one old district,
    facilities by name in Vietnamese order ("Đ" after "D", "Tân" after "Tam")."""
    commune = CommuneFactory()
    names = ["Công ty Tân Phát", "Công ty Đại Việt", "Công ty Tam Hợp", "Công ty Dũng Tiến"]
    for name in names:
        report(facility(name=name, commune=commune), YEAR)
    fact_table.rebuild()
    expected = ["Công ty Dũng Tiến", "Công ty Đại Việt", "Công ty Tam Hợp", "Công ty Tân Phát"]
    assert [row[1] for row in facility_rows(YEAR)] == expected
    annex = annex_facts(YEAR, None, 10, by_ward=False, by_province=False)
    assert [row[0] for row in annex] == expected
