"""The benchmark's bands and the staff's target list read a tie-aware position, not the score
(DESIGN §4 keeps the score: 100 × peers strictly higher ÷ (n − 1)); a closed facility is no
target; the progress page says why there is no score as the facility page does.

Coal only (0.60 TOE/t) for 1000 tấn: coal 100 t is 0.06 TOE/tấn, coal 400 t 0.24."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.benchmark import band_of, facility_benchmark, year_scores
from facilities.models import Facility

from .factories import FacilityFactory, IndustryCodeFactory
from .reports.indicator_helpers import report

pytestmark = pytest.mark.django_db

YEAR = 2024
BEST = "thuộc nhóm 25% hiệu quả nhất"
WORST = "thuộc nhóm 25% kém hiệu quả nhất"
PAGE = reverse("reports:sector_scores") + f"?year={YEAR}"
EXPORT = reverse("reports:sector_scores_export") + f"?year={YEAR}"


def group(coal_tonnes, **fields) -> list[Facility]:
    industry = IndustryCodeFactory(code="21")
    made = []
    for n, coal in enumerate(coal_tonnes):
        facility = FacilityFactory(name=f"Công ty Dược số {n}", industry=industry, **fields)
        report(facility, YEAR, coal_t=Decimal(coal))
        made.append(facility)
    return made


def detail(facility):
    return reverse("facilities:detail", args=[facility.pk])


def progress(facility):
    return reverse("reports:facility_progress", args=[facility.pk])


def targets_sheet(content: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(content))["DanhSachDanhGia"]
    return [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_facilities_tied_for_the_best_are_the_most_efficient(client, staff):
    *tied, worst = group([100] * 9 + [400])
    one = facility_benchmark(tied[0], YEAR)
    # The score is unchanged: 1 of 9 others is strictly higher, 100 ÷ 9 = 11.
    assert (one.score, one.position, one.band) == (11, 100, BEST)
    assert year_scores(YEAR)[tied[0].pk] == one
    last = facility_benchmark(worst, YEAR)
    assert (last.score, last.position, last.band) == (0, 0, WORST)

    client.force_login(staff)
    card = client.get(detail(tied[0])).content.decode()
    assert 'id="benchmark-score">11<' in card
    assert BEST in card and WORST not in card
    page = client.get(progress(tied[0])).content.decode()
    assert 'id="progress-score">11<' in page
    assert BEST in page and WORST not in page
    assert WORST in client.get(progress(worst)).content.decode()
    # The API's contract is the score.
    api = reverse("api:facility_benchmark", args=[tied[0].pk]) + f"?year={YEAR}"
    assert client.get(api).json()["score"] == 11


def test_an_all_tied_group_is_not_the_least_efficient(client, staff):
    facilities = group([100] * 10, high_pollution_risk=True)
    mark = facility_benchmark(facilities[0], YEAR)
    assert (mark.score, mark.band) == (0, BEST)
    client.force_login(staff)
    page = client.get(PAGE)
    assert page.context["scores"].groups[0].bands == (10, 0, 0, 0)
    # Ten scores of 0 counted under "75–100": the caption says these are positions, not scores.
    assert "số cơ sở theo vị trí trong ngành" in page.content.decode()
    assert page.context["scores"].targets == []
    assert targets_sheet(client.get(EXPORT).content) == []


def test_without_ties_the_band_is_the_scores():
    facilities = group(range(10, 110, 10))
    for facility in facilities:
        mark = facility_benchmark(facility, YEAR)
        assert mark.position == mark.score
        assert mark.band == band_of(mark.score)


def test_target_list_and_band_counts_use_the_tie_aware_band(client, staff):
    *tied, worst = group([100] * 9 + [400], high_pollution_risk=True)
    client.force_login(staff)
    page = client.get(PAGE)
    scores = page.context["scores"]
    assert scores.groups[0].bands == (9, 0, 0, 1)
    assert [t.facility.pk for t in scores.targets] == [worst.pk]
    html = page.content.decode()
    assert worst.name in html
    assert not any(f'">{facility.name}</a>' in html for facility in tied)
    assert targets_sheet(client.get(EXPORT).content) == [worst.tax_code]


def test_a_closed_facility_is_no_target_but_stays_a_peer(client, staff):
    others = group(range(10, 100, 10))
    closed = FacilityFactory(
        name="Công ty Đã Đóng Cửa",
        industry=others[0].industry,
        high_pollution_risk=True,
        status=Facility.Status.CLOSED,
        closed_year=YEAR,
    )
    report(closed, YEAR, coal_t=Decimal(1000))
    assert facility_benchmark(closed, YEAR).score == 0
    assert facility_benchmark(others[0], YEAR).peers == 10
    client.force_login(staff)
    page = client.get(PAGE)
    assert page.context["scores"].targets == []
    assert "Công ty Đã Đóng Cửa" not in page.content.decode()
    assert targets_sheet(client.get(EXPORT).content) == []
    # Active again, it is one.
    Facility.objects.filter(pk=closed.pk).update(status=Facility.Status.ACTIVE, closed_year=None)
    assert targets_sheet(client.get(EXPORT).content) == [closed.tax_code]


def test_progress_page_says_why_a_zero_energy_report_has_no_score(client, facility_user):
    facility = facility_user.facilities.get()
    report(facility, YEAR, coal_t=Decimal(0))
    client.force_login(facility_user)
    html = client.get(progress(facility)).content.decode()
    card = client.get(detail(facility)).content.decode()
    reason = "cần báo cáo năm đã duyệt có sản lượng và năng lượng tiêu thụ lớn hơn 0"
    assert reason in html and reason in card
    assert 'id="progress-score-none"' in html
    assert "cần ít nhất 10" not in html


def test_progress_page_says_how_few_peers_there_are(client, facility_user):
    facility = facility_user.facilities.get()
    report(facility, YEAR)
    client.force_login(facility_user)
    html = client.get(progress(facility)).content.decode()
    assert "Chưa có điểm: chỉ 1 cơ sở cùng ngành" in html
    assert "(cần ít nhất 10)" in html
