"""The reporting rate drills down like every other figure (DESIGN §4): the dashboard's and the
official home's "r/n cơ sở có báo cáo năm đã duyệt" link their missing count (n − r) to the
list of facilities behind it, the missing-reports page, which officials and the Ministry may read
(not change) within their territory. The list counts exactly the dashboard's missing ones."""

import pytest
from django.urls import reverse
from lxml import html

from accounts.models import Role
from facilities.models import Facility

from .assessments.national_helpers import BAC_NINH, HAI_PHONG, two_province_facilities
from .factories import AnnualReportFactory, FacilityFactory, UserFactory
from .reports.indicator_helpers import YEAR, facility, report

MISSING = reverse("assessments:missing_reports")
DASHBOARD = reverse("reports:dashboard")

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_2018(db):
    """Operating in 2018: one approved report, one submitted (awaiting review), one draft, one
    without a report; one facility closed before 2018 counts nowhere. By hand: 1/4 reported
    (approved), 3 missing: the submitted, the draft and the one without a report."""
    approved = facility(name="Cơ sở A đã duyệt")
    report(approved, YEAR)
    report(facility(name="Cơ sở B chờ duyệt"), YEAR, state="submitted")
    report(facility(name="Cơ sở C nháp"), YEAR, state="draft")
    facility(name="Cơ sở D chưa có")
    facility(
        name="Cơ sở E đóng cửa",
        established_year=2005,
        closed_year=2015,
        status=Facility.Status.CLOSED,
    )


def _page(response):
    assert response.status_code == 200
    return html.fromstring(response.content)


def _missing_link(page) -> tuple[str, str]:
    (link,) = page.xpath('//a[@id="missing-link"]')
    return link.get("href"), " ".join(link.text_content().split())


def _listed(response) -> list[str]:
    return sorted(f.name for f in response.context["page"].paginator.object_list)


@pytest.mark.parametrize("who", ["staff", "official"])
def test_the_dashboards_missing_count_links_to_the_same_facilities(client, who, request, year_2018):
    client.force_login(request.getfixturevalue(who))
    dashboard = client.get(DASHBOARD, {"year": YEAR})
    reporting = dashboard.context["reporting"]
    missing = reporting.operating - reporting.reports
    assert (reporting.reports, reporting.operating, missing) == (1, 4, 3)

    href, text = _missing_link(_page(dashboard))
    assert href == f"{MISSING}?year={YEAR}&pending=1"
    assert text == "3 cơ sở chưa có báo cáo năm đã duyệt"

    listed = client.get(href)
    assert listed.status_code == 200
    assert listed.context["page"].paginator.count == missing
    assert _listed(listed) == ["Cơ sở B chờ duyệt", "Cơ sở C nháp", "Cơ sở D chưa có"]
    assert "Chờ duyệt" in _page(listed).xpath('string(//table[@id="missing-table"])')


def test_the_official_home_links_the_missing_count(client, official, year_2018):
    client.force_login(official)
    home = client.get("/")
    reporting = home.context["home"].reporting
    year = home.context["home"].year
    (card,) = _page(home).xpath('//*[@id="reporting-card"]')
    (link,) = card.xpath('.//a[@id="missing-link"]')
    assert link.get("href") == f"{MISSING}?year={year}&pending=1"
    listed = client.get(link.get("href"))
    assert listed.status_code == 200
    assert listed.context["page"].paginator.count == reporting.operating - reporting.reports


@pytest.mark.parametrize("missing", [1, 2])
def test_the_missing_count_reads_as_english_singular_or_plural(client, official, missing):
    """In English one missing facility is "1 facility … has", more are "facilities … have"."""
    report(facility(name="Cơ sở A đã duyệt"), YEAR)
    for n in range(missing):
        facility(name=f"Cơ sở chưa có {n}")
    official.language = "en"
    official.save(update_fields=["language"])
    client.force_login(official)
    _href, text = _missing_link(_page(client.get(DASHBOARD, {"year": YEAR})))
    listed = client.get(MISSING, {"year": YEAR, "pending": "1"})
    mode = " ".join(_page(listed).xpath('string(//*[@id="list-mode"])').split())
    if missing == 1:
        assert text == "1 facility without an approved annual report"
        assert mode.startswith("1 facility operating in the year has no annual report approved")
    else:
        assert text == "2 facilities without an approved annual report"
        assert mode.startswith("2 facilities operating in the year have no annual report")


