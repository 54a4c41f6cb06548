"""A national installation's documents count each programme activity once (README, national
installation: "another province whose facilities took part reads it with only its own
participants"): its budget is the holding province's (Activity.province) and nobody else's, its
participants are each counted in their own province's document, the national document counts
every activity with all its participants and budget, and the provinces add up to it."""

from datetime import date

import pytest

from assessments.models import Participation
from reports import generation
from reports.files.activities import activity_rows, programme
from reports.files.numbers import fmt_int
from reports.models import Report

from ..assessments.national_helpers import two_province_facilities
from ..factories import ActivityFactory, UserFactory
from .file_text import docx_text

pytestmark = pytest.mark.django_db

BAC_NINH, HAI_PHONG = "24", "31"
YEAR = 2024
# Hải Phòng's workshop: 5 of its people and 3 of a Bắc Ninh facility's, on its provincial budget.
HP_PEOPLE, BN_PEOPLE_AT_HP, HP_BUDGET = 5, 3, 777_000_000
# Bắc Ninh's own training: 4 of its people, on national extension funds.
BN_PEOPLE_AT_BN, BN_BUDGET = 4, 123_000_000


@pytest.fixture
def national(settings):
    settings.PORTAL_SCOPE = "national"


@pytest.fixture
def activities(national):
    bac_ninh, hai_phong = two_province_facilities()
    held_by_hp = ActivityFactory(
        kind="workshop",
        title="Hội thảo SXSH Hải Phòng",
        date=date(YEAR, 3, 15),
        province=HAI_PHONG,
        budget_province_vnd=HP_BUDGET,
    )
    Participation.objects.create(activity=held_by_hp, facility=hai_phong, people=HP_PEOPLE)
    Participation.objects.create(activity=held_by_hp, facility=bac_ninh, people=BN_PEOPLE_AT_HP)
    held_by_bn = ActivityFactory(
        kind="training",
        title="Khóa đào tạo SXSH Bắc Ninh",
        date=date(YEAR, 5, 20),
        province=BAC_NINH,
        budget_national_vnd=BN_BUDGET,
    )
    Participation.objects.create(activity=held_by_bn, facility=bac_ninh, people=BN_PEOPLE_AT_BN)
    assert (held_by_hp.province, held_by_bn.province) == (HAI_PHONG, BAC_NINH)
    return held_by_hp, held_by_bn


def by_title(province):
    return {row.title: row for row in activity_rows(YEAR, province)}


def test_another_provinces_activity_counts_only_the_provinces_participants(activities):
    rows = by_title(BAC_NINH)
    hp_workshop = rows["Hội thảo SXSH Hải Phòng"]
    assert (hp_workshop.facilities, hp_workshop.people) == (1, BN_PEOPLE_AT_HP)
    assert hp_workshop.budget_vnd == 0  # Hải Phòng's money, in Hải Phòng's document
    bn_training = rows["Khóa đào tạo SXSH Bắc Ninh"]
    assert (bn_training.facilities, bn_training.people) == (1, BN_PEOPLE_AT_BN)
    assert bn_training.budget_vnd == BN_BUDGET

    bn = programme(YEAR, BAC_NINH)
    workshop = next(row for row in bn.kinds if row.kind == "Hội thảo nâng cao nhận thức")
    # Hải Phòng's workshop is Hải Phòng's activity: none of Bắc Ninh's, its people counted.
    assert (workshop.count, workshop.facilities, workshop.people) == (0, 1, BN_PEOPLE_AT_HP)
    assert bn.total.count == 1
    assert workshop.total_vnd == 0
    # The Bắc Ninh facility took part in both: one distinct facility.
    assert (bn.total.facilities, bn.total.people) == (1, BN_PEOPLE_AT_HP + BN_PEOPLE_AT_BN)
    assert (bn.total.province_vnd, bn.total.national_vnd) == (0, BN_BUDGET)
    funded = {row.source: row.amount_vnd for row in bn.funding.activities}
    assert funded == {
        "Ngân sách tỉnh": 0,
        "Kinh phí khuyến công quốc gia": BN_BUDGET,
        "Doanh nghiệp đóng góp": 0,
        "Nguồn khác": 0,
    }


