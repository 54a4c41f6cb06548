"""The activity table of a document gives each activity's place in the units of its date: the
old district before 1 July 2025, the 2025 commune/ward from then on (Activity.place)."""

from datetime import date

import pytest

from facilities.models import AdminUnit
from reports import generation
from reports.generation import Outcome
from reports.models import Report

from ..factories import ActivityFactory, DistrictFactory, ProvinceFactory, UserFactory
from .file_text import docx_text

pytestmark = pytest.mark.django_db


def test_a_later_activity_shows_its_ward_and_an_earlier_one_its_district(settings):
    settings.PORTAL_PROVINCE = 24
    settings.PORTAL_PROVINCE_CODE = None
    province = ProvinceFactory(code="24", name="Tỉnh Bắc Ninh", scheme=AdminUnit.Scheme.V2025)
    ward = AdminUnit.objects.create(
        code="09193",
        name="Phường Kinh Bắc",
        level=AdminUnit.Level.COMMUNE,
        scheme=AdminUnit.Scheme.V2025,
        parent=province,
    )
    district = DistrictFactory(code="256", name="Huyện Quế Võ")
    ActivityFactory(title="Hội thảo tháng Mười", date=date(2025, 10, 2), ward=ward)
    ActivityFactory(title="Hội thảo tháng Ba", date=date(2025, 3, 2), district=district)
    report = Report.objects.create(year=2025, format="docx", requested_by=UserFactory())
    assert generation.report_generate(report_id=report.pk) == Outcome.SUCCEEDED
    report.refresh_from_db()
    with report.file.open("rb") as handle:
        text = docx_text(handle.read())
    assert "Hội thảo tháng Mười Phường Kinh Bắc" in text
    assert "Hội thảo tháng Ba Huyện Quế Võ" in text


def test_the_national_document_names_the_province_of_each_place(settings):
    # Commune names repeat across provinces: the whole country's list says which province.
    settings.PORTAL_SCOPE = "national"
    province = ProvinceFactory(code="24", name="Tỉnh Bắc Ninh", scheme=AdminUnit.Scheme.V2025)
    ward = AdminUnit.objects.create(
        code="09193",
        name="Phường Kinh Bắc",
        level=AdminUnit.Level.COMMUNE,
        scheme=AdminUnit.Scheme.V2025,
        parent=province,
    )
    ActivityFactory(title="Hội thảo tháng Mười", date=date(2025, 10, 2), ward=ward, province="24")
    report = Report.objects.create(year=2025, format="docx", province="")
    assert generation.report_generate(report_id=report.pk) == Outcome.SUCCEEDED
    report.refresh_from_db()
    with report.file.open("rb") as handle:
        text = docx_text(handle.read())
    assert "Hội thảo tháng Mười Phường Kinh Bắc, Tỉnh Bắc Ninh" in text
