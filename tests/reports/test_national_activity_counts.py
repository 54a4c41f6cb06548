"""A national installation's documents count each programme activity in its holding province's
document only (reports.files.activities.held_by), so that the provinces' numbers of activities add
up to the national document's: a facility that moved to another province after taking part in a
workshop brings its people to its new province's figures, never the workshop itself. By hand:
Hải Phòng holds 2 workshops, Bắc Ninh 2 trainings — 4 in the whole country."""

import re
from datetime import date

import pytest

from accounts.models import Role
from assessments.models import Activity, Participation
from reports import generation
from reports.files.activities import programme
from reports.generation import Outcome
from reports.models import Report

from ..assessments.national_helpers import two_province_facilities
from ..factories import ActivityFactory, UserFactory
from .file_text import docx_text

pytestmark = pytest.mark.django_db

BAC_NINH, HAI_PHONG = "24", "31"
YEAR = 2024
# The kinds table's header ends so; its "Tổng cộng" row follows.
KINDS_HEADER = "Khuyến công quốc gia Doanh nghiệp Nguồn khác Tổng"


@pytest.fixture
def national(settings):
    settings.PORTAL_SCOPE = "national"


@pytest.fixture
def moved(national):
    """Two activities per province; a Bắc Ninh facility at a Bắc Ninh training (4 people) and
    a Hải Phòng workshop (2 people), then moved to Hải Phòng."""
    bac_ninh, hai_phong = two_province_facilities()
    for n, (kind, province) in enumerate(
        [("workshop", HAI_PHONG), ("workshop", HAI_PHONG)]
        + [("training", BAC_NINH), ("training", BAC_NINH)],
        start=1,
    ):
        ActivityFactory(
            kind=kind,
            title=f"Hoạt động {n}",
            date=date(YEAR, n, 10),
            province=province,
            budget_province_vnd=n * 1_000_000,
        )
    training = Activity.objects.get(title="Hoạt động 3")
    workshop = Activity.objects.get(title="Hoạt động 1")
    Participation.objects.create(activity=training, facility=bac_ninh, people=4)
    Participation.objects.create(activity=workshop, facility=bac_ninh, people=2)
    Participation.objects.create(activity=workshop, facility=hai_phong, people=5)
    bac_ninh.commune, bac_ninh.ward = None, hai_phong.ward
    bac_ninh.save()
    bac_ninh.refresh_from_db()
    assert bac_ninh.province == HAI_PHONG
    return bac_ninh


def document_text(province: str) -> str:
    """The text of the province's DOCX ("" the national document)."""
    by = UserFactory(role=Role.STAFF, province=province) if province else None
    report = Report.objects.create(year=YEAR, format="docx", province=province, requested_by=by)
    assert generation.report_generate(report_id=report.pk) == Outcome.SUCCEEDED
    report.refresh_from_db()
    with report.file.open("rb") as handle:
        return docx_text(handle.read())


def kinds_total(province: str) -> tuple[int, int, int]:
    """(activities, facilities, people) of the "Tổng cộng" row of the province's DOCX kinds
    table ("" the national document)."""
    after = document_text(province).split(KINDS_HEADER, 1)[1]
    found = re.search(r"Tổng cộng (\d+) (\d+) (\d+)", after)
    return tuple(int(group) for group in found.groups())


def test_the_provinces_documents_add_up_to_the_national_one(moved):
    national = kinds_total("")
    provinces = [kinds_total(code) for code in (BAC_NINH, HAI_PHONG)]

    assert national == (4, 2, 11)
    # Hải Phòng: its 2 workshops (not Bắc Ninh's training its new facility went to), both of its
    # facilities, all 11 people; Bắc Ninh: its 2 trainings, none of its facilities left.
    assert provinces == [(2, 0, 0), (2, 2, 11)]
    for column in range(3):
        assert sum(total[column] for total in provinces) == national[column]


def test_each_kind_adds_up(moved):
    whole = programme(YEAR, None)
    parts = [programme(YEAR, code) for code in (BAC_NINH, HAI_PHONG)]
    for kind in whole.kinds:
        rows = [row for part in parts for row in part.kinds if row.kind == kind.kind]
        assert sum(row.count for row in rows) == kind.count
        assert sum(row.people for row in rows) == kind.people
        assert sum(row.total_vnd for row in rows) == kind.total_vnd
    hai_phong = {row.kind: row for row in parts[1].kinds}
    # The training: Bắc Ninh's activity, with Hải Phòng's (moved) facility's 4 people.
    training = hai_phong["Khóa đào tạo"]
    assert (training.count, training.facilities, training.people) == (0, 1, 4)
    assert training.total_vnd == 0


def test_the_summary_counts_the_activities_each_province_holds(moved):
    # Section I's headline number, as the kinds table: Hải Phòng's document lists Bắc Ninh's
    # training (its moved facility took part) but does not count it as one of its activities.
    def held(province):
        found = re.search(r"Số hoạt động của chương trình (\d+)", document_text(province))
        return int(found.group(1))

    assert [held(""), held(BAC_NINH), held(HAI_PHONG)] == [4, 2, 2]
