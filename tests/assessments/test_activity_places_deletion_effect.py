"""Deleting an activity without participants still changes the year's programme figures: the
number of activities and the funding by source the documents count
(reports.files.activities.programme). The delete confirmation says so, with the figures the
document shows before and after."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.files.activities import programme

from ..factories import ActivityFactory

pytestmark = pytest.mark.django_db

YEAR = 2020


@pytest.fixture
def year_of_activities():
    """Four 2020 activities: 245 million đồng of the province's budget in all, 10 million of
    the national one; the communication one (30 million of the province's) has no participant."""
    for n, province_vnd in enumerate((100_000_000, 65_000_000, 50_000_000), start=1):
        ActivityFactory(date=date(YEAR, n, 10), budget_province_vnd=province_vnd)
    ActivityFactory(date=date(YEAR, 4, 10), budget_national_vnd=10_000_000)
    communication = ActivityFactory(
        kind="communication", date=date(YEAR, 5, 10), budget_province_vnd=30_000_000
    )
    ActivityFactory(date=date(YEAR + 1, 5, 10), budget_province_vnd=99_000_000)  # another year
    return communication


def _effect(client, activity) -> str:
    page = client.get(reverse("assessments:activity_delete", args=[activity.pk])).text
    assert 'id="deletion-effect"' in page
    return page[page.index('id="deletion-effect"') : page.index("Xác nhận xóa")]


def test_it_tells_the_activity_count_and_the_funding_without_participants(
    client, staff, year_of_activities
):
    before = programme(YEAR)
    assert (before.total.count, before.funding.activities[0].amount_vnd) == (5, 245_000_000)
    client.force_login(staff)
    effect = _effect(client, year_of_activities)
    assert f"Số hoạt động của chương trình năm {YEAR} giảm từ 5 xuống 4." in effect
    assert "Ngân sách tỉnh: từ 245.000.000 đồng xuống 215.000.000 đồng" in effect
    assert "Kinh phí khuyến công quốc gia" not in effect  # it has none of that source
    # The whole year's funding, as the document totals it, before and after.
    assert before.funding.total_vnd == 255_000_000
    assert (
        f"Tổng kinh phí của chương trình năm {YEAR} giảm 30.000.000 đồng: "
        "từ 255.000.000 đồng xuống 225.000.000 đồng." in effect
    )
    assert "cơ sở tham gia" not in effect  # it had none

    # What the document counts once it is deleted.
    client.post(reverse("assessments:activity_delete", args=[year_of_activities.pk]))
    after = programme(YEAR)
    assert (after.total.count, after.funding.activities[0].amount_vnd) == (4, 215_000_000)
    assert before.funding.total_vnd - after.funding.total_vnd == 30_000_000


def test_every_source_it_has_money_from_is_named(client, staff, year_of_activities):
    mixed = ActivityFactory(
        date=date(YEAR, 6, 1), budget_national_vnd=5_000_000, budget_enterprise_vnd=2_500_000
    )
    client.force_login(staff)
    effect = _effect(client, mixed)
    assert "giảm từ 6 xuống 5." in effect
    assert "Kinh phí khuyến công quốc gia: từ 15.000.000 đồng xuống 10.000.000 đồng" in effect
    assert "Doanh nghiệp đóng góp: từ 2.500.000 đồng xuống 0 đồng" in effect
    assert "Ngân sách tỉnh" not in effect
    assert "giảm 7.500.000 đồng: từ 262.500.000 đồng xuống 255.000.000 đồng." in effect


def test_one_without_budget_still_changes_the_count(client, staff):
    lone = ActivityFactory(date=date(YEAR, 3, 1))
    client.force_login(staff)
    effect = _effect(client, lone)
    assert f"Số hoạt động của chương trình năm {YEAR} giảm từ 1 xuống 0." in effect
    assert 'id="deletion-effect-funding"' not in effect


def test_one_with_participants_tells_them_too(client, staff, activity):
    client.force_login(staff)
    effect = _effect(client, activity)
    assert f"năm {activity.date.year} giảm từ 1 xuống 0." in effect
    assert "1 cơ sở tham gia của tỉnh sẽ không còn được tính" in effect


def test_a_planned_activity_changes_no_figure_yet(client, staff):
    planned = ActivityFactory(
        date=timezone.localdate() + timedelta(days=30), budget_province_vnd=30_000_000
    )
    client.force_login(staff)
    page = client.get(reverse("assessments:activity_delete", args=[planned.pk])).text
    assert "Bạn có chắc muốn xóa hoạt động" in page
    assert 'id="deletion-effect"' not in page
