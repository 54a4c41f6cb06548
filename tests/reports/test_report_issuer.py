"""Documents are headed by today's issuer (DESIGN §3, issue 13): from 1 July 2025 the 2025
province's People's Committee and Department, before that the old province's."""

from datetime import date
from io import BytesIO

import pytest
from docx import Document
from pypdf import PdfReader

from facilities.reference import load_admin_units
from reports import generation
from reports.files.issuer import Issuer, heading, issuer
from reports.models import Report

from ..factories import ProvinceFactory, UserFactory

pytestmark = pytest.mark.django_db

EVE, DAY_ONE = date(2025, 6, 30), date(2025, 7, 1)


def test_hai_phong_issues_from_1_july_2025(settings):
    settings.PORTAL_PROVINCE_CODE = 30  # old Hải Dương, part of Hải Phòng since 1 July 2025
    assert issuer(DAY_ONE) == Issuer(
        province="Thành phố Hải Phòng",
        superior="UBND THÀNH PHỐ HẢI PHÒNG",
        issuing_body="SỞ CÔNG THƯƠNG",
        place="Hải Phòng",
    )
    # Before: the old province the installation was configured for (old Hải Dương, 30).
    assert issuer(EVE).superior == "UBND TỈNH HẢI DƯƠNG"
    # Configured by its 2025 code: the old province whose code it kept (old Hải Phòng, 31).
    settings.PORTAL_PROVINCE_CODE, settings.PORTAL_PROVINCE = None, 31
    assert issuer(EVE).superior == "UBND THÀNH PHỐ HẢI PHÒNG"


def test_bac_ninh_before_and_after_1_july_2025(settings):
    settings.PORTAL_PROVINCE_CODE = (
        27  # means the 2025 province 24 (old Bắc Giang 24 + Bắc Ninh 27)
    )
    before, after = issuer(EVE), issuer(DAY_ONE)
    # Before 1 July 2025 old Bắc Ninh's own department issued (not old Bắc Giang, whose code 24
    # the 2025 province kept).
    assert (before.superior, before.issuing_body, before.place) == (
        "UBND TỈNH BẮC NINH",
        "SỞ CÔNG THƯƠNG",
        "Bắc Ninh",
    )
    assert after.province == "Tỉnh Bắc Ninh"  # facilities.provinces.NAME_CORRECTIONS
    assert (after.superior, after.place) == ("UBND TỈNH BẮC NINH", "Bắc Ninh")


def test_a_tinh_keeps_its_unit_type(settings):
    settings.PORTAL_PROVINCE = 33  # Hưng Yên since 2025 (old Hưng Yên 33 + old Thái Bình 34)
    assert issuer(DAY_ONE).superior == "UBND TỈNH HƯNG YÊN"
    assert issuer(EVE).superior == "UBND TỈNH HƯNG YÊN"


def test_the_loaded_name_wins_over_the_reference(settings):
    settings.PORTAL_PROVINCE_CODE = 27
    ProvinceFactory(code="27", name="Tỉnh Bắc Ninh (đã nạp)")
    assert issuer(EVE).place == "Bắc Ninh (đã nạp)"


def test_heading_date_line_follows_the_issuer(settings):
    settings.PORTAL_PROVINCE_CODE = 30
    assert heading(DAY_ONE).place_and_date == "Hải Phòng, ngày 01 tháng 7 năm 2025"
    assert heading(date(2025, 6, 30)).superior == "UBND TỈNH HẢI DƯƠNG"


def test_unknown_province_is_left_blank(settings):
    settings.PORTAL_PROVINCE = 99
    by = issuer(DAY_ONE)
    assert (by.superior, by.place) == ("UBND TỈNH …", "…")


# --- the generated files (dated today, after 1 July 2025) --------------------------------------


@pytest.fixture
def hai_phong(settings):
    settings.PORTAL_PROVINCE_CODE = 30
    load_admin_units(30)


def build(fmt: str) -> bytes:
    report = Report.objects.create(year=2024, format=fmt, requested_by=UserFactory(role="staff"))
    outcome = generation.report_generate(report_id=report.pk)
    report.refresh_from_db()
    assert outcome == generation.Outcome.SUCCEEDED, report.error
    with report.file.open("rb") as handle:
        return handle.read()


def test_pdf_is_headed_by_hai_phong(hai_phong):
    reader = PdfReader(BytesIO(build("pdf")))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    top = text.split("BÁO CÁO")[0]  # the heading block (tables may name old units)
    assert "UBND THÀNH PHỐ HẢI PHÒNG SỞ CÔNG THƯƠNG" in top
    assert "Hải Phòng, ngày" in top
    assert "HẢI DƯƠNG" not in top.upper()


def test_docx_is_headed_by_hai_phong(hai_phong):
    document = Document(BytesIO(build("docx")))
    left, right = (cell.text for cell in document.tables[0].rows[0].cells)
    assert left.startswith("UBND THÀNH PHỐ HẢI PHÒNG\nSỞ CÔNG THƯƠNG\n")
    assert "Hải Phòng, ngày" in right
    assert "HẢI DƯƠNG" not in (left + right).upper()
