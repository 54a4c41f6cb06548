"""Security review, round 3: what a national installation's province staff could see or change
beyond their province through the pages added most recently (DESIGN §2)."""

import re
from datetime import date

import pytest
from django.urls import reverse

from accounts.models import Role
from assessments.models import QualityFinding, QualityRule
from reports.models import EstablishmentCount

from ..assessments.national_helpers import BAC_NINH, HAI_PHONG, two_province_facilities
from ..factories import AnnualReportFactory, UserFactory

pytestmark = pytest.mark.django_db

COUNT = {
    "year": 2020,
    "count": "1.234",
    "source": "Niên giám thống kê tỉnh Bắc Ninh 2020",
    "source_date": "2021-06-30",
    "note": "",
}


@pytest.fixture
def national(settings):
    settings.PORTAL_SCOPE = "national"
    return two_province_facilities()


def _coverage(page: str) -> str | None:
    """The dashboard's line on the registry's coverage of the statistics count, if shown."""
    match = re.search(r'id="registry-coverage">(.*?)</p>', page, re.S)
    return match.group(1) if match else None


def test_a_province_does_not_set_the_count_the_ministry_compares_the_country_with(client, national):
    """The statistics count (EstablishmentCount) has no province: in a national installation a
    province's staff entering theirs made the Ministry's national dashboard compare the whole
    country's registry with it, while their own dashboard never showed it."""
    staff_bn = UserFactory(username="canbo_bn", role=Role.STAFF, province=BAC_NINH)
    client.force_login(staff_bn)

    assert client.get(reverse("reports:establishments")).status_code == 404
    assert client.post(reverse("reports:establishments"), COUNT).status_code == 404
    assert not EstablishmentCount.objects.exists()
    plan = client.get(reverse("reports:plan")).content.decode()
    assert reverse("reports:establishments") not in plan
    dashboard = client.get(reverse("reports:dashboard"), {"year": 2020}).content.decode()
    assert _coverage(dashboard) is None  # no "not entered yet: enter it" invitation

    # A count stored before (or through the admin) is not compared with the country either.
    EstablishmentCount.objects.create(
        year=2020, count=100, source="Niên giám", source_date=date(2021, 6, 30)
    )
    client.force_login(UserFactory(username="bo_cong_thuong", role=Role.MINISTRY))
    national_view = client.get(reverse("reports:dashboard"), {"year": 2020})
    assert national_view.status_code == 200
    assert _coverage(national_view.content.decode()) is None


def test_a_one_province_installation_still_records_and_shows_the_count(client, staff):
    client.force_login(staff)

    assert client.post(reverse("reports:establishments"), COUNT).status_code == 302

    assert reverse("reports:establishments") in client.get(reverse("reports:plan")).content.decode()
    dashboard = client.get(reverse("reports:dashboard"), {"year": 2020}).content.decode()
    assert "Niên giám thống kê tỉnh Bắc Ninh 2020" in _coverage(dashboard)


def _rule_count(page: str, rule: QualityRule) -> str:
    link = reverse("assessments:quality_findings") + f"?rule={rule.pk}"
    return re.search(rf'href="{re.escape(link)}">(\d+)</a>', page).group(1)


def test_the_rule_list_counts_only_the_provinces_own_findings(client, national):
    """The count beside each data-quality rule links to the findings page, which lists only the
    user's province's: it counted every province's."""
    _bn_facility, hp_facility = national
    rule = QualityRule.objects.order_by("pk").first()
    report = AnnualReportFactory(facility=hp_facility, year=2020, state="approved")
    QualityFinding.objects.create(rule=rule, report=report, severity=rule.severity, message="x")
    staff_bn = UserFactory(username="canbo_bn", role=Role.STAFF, province=BAC_NINH)
    staff_hp = UserFactory(username="canbo_hp", role=Role.STAFF, province=HAI_PHONG)

    counts = {}
    for user in (staff_bn, staff_hp):
        client.force_login(user)
        page = client.get(reverse("assessments:quality_rule_list")).content.decode()
        listed = client.get(reverse("assessments:quality_findings"), {"rule": rule.pk})
        counts[user.username] = (_rule_count(page, rule), listed.context["page"].paginator.count)

    assert counts == {"canbo_bn": ("0", 0), "canbo_hp": ("1", 1)}
