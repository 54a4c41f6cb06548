"""A small province for the generated-report tests: two districts, two sectors, four facilities
with approved, draft and missing 2017–2018 reports, an activity, options and a manual value.

Call `build_report_data()` in a test (or a fixture) that has database access.
"""

from datetime import date
from types import SimpleNamespace

from assessments.models import Participation
from reports.models import Indicator, IndicatorValue

from ..factories import (
    ActivityFactory,
    AnnualReportFactory,
    AssessmentFactory,
    CommuneFactory,
    DistrictFactory,
    FacilityFactory,
    IndustryCodeFactory,
    OptionFactory,
    ProvinceFactory,
)

YEAR = 2018
INJECTION_NAME = '=HYPERLINK("http://evil.example/","Bấm vào đây")'
INJECTION_OPTION = "+cmd|' /C calc'!A0"


def build_report_data():
    province = ProvinceFactory()
    que_vo = DistrictFactory(code="261", name="Huyện Quế Võ", parent=province)
    tu_son = DistrictFactory(code="262", name="Thị xã Từ Sơn", parent=province)
    phuong_lieu = CommuneFactory(code="91001", name="Xã Phương Liễu", parent=que_vo)
    dong_ky = CommuneFactory(code="91002", name="Phường Đồng Kỵ", parent=tu_son)
    food = IndustryCodeFactory(code="10", name="Sản xuất, chế biến thực phẩm", level=2)
    paper = IndustryCodeFactory(code="17", name="Sản xuất giấy và sản phẩm từ giấy", level=2)

    beer = FacilityFactory(name="Công ty Cổ phần Bia Quế Võ", commune=phuong_lieu, industry=food)
    paper_mill = FacilityFactory(
        name="Công ty TNHH Giấy Phong Khê", commune=phuong_lieu, industry=paper, employees=250
    )
    wood = FacilityFactory(name="Hợp tác xã Đồ gỗ Đồng Kỵ", commune=dong_ky, industry=paper)
    injected = FacilityFactory(name=INJECTION_NAME, commune=dong_ky, industry=food)

    # beer: aware and applying in 2017 (baseline) and 2018, energy per unit down 20%.
    AnnualReportFactory(
        facility=beer, year=2017, output=1000, coal_t=100, electricity_kwh=0, aware=True
    )
    AnnualReportFactory(
        facility=beer,
        year=YEAR,
        output=1000,
        coal_t=80,
        electricity_kwh=0,
        aware=True,
        applies_cp=True,
        has_cp_unit=True,
        employees=150,
    )
    # paper mill: aware in 2018; applies through a done option of an approved assessment.
    AnnualReportFactory(facility=paper_mill, year=YEAR, aware=True, employees=250)
    assessment = AssessmentFactory(facility=paper_mill, state="approved")
    OptionFactory(assessment=assessment, implementation_year=YEAR, status="done")
    OptionFactory(
        assessment=assessment,
        description=INJECTION_OPTION,
        implementation_year=YEAR,
        status="planned",
        category=4,
    )
    # wood: a draft never counts (nor does a communication event).
    AnnualReportFactory(facility=wood, year=YEAR, aware=True, applies_cp=True, state="draft")
    # injected: aware through a workshop only.
    workshop = ActivityFactory(
        kind="workshop",
        title="Hội thảo nâng cao nhận thức SXSH ngành thực phẩm",
        date=date(YEAR, 5, 20),
        district=tu_son,
        budget_province_vnd=45_000_000,
        budget_national_vnd=30_000_000,
    )
    Participation.objects.create(activity=workshop, facility=injected, people=4)

    event = ActivityFactory(kind="communication", date=date(YEAR, 9, 1), budget_other_vnd=5_000_000)
    Participation.objects.create(activity=event, facility=wood, people=2)

    doit = Indicator.objects.get(period__code="2016-2020", code="DOIT_STAFF")
    IndicatorValue.objects.create(indicator=doit, year=YEAR, value=3, note="Theo báo cáo Sở")
    return SimpleNamespace(
        year=YEAR,
        districts=(que_vo, tu_son),
        facilities=(beer, paper_mill, wood, injected),
        workshop=workshop,
    )
