"""The Ministry's table writes targets the Vietnamese way, as the dashboard and the documents do
("7,4–12", never "7.4-12"), while the province's XLSX keeps the plan's "8-13" (DESIGN §5 ChiTieu);
the national document's annex writes a facility's old commune and district with its OLD
province, then the 2025 province it is now part of."""

from decimal import Decimal

import pytest
from openpyxl import load_workbook

from reports.files import content
from reports.files.annex import annex_place
from reports.files.xlsx import SHEET_INDICATORS, write_xlsx
from reports.models import Indicator, IndicatorMilestone

from .report_files_data import build_report_data
from .test_ministry_table import YEAR, by_label, section, workbook_rows


def _saving_targets() -> Indicator:
    """SAVING_PCT of the year's period: the year's milestone 7.4-12, the period's target 6.8-11."""
    indicator = Indicator.objects.get(
        period__start_year__lte=YEAR,
        period__end_year__gte=YEAR,
        period__province="",
        code="SAVING_PCT",
    )
    IndicatorMilestone.objects.update_or_create(
        indicator=indicator,
        year=YEAR,
        defaults={"target_min": Decimal("7.4"), "target_max": Decimal("12")},
    )
    indicator.target_min, indicator.target_max = Decimal("6.8"), Decimal("11")
    indicator.save()
    return indicator


@pytest.mark.django_db
def test_the_ministry_table_writes_targets_the_vietnamese_way(tmp_path):
    build_report_data()
    _saving_targets()
    _, rows = workbook_rows(tmp_path)
    saving = by_label(section(rows, "I."))["SAVING_PCT"]
    assert saving[4:6] == ["7,4–12", "6,8–11"]
    # An indicator without a milestone of the year: an empty cell, not a dash.
    others = [row for code, row in by_label(section(rows, "I.")).items() if code != "SAVING_PCT"]
    assert all(row[4] != "–" for row in others)


@pytest.mark.django_db
def test_the_province_xlsx_keeps_the_plans_writing(tmp_path):
    build_report_data()
    _saving_targets()
    path = tmp_path / "report.xlsx"
    write_xlsx(content.gather(YEAR, lambda percent: None), path, lambda percent: None)
    sheet = load_workbook(path)[SHEET_INDICATORS]
    targets = {row[0]: row[3] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert targets["SAVING_PCT"] == "6.8-11"  # the period's target, as the plan writes it


def test_a_2019_national_annex_writes_the_old_province_then_the_new_one():
    place = annex_place(
        2019,
        national=True,
        commune="Xã Đoan Bái",
        district="Huyện Hiệp Hòa",
        ward=None,
        province="Tỉnh Bắc Ninh",
        old_province="Tỉnh Bắc Giang",
    )
    assert place == "Xã Đoan Bái, Huyện Hiệp Hòa, Tỉnh Bắc Giang (nay thuộc Tỉnh Bắc Ninh)"


def test_an_old_province_that_kept_its_name_is_written_once():
    place = annex_place(
        2019,
        national=True,
        commune="Xã Phù Lãng",
        district="Huyện Quế Võ",
        ward=None,
        province="Tỉnh Bắc Ninh",
        old_province="Tỉnh Bắc Ninh",
    )
    assert place == "Xã Phù Lãng, Huyện Quế Võ, Tỉnh Bắc Ninh"


def test_a_facility_of_a_2025_ward_only_keeps_ward_and_province():
    place = annex_place(
        2019,
        national=True,
        commune=None,
        district=None,
        ward="Phường Hồng Bàng",
        province="Thành phố Hải Phòng",
        old_province=None,
    )
    assert place == "Phường Hồng Bàng, Thành phố Hải Phòng"


def test_from_2025_without_a_ward_the_old_place_is_whole_too():
    place = annex_place(
        2025,
        national=True,
        commune="Xã Đoan Bái",
        district="Huyện Hiệp Hòa",
        ward=None,
        province="Tỉnh Bắc Ninh",
        old_province="Tỉnh Bắc Giang",
    )
    assert place.startswith("Xã Đoan Bái, Huyện Hiệp Hòa, Tỉnh Bắc Giang (nay thuộc Tỉnh Bắc Ninh)")


def test_the_province_document_names_no_province_for_an_old_place():
    place = annex_place(
        2019,
        national=False,
        commune="Xã Đoan Bái",
        district="Huyện Hiệp Hòa",
        ward=None,
        province="Tỉnh Bắc Ninh",
        old_province="Tỉnh Bắc Giang",
    )
    assert place == "Xã Đoan Bái, Huyện Hiệp Hòa"
