"""The workbook's options sheet (GiaiPhap) of a year lists only what was known by then: an
option without an implementation year (planned, dropped) belongs to its assessment's year
(reports.files.activities.assessment_year_q), so a 2019 workbook lists nothing a 2020
assessment found."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from reports.files import content, xlsx

from ..factories import AssessmentFactory, FacilityFactory, OptionFactory

pytestmark = pytest.mark.django_db


def options_listed(year, tmp_path) -> set[str]:
    path = tmp_path / f"report-{year}.xlsx"
    xlsx.write_xlsx(content.gather(year, lambda percent: None), path, lambda percent: None)
    sheet = load_workbook(BytesIO(path.read_bytes()))["GiaiPhap"]
    return {row[4] for row in sheet.iter_rows(min_row=2, values_only=True)}


def test_options_without_a_year_follow_their_assessments_year(tmp_path):
    facility = FacilityFactory(established_year=2010)
    of_2018 = AssessmentFactory(
        facility=facility, start_date=date(2018, 3, 1), end_date=date(2018, 6, 30)
    )
    of_2020 = AssessmentFactory(
        facility=facility, baseline_year=2019, start_date=date(2020, 2, 27), end_date=None
    )
    ended_2020 = AssessmentFactory(
        facility=facility,
        baseline_year=2018,
        start_date=date(2019, 11, 1),
        end_date=date(2020, 1, 15),
    )
    OptionFactory(assessment=of_2018, description="Đã làm 2018", implementation_year=2018)
    OptionFactory(
        assessment=of_2018,
        description="Dự kiến từ 2018",
        status="planned",
        implementation_year=None,
    )
    OptionFactory(
        assessment=of_2020,
        description="Dự kiến từ 2020",
        status="planned",
        implementation_year=None,
    )
    OptionFactory(
        assessment=ended_2020,
        description="Loại bỏ, kết thúc 2020",
        status="dropped",
        implementation_year=None,
    )

    assert options_listed(2019, tmp_path) == {"Đã làm 2018", "Dự kiến từ 2018"}
    assert options_listed(2020, tmp_path) == {
        "Đã làm 2018",
        "Dự kiến từ 2018",
        "Dự kiến từ 2020",
        "Loại bỏ, kết thúc 2020",
    }
