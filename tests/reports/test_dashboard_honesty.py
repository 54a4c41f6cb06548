"""The dashboard says what its figures are over: the year's milestone beside the period target,
the year's reporting rate, and the registry's coverage of the statistics office's count."""

from datetime import date

from django.urls import reverse

from reports.models import EstablishmentCount

from .indicator_helpers import YEAR, facility, report


def page(client, user, year=YEAR):
    client.force_login(user)
    response = client.get(reverse("reports:dashboard"), {"year": year})
    assert response.status_code == 200
    return response.content.decode()


def test_the_year_is_shown_against_its_milestone_and_the_period_target(client, official):
    report(facility(), YEAR, aware=True)
    report(facility(), YEAR)

    html = page(client, official)

    # AWARE 2018: 1/2 = 50 %; milestone 74 % (not met), period target 90 % shown beside it.
    assert "Mốc năm 2018: 74 %" in html
    assert "Chỉ tiêu đến 2020: 90 %" in html
    assert "Mốc năm 2018: 6,8–11 %" in html  # SAVING, a range, written the Vietnamese way


def test_the_reporting_rate_is_beside_the_figures(client, official):
    report(facility(), YEAR, aware=True)
    facility()
    facility()
    facility()

    html = page(client, official)

    assert "Tỷ lệ báo cáo năm 2018: 1/4 cơ sở có báo cáo năm đã duyệt (25,0 %)." in html


def test_a_year_without_approved_reports_says_so(client, official):
    report(facility(), YEAR - 1, aware=True)  # cumulative: still aware in 2018
    facility()

    html = page(client, official)

    assert "Tỷ lệ báo cáo năm 2018: 0/2" in html
    assert "Chưa có báo cáo năm nào được duyệt" in html


def test_coverage_of_the_statistics_office_count(client, official, staff):
    for _ in range(3):
        facility()
    html = page(client, official)
    assert "Chưa nhập số cơ sở công nghiệp theo số liệu thống kê" in html
    assert "tính trên các cơ sở đã đăng ký" in html

    EstablishmentCount.objects.create(
        year=YEAR, count=8, source="Niên giám thống kê 2018", source_date=date(2019, 6, 30)
    )
    html = page(client, official)
    # 3 registered of 8 counted: 37.5 %.
    assert "Theo số liệu thống kê (Niên giám thống kê 2018, 30/06/2019): 8 cơ sở" in html
    assert "danh sách của Cổng bao quát 37,5 %" in html


def test_no_future_year_is_plotted(client, official):
    import json
    import re

    from django.utils import timezone

    from assessments.models import PlanPeriod

    this_year = timezone.localdate().year
    PlanPeriod.objects.create(
        code="2021-2030", name="Giai đoạn 2021–2030", start_year=2021, end_year=2030
    )
    report(facility(), this_year - 1, aware=True)
    client.force_login(official)

    html = client.get(reverse("reports:dashboard"), {"year": this_year - 1}).content.decode()

    data = json.loads(re.search(r'id="dashboard-data"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert data["years"] == list(range(2021, this_year + 1))
