"""The remaining places that name an old district: the activity form's and the missing-reports
page's district selects, the findings page's "by district" list and its XLSX export, and the
place of an activity in the year's documents, name two "Huyện Châu Thành" apart
(territory.unit_label)."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import AnnualReport, QualityFinding, QualityRule
from facilities.models import AdminUnit
from reports.files.activities import activity_rows

from ..factories import ActivityFactory
from .namesake_districts import BEN_TRE, LONG_HO, TRA_VINH, YEAR, build_places

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(settings):
    return build_places(settings)


def _district(code: str) -> AdminUnit:
    return AdminUnit.objects.get(scheme=AdminUnit.Scheme.PRE2025, code=code)


def test_the_activity_forms_district_select_names_the_namesakes_apart(places, client, staff):
    client.force_login(staff)
    page = client.get(reverse("assessments:activity_create")).text
    for label in (BEN_TRE, TRA_VINH, LONG_HO):
        assert f">{label}</option>" in page, label


def test_the_missing_reports_places_name_the_namesakes_apart(places, client, staff):
    AnnualReport.objects.update(state="draft")  # none handed in: every place has one missing
    client.force_login(staff)
    page = client.get(reverse("assessments:missing_reports"), {"year": YEAR}).text
    for label in (BEN_TRE, TRA_VINH, LONG_HO):
        assert f">{label}</a>" in page, label


def test_findings_by_district_and_their_export_name_the_namesakes_apart(places, client, staff):
    rule = QualityRule.objects.order_by("pk").first()
    for report in AnnualReport.objects.all():
        QualityFinding.objects.create(report=report, rule=rule, severity="warning", message="x")
    client.force_login(staff)
    url = reverse("assessments:quality_findings")

    page = client.get(url).text
    assert f">{BEN_TRE}</a>" in page and f">{TRA_VINH}</a>" in page

    export = client.get(url, {"format": "xlsx"})
    sheet = load_workbook(
        BytesIO(b"".join(export.streaming_content if export.streaming else [export.content]))
    ).active
    header, *rows = sheet.iter_rows(values_only=True)
    column = header.index("Huyện (trước 2025)")
    assert sorted(row[column] for row in rows) == sorted([BEN_TRE, TRA_VINH, LONG_HO])


def test_an_activity_in_a_namesake_district_is_placed_with_its_province(places):
    ActivityFactory(date=date(YEAR, 5, 10), district=_district("847"), title="Hội thảo Trà Vinh")
    ActivityFactory(date=date(YEAR, 6, 10), district=_district("857"), title="Hội thảo Long Hồ")

    places_of = {row.title: row.district for row in activity_rows(YEAR)}

    assert places_of == {"Hội thảo Trà Vinh": TRA_VINH, "Hội thảo Long Hồ": LONG_HO}
