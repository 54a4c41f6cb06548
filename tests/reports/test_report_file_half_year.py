"""The half-year report ("6 tháng đầu năm", DOMAIN.md "Official documents"): its PDF and DOCX
cover the first six months — activities, their funding and assessments dated after 30 June are
left out — and say so in their captions; section IV is the rest of the year's tasks."""

from datetime import date

import pytest

from reports import generation
from reports.models import Report

from ..factories import ActivityFactory, AssessmentFactory, UserFactory
from .file_text import docx_text, pdf_text
from .report_files_data import YEAR, build_report_data

pytestmark = pytest.mark.django_db

# build_report_data: a workshop on 20 May (45 + 30 million đồng) and a communication event on
# 1 September (5 million đồng, other sources).
AUTUMN_TITLE = "Khóa đào tạo đánh giá SXSH tháng 10"


@pytest.fixture
def data(db):
    built = build_report_data()
    # An activity and an assessment of the second half of the year.
    ActivityFactory(
        kind="training",
        title=AUTUMN_TITLE,
        date=date(YEAR, 10, 2),
        budget_province_vnd=70_000_000,
    )
    beer = built.facilities[0]
    AssessmentFactory(facility=beer, start_date=date(YEAR, 9, 1), end_date=date(YEAR, 10, 15))
    return built


def build(fmt: str, kind: str) -> bytes:
    report = Report.objects.create(
        kind=kind, year=YEAR, format=fmt, requested_by=UserFactory(role="staff")
    )
    outcome = generation.report_generate(report_id=report.pk)
    report.refresh_from_db()
    assert outcome == generation.Outcome.SUCCEEDED, report.error
    with report.file.open("rb") as handle:
        return handle.read()


@pytest.mark.parametrize("fmt, read", [("pdf", pdf_text), ("docx", docx_text)])
def test_half_year_document_covers_the_first_six_months(data, fmt, read):
    text = read(build(fmt, Report.Kind.HALF_YEAR_PROGRESS))
    assert f"6 tháng đầu năm {YEAR}" in text
    assert f"Các hoạt động của chương trình 6 tháng đầu năm {YEAR}" in text
    assert f"Các hoạt động của chương trình năm {YEAR}" not in text
    # The May workshop is in, with its 75 million đồng; the September event, the October
    # course and their money are not.
    assert "Hội thảo nâng cao nhận thức SXSH ngành thực phẩm" in text
    assert "75.000.000" in text
    assert AUTUMN_TITLE not in text
    assert "01/09/" not in text and "02/10/" not in text
    for total in ("80.000.000", "150.000.000", "155.000.000"):
        assert total not in text, total
    # No assessment ended by 30 June.
    assert "Số cơ sở được đánh giá SXSH trong 6 tháng đầu năm 0" in text
    assert "PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM" in text
    assert "NHIỆM VỤ NĂM TỚI" not in text

    # The annual document of the same year keeps the whole year.
    text = read(build(fmt, Report.Kind.ANNUAL_PROGRESS))
    assert f"Các hoạt động của chương trình năm {YEAR}" in text
    assert AUTUMN_TITLE in text
    assert "150.000.000" in text  # 45 + 30 (May) + 5 (September) + 70 (October) million
    assert "Số cơ sở được đánh giá SXSH trong năm 1" in text
    assert "PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM TỚI" in text
    assert "6 tháng đầu năm" not in text and "6 THÁNG CUỐI NĂM" not in text


def test_half_year_document_without_activities_in_the_first_half(db):
    ActivityFactory(kind="training", title=AUTUMN_TITLE, date=date(YEAR, 11, 20))
    text = docx_text(build("docx", Report.Kind.HALF_YEAR_PROGRESS))
    assert "Không có hoạt động nào trong 6 tháng đầu năm." in text
    assert AUTUMN_TITLE not in text


def test_two_assessments_of_one_facility_are_one_facility_assessed(data):
    # A quick and a detailed assessment of the same facility in the same year: the headline
    # "facilities assessed" counts it once (the assessment table lists both).
    beer = data.facilities[0]
    AssessmentFactory(facility=beer, start_date=date(YEAR, 11, 1), end_date=date(YEAR, 11, 20))
    text = docx_text(build("docx", Report.Kind.ANNUAL_PROGRESS))
    assert "Số cơ sở được đánh giá SXSH trong năm 1" in text