def test_an_official_reads_the_list_without_the_staff_actions(client, official, staff, year_2018):
    without_report = Facility.objects.get(name="Cơ sở D chưa có")
    enter_for_it = reverse("assessments:report_create", args=[without_report.pk])
    client.force_login(staff)
    assert enter_for_it in client.get(MISSING, {"year": YEAR}).text
    client.force_login(official)
    response = client.get(MISSING, {"year": YEAR})
    assert response.status_code == 200
    assert "Cơ sở D chưa có" in response.text
    assert enter_for_it not in response.text
    assert "Nhập thay cơ sở" not in response.text


def test_without_pending_the_list_keeps_the_handed_in_rule(client, official, year_2018):
    # The page's own meaning (for staff chasing reports): a submitted report is handed in.
    client.force_login(official)
    response = client.get(MISSING, {"year": YEAR})
    assert _listed(response) == ["Cơ sở C nháp", "Cơ sở D chưa có"]
    assert response.context["total_missing"] == 2


@pytest.mark.parametrize("query", [{}, {"year": YEAR, "pending": "1"}])
def test_a_facility_user_is_still_refused(client, facility_user, query):
    client.force_login(facility_user)
    assert client.get(MISSING, query).status_code == 403


# --- a national installation -------------------------------------------------------------


@pytest.fixture
def national(settings):
    settings.PORTAL_SCOPE = "national"


@pytest.fixture
def two_provinces(db):
    """2018: the Bắc Ninh facility reported (approved), a second Bắc Ninh one did not; the Hải
    Phòng one did not either. Bắc Ninh 1/2, Hải Phòng 0/1, the country 1/3."""
    bac_ninh, hai_phong = two_province_facilities()
    report(bac_ninh, YEAR)
    second = FacilityFactory(name="Dệt may Bắc Ninh chưa báo cáo", established_year=2010)
    AnnualReportFactory(facility=second, year=YEAR, state="submitted")
    return bac_ninh, second, hai_phong


@pytest.fixture
def people(db):
    return {
        "official_bn": UserFactory(username="lanhdao_bn", role=Role.OFFICIAL, province=BAC_NINH),
        "staff_hp": UserFactory(username="canbo_hp", role=Role.STAFF, province=HAI_PHONG),
        "ministry": UserFactory(username="bo_cong_thuong", role=Role.MINISTRY),
    }


def _follow(client, query) -> tuple:
    """(the dashboard's missing count, the linked list's names) for the logged-in user."""
    dashboard = client.get(DASHBOARD, query)
    reporting = dashboard.context["reporting"]
    href, _text = _missing_link(_page(dashboard))
    listed = client.get(href)
    assert listed.status_code == 200
    assert listed.context["page"].paginator.count == reporting.operating - reporting.reports
    return href, _listed(listed)


def test_a_provinces_official_sees_their_provinces_missing_only(
    client, national, two_provinces, people
):
    client.force_login(people["official_bn"])
    href, names = _follow(client, {"year": YEAR})
    assert names == ["Dệt may Bắc Ninh chưa báo cáo"]
    # The parameter does not widen a province's scope.
    response = client.get(MISSING, {"year": YEAR, "pending": "1", "province": HAI_PHONG})
    assert _listed(response) == ["Dệt may Bắc Ninh chưa báo cáo"]

    client.force_login(people["staff_hp"])
    _href, names = _follow(client, {"year": YEAR})
    assert names == ["Đóng tàu Hải Phòng"]


def test_the_ministry_drills_into_a_province(client, national, two_provinces, people):
    client.force_login(people["ministry"])
    href, names = _follow(client, {"year": YEAR})
    assert href == f"{MISSING}?year={YEAR}&pending=1"
    assert names == ["Dệt may Bắc Ninh chưa báo cáo", "Đóng tàu Hải Phòng"]

    href, names = _follow(client, {"year": YEAR, "province": HAI_PHONG})
    assert href == f"{MISSING}?year={YEAR}&pending=1&province={HAI_PHONG}"
    assert names == ["Đóng tàu Hải Phòng"]
    page = client.get(href).text
    assert "Dệt may Bắc Ninh chưa báo cáo" not in page
    assert "Nhập thay cơ sở" not in page
