"""Round 23: the activity delete page states the programme's total funding the year's document
prints (its activities' budgets and the support to its assessments); a national installation's
"recently deleted" list finds a deleted activity without a place for the province that held it."""

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import Activity
from reports.files.content import gather
from tests.assessments.national_helpers import (
    BAC_NINH,
    HAI_PHONG,
    national,
    staff_bn,
    staff_hp,
    two_provinces,
)
from tests.factories import ActivityFactory, AssessmentFactory, DistrictFactory

__all__ = ["national", "staff_bn", "staff_hp", "two_provinces"]  # fixtures

pytestmark = pytest.mark.django_db

YEAR = 2019
LIST = reverse("assessments:activity_list")


def _delete_url(activity):
    return reverse("assessments:activity_delete", args=[activity.pk])


def _document_total(province: str = "") -> int:
    """The programme's total funding the year's document prints ("Kinh phí theo nguồn của các
    hoạt động và hỗ trợ đánh giá SXSH"), from the document's content builder."""
    return gather(YEAR, lambda percent: None, province=province).programme.funding.total_vnd


def _total_line(page: str) -> str:
    line = page.split('id="deletion-effect-total">', 1)[1].split("</span>", 1)[0]
    return " ".join(line.split())


def _vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


@pytest.fixture
def year_2019(facility):
    """2019: 317 million đồng of activities, 50 million of support to an approved assessment."""
    deleted = ActivityFactory(date=date(YEAR, 3, 10), budget_province_vnd=85_000_000)
    ActivityFactory(date=date(YEAR, 9, 5), budget_province_vnd=200_000_000)
    ActivityFactory(date=date(YEAR, 10, 5), budget_national_vnd=32_000_000)
    AssessmentFactory(facility=facility, end_date=date(YEAR, 6, 1), supported_amount_vnd=50_000_000)
    AssessmentFactory(end_date=date(YEAR + 1, 6, 1), supported_amount_vnd=70_000_000)  # 2020
    return deleted


def test_the_delete_page_states_the_documents_total(client, staff, year_2019):
    before = _document_total()
    assert before == 367_000_000
    client.force_login(staff)
    line = _total_line(client.get(_delete_url(year_2019)).text)
    assert line == (
        f"Tổng kinh phí của chương trình năm {YEAR} giảm 85.000.000 đồng: "
        f"từ {_vnd(before)} xuống {_vnd(before - 85_000_000)}."
    )
    # What the document prints once it is deleted is the figure the page announced.
    assert client.post(_delete_url(year_2019)).status_code == 302
    assert _document_total() == before - 85_000_000


def test_a_province_delete_page_states_its_own_documents_total(
    client, national, staff_bn, two_provinces
):
    """A national installation: Bắc Ninh's document counts the activities it holds and the
    support to its own facilities' assessments, not Hải Phòng's."""
    bn_facility, hp_facility = two_provinces
    held = ActivityFactory(date=date(YEAR, 4, 1), province=BAC_NINH, budget_province_vnd=40_000_000)
    ActivityFactory(date=date(YEAR, 5, 1), province=HAI_PHONG, budget_province_vnd=90_000_000)
    AssessmentFactory(
        facility=bn_facility, end_date=date(YEAR, 7, 1), supported_amount_vnd=25_000_000
    )
    AssessmentFactory(
        facility=hp_facility, end_date=date(YEAR, 7, 1), supported_amount_vnd=60_000_000
    )
    before = _document_total(BAC_NINH)
    assert before == 65_000_000
    client.force_login(staff_bn)
    line = _total_line(client.get(_delete_url(held)).text)
    assert f"từ {_vnd(before)} xuống {_vnd(before - 40_000_000)}." in line


def _deleted_titles(page: str) -> list[str]:
    if 'id="deleted-activities">' not in page:
        return []
    table = page.split('id="deleted-activities">', 1)[1].split("</table>", 1)[0]
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in table.split("<tr>")[1:]]


def test_a_deleted_activity_without_place_stays_its_provinces(client, national, staff_hp, staff_bn):
    """Held by Hải Phòng (its creator's province), no place, no participant: Hải Phòng's staff
    find its deletion in "Đã xóa gần đây"; Bắc Ninh's do not."""
    placeless = ActivityFactory(title="Hội thảo không địa điểm", province=HAI_PHONG)
    assert (placeless.ward_id, placeless.district_id) == (None, None)
    client.force_login(staff_hp)
    assert client.post(_delete_url(placeless)).status_code == 302
    assert not Activity.objects.filter(pk=placeless.pk).exists()

    page = client.get(LIST).text
    assert "Đã xóa gần đây" in page
    assert any("Hội thảo không địa điểm" in row for row in _deleted_titles(page))
    other = Client()
    other.force_login(staff_bn)
    assert "Hội thảo không địa điểm" not in other.get(LIST).text


def test_an_older_history_record_is_found_by_its_place(client, national, staff_bn, staff_hp):
    """A deletion recorded before the history kept the province ("" there): its old district
    still tells the holding province."""
    district = DistrictFactory()  # of old Bắc Ninh (27), now 24
    placed = ActivityFactory(title="Hội thảo huyện cũ", district=district)
    assert placed.province == BAC_NINH
    client.force_login(staff_bn)
    client.post(_delete_url(placed))
    Activity.history.filter(id=placed.pk).update(province="")
    assert any("Hội thảo huyện cũ" in row for row in _deleted_titles(client.get(LIST).text))
    other = Client()
    other.force_login(staff_hp)
    assert "Hội thảo huyện cũ" not in other.get(LIST).text
