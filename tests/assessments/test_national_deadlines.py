"""Reporting deadlines per province in a national installation (DESIGN §2, DOMAIN.md "Deadlines
differ by province"): assessments:deadline_list reads and writes the user's province's deadlines,
facility_deadline follows the facility's province; the Ministry edits nothing; the re-check of
every province's reports (quality_run_start) is a superuser's."""

from datetime import date
from unittest import mock

import pytest
from django.urls import reverse

from accounts.models import Role
from assessments.deadlines import facility_deadline, submission_open
from assessments.models import PlanPeriod, QualityRun, ReportingDeadline, default_deadline
from assessments.notifications import deadline_reminders
from ops import home

from ..factories import UserFactory
from .national_helpers import BAC_NINH, HAI_PHONG, national, staff_bn, staff_hp, two_provinces

__all__ = ["national", "staff_bn", "staff_hp", "two_provinces"]  # fixtures

URL = reverse("assessments:deadline_list")
EXCEPTION_URL = reverse("assessments:deadline_exception")
YEAR = 2025
HP_DEADLINE = date(2026, 3, 31)
BN_DEADLINE = date(2026, 2, 28)

pytestmark = pytest.mark.usefixtures("national", "plan_2021_2030")


@pytest.fixture
def plan_2021_2030(db):
    """The national strategy's period: reports (and deadlines) may be filed for 2025."""
    return PlanPeriod.objects.create(
        code="2021-2030", name="Giai đoạn 2021–2030", start_year=2021, end_year=2030
    )


def _rows(response) -> dict:
    return {year: (deadline, custom) for year, deadline, custom in response.context["rows"]}


def test_province_staff_set_their_own_provinces_deadline(client, two_provinces, staff_hp):
    bac_ninh_facility, hai_phong_facility = two_provinces
    assert (bac_ninh_facility.province, hai_phong_facility.province) == (BAC_NINH, HAI_PHONG)
    client.force_login(staff_hp)
    response = client.post(URL, {"year": YEAR, "deadline": HP_DEADLINE.isoformat()}, follow=True)
    assert "Đã đặt hạn nộp báo cáo năm 2025 là 31/03/2026" in response.text

    deadline = ReportingDeadline.objects.get()
    assert (deadline.province, deadline.year, deadline.deadline) == (HAI_PHONG, YEAR, HP_DEADLINE)
    assert facility_deadline(hai_phong_facility, YEAR) == HP_DEADLINE
    # Bắc Ninh's stays the default.
    assert facility_deadline(bac_ninh_facility, YEAR) == default_deadline(YEAR)
    after_default = date(2026, 2, 1)
    assert submission_open(hai_phong_facility, YEAR, today=after_default)
    assert not submission_open(bac_ninh_facility, YEAR, today=after_default)


def test_the_page_shows_each_provinces_own(client, two_provinces, staff_bn, staff_hp):
    ReportingDeadline.objects.create(province=HAI_PHONG, year=YEAR, deadline=HP_DEADLINE)
    ReportingDeadline.objects.create(province=BAC_NINH, year=YEAR, deadline=BN_DEADLINE)
    for user, expected, name in (
        (staff_hp, HP_DEADLINE, "Thành phố Hải Phòng"),
        (staff_bn, BN_DEADLINE, "Bắc Ninh"),
    ):
        client.force_login(user)
        response = client.get(URL)
        assert response.status_code == 200
        assert _rows(response)[YEAR] == (expected, True)
        assert name in response.context["territory"]

    # A second deadline of Hải Phòng replaces its own, not Bắc Ninh's.
    client.force_login(staff_hp)
    client.post(URL, {"year": YEAR, "deadline": "2026-04-30"})
    assert ReportingDeadline.deadline_for(YEAR, HAI_PHONG) == date(2026, 4, 30)
    assert ReportingDeadline.deadline_for(YEAR, BAC_NINH) == BN_DEADLINE