def test_the_holding_province_counts_its_budget_and_its_own_participants(activities):
    rows = by_title(HAI_PHONG)
    assert set(rows) == {"Hội thảo SXSH Hải Phòng"}  # no Hải Phòng facility at Bắc Ninh's
    workshop = rows["Hội thảo SXSH Hải Phòng"]
    assert (workshop.facilities, workshop.people, workshop.budget_vnd) == (1, HP_PEOPLE, HP_BUDGET)
    hp = programme(YEAR, HAI_PHONG)
    assert (hp.total.count, hp.total.facilities, hp.total.people) == (1, 1, HP_PEOPLE)
    assert hp.total.total_vnd == HP_BUDGET == hp.funding.total_vnd


def test_the_national_document_counts_every_activity_once_and_the_provinces_add_up(activities):
    rows = by_title(None)
    workshop = rows["Hội thảo SXSH Hải Phòng"]
    assert (workshop.facilities, workshop.people) == (2, HP_PEOPLE + BN_PEOPLE_AT_HP)
    assert workshop.budget_vnd == HP_BUDGET
    whole = programme(YEAR, None)
    assert whole.funding.total_vnd == HP_BUDGET + BN_BUDGET
    provinces = [programme(YEAR, code) for code in (BAC_NINH, HAI_PHONG)]
    assert sum(p.total.count for p in provinces) == whole.total.count == 2
    assert sum(p.total.people for p in provinces) == whole.total.people
    assert sum(p.total.total_vnd for p in provinces) == whole.total.total_vnd
    assert sum(p.funding.total_vnd for p in provinces) == whole.funding.total_vnd
    for kind in whole.kinds:
        parts = [row for p in provinces for row in p.kinds if row.kind == kind.kind]
        assert sum(row.count for row in parts) == kind.count
        assert sum(row.people for row in parts) == kind.people
        assert sum(row.facilities for row in parts) == kind.facilities
        assert sum(row.total_vnd for row in parts) == kind.total_vnd
    for code in (BAC_NINH, HAI_PHONG):
        assert sum(row.budget_vnd for row in activity_rows(YEAR, code)) == sum(
            row.total_vnd for row in programme(YEAR, code).kinds
        )
    national_rows = list(activity_rows(YEAR, None))
    province_rows = [row for code in (BAC_NINH, HAI_PHONG) for row in activity_rows(YEAR, code)]
    assert sum(row.people for row in province_rows) == sum(row.people for row in national_rows)
    assert sum(row.budget_vnd for row in province_rows) == sum(
        row.budget_vnd for row in national_rows
    )


def test_the_provinces_docx_leaves_out_another_provinces_budget(activities):
    report = Report.objects.create(
        year=YEAR,
        format="docx",
        province=BAC_NINH,
        requested_by=UserFactory(role="staff", province=BAC_NINH),
    )
    outcome = generation.report_generate(report_id=report.pk)
    report.refresh_from_db()
    assert outcome == generation.Outcome.SUCCEEDED, report.error
    with report.file.open("rb") as handle:
        text = docx_text(handle.read())
    assert "Hội thảo SXSH Hải Phòng" in text  # listed: a Bắc Ninh facility took part
    assert fmt_int(HP_BUDGET) not in text
    assert f"Tổng kinh phí: {fmt_int(BN_BUDGET)} đồng." in text
    # The workshop's kind row: none of Bắc Ninh's activities, 1 facility, its 3 people, no money.
    workshop_row = f"Hội thảo nâng cao nhận thức 0 1 {fmt_int(BN_PEOPLE_AT_HP)} 0 0 0 0 0"
    assert workshop_row in text
    assert f"Hội thảo SXSH Hải Phòng 1 {fmt_int(BN_PEOPLE_AT_HP)} 0 " in text  # the list's row