def test_a_superusers_default_applies_where_a_province_sets_none(client, two_provinces, staff_bn):
    bac_ninh_facility, hai_phong_facility = two_provinces
    ReportingDeadline.objects.create(province=HAI_PHONG, year=YEAR, deadline=HP_DEADLINE)
    admin = UserFactory(username="quan_tri", role=Role.STAFF, is_superuser=True)
    client.force_login(admin)
    client.post(URL, {"year": YEAR, "deadline": BN_DEADLINE.isoformat()})
    assert ReportingDeadline.objects.get(province="").deadline == BN_DEADLINE

    assert facility_deadline(bac_ninh_facility, YEAR) == BN_DEADLINE
    assert facility_deadline(hai_phong_facility, YEAR) == HP_DEADLINE
    client.force_login(staff_bn)
    response = client.get(URL)
    assert _rows(response)[YEAR] == (BN_DEADLINE, False)
    assert "hạn chung của cả nước" in response.text


@pytest.mark.parametrize("url", [URL, EXCEPTION_URL])
def test_the_ministry_and_staff_without_a_province_edit_nothing(client, two_provinces, url):
    ministry = UserFactory(username="bo_cong_thuong", role=Role.MINISTRY)
    unscoped = UserFactory(username="canbo_khong_tinh", role=Role.STAFF, province="")
    bac_ninh_facility, _hai_phong_facility = two_provinces
    data = {
        "year": YEAR,
        "deadline": HP_DEADLINE.isoformat(),
        "tax_code": bac_ninh_facility.tax_code,
        "until": "2099-01-01",
        "reason": "Mất điện",
    }
    for user in (ministry, unscoped):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, data).status_code == 403
    assert not ReportingDeadline.objects.exists()


def test_province_staff_may_not_recheck_every_province(client, two_provinces, staff_hp):
    client.force_login(staff_hp)
    assert client.post(reverse("assessments:quality_run_start")).status_code == 403
    assert not QualityRun.objects.exists()
    page = client.get(reverse("assessments:quality_findings"))
    assert page.status_code == 200
    assert 'id="run-rules"' not in page.text

    admin = UserFactory(username="quan_tri", role=Role.STAFF, is_superuser=True)
    client.force_login(admin)
    assert 'id="run-rules"' in client.get(reverse("assessments:quality_findings")).text
    assert client.post(reverse("assessments:quality_run_start")).status_code == 302
    assert QualityRun.objects.count() == 1


def test_reminders_follow_each_provinces_deadline(two_provinces, settings, mailoutbox):
    bac_ninh_facility, hai_phong_facility = two_provinces
    for facility, username in ((bac_ninh_facility, "coso_bn"), (hai_phong_facility, "coso_hp")):
        user = UserFactory(username=username, role=Role.FACILITY, email=f"{username}@example.vn")
        user.facilities.add(facility)
    ReportingDeadline.objects.create(province=HAI_PHONG, year=YEAR, deadline=HP_DEADLINE)

    # Seven days before Hải Phòng's deadline: Hải Phòng's facility only, with its date.
    assert deadline_reminders(date(2026, 3, 24), 7) == 1
    [mail] = mailoutbox
    assert mail.to == ["coso_hp@example.vn"] and "31/03/2026" in mail.subject
    # Seven days before the default deadline (15 January): Bắc Ninh's only.
    mailoutbox.clear()
    assert deadline_reminders(date(2026, 1, 8), 7) == 1
    assert mailoutbox[0].to == ["coso_bn@example.vn"]


def test_the_facility_home_shows_its_provinces_deadline(client, two_provinces, settings):
    _bac_ninh_facility, hai_phong_facility = two_provinces
    user = UserFactory(username="coso_hp", role=Role.FACILITY)
    user.facilities.add(hai_phong_facility)
    ReportingDeadline.objects.create(province=HAI_PHONG, year=YEAR, deadline=HP_DEADLINE)
    client.force_login(user)
    with mock.patch.object(home.timezone, "localdate", return_value=date(2026, 2, 1)):
        page = client.get(reverse("home")).text
    assert "Hạn nộp: 31/03/2026." in page
