"""Page titles name their object (WCAG 2.4.2): two pages of the same kind about two different
objects — two facilities, two annual reports, two indicator lists… — have two different <title>s,
each naming its own object, as the detail pages already do ("Báo cáo năm 2018 – <cơ sở>").

Also, from the same accessibility review: the dashboard's filter form carries the hook its
narrow-screen CSS relies on, and the API page marks Swagger UI's English controls as English
(WCAG 3.1.2) with a Vietnamese note about them."""

import html
import re

import pytest
from django.urls import reverse

from accounts.models import Role
from assessments.models import ConversionFactor, GridEmissionFactor, PlanPeriod, QualityRule
from facilities.models import IndustrialArea
from ops.demo_reports import ensure_report_periods
from reports.models import Indicator
from reports.plan_wording import period_label

from .factories import (
    ActivityFactory,
    AnnualReportFactory,
    AssessmentFactory,
    FacilityFactory,
    OptionFactory,
    UserFactory,
)
from .reports.report_view_helpers import make_report

pytestmark = pytest.mark.django_db

YEAR = 2018


def title_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    found = re.search(r"<title>(.*?)</title>", response.text, re.S)
    assert found, url
    return re.sub(r"\s+", " ", html.unescape(found.group(1))).strip()


def assert_named_apart(client, first, second):
    """`first` and `second` are (url, [texts its title must contain]) for two objects."""
    (url_a, names_a), (url_b, names_b) = first, second
    title_a, title_b = title_of(client, url_a), title_of(client, url_b)
    assert title_a != title_b
    assert title_a.endswith(" · SXSH") and title_b.endswith(" · SXSH")
    for name in names_a:
        assert name in title_a, (name, title_a)
    for name in names_b:
        assert name in title_b, (name, title_b)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def two_facilities(db):
    return (
        FacilityFactory(name="Công ty Cổ phần Bia Hải Dương"),
        FacilityFactory(name="Công ty TNHH Giấy Phong Khê"),
    )


def _pages(name, objects, names):
    return [(reverse(name, args=[o.pk]), names(o)) for o in objects]


# --- the indicator lists of the dashboard -------------------------------------------------------


def test_the_eight_indicator_lists_have_eight_titles(client, official):
    client.force_login(official)
    titles = {}
    for code in ("AWARE_PCT", "APPLY_PCT", "SAVING_PCT", "ENT_UNIT_PCT"):
        name = Indicator.objects.get(code=code, period__code="2016-2020").name
        for part, words in (("numerator", "tử số"), ("denominator", "mẫu số")):
            url = reverse("reports:indicator_facilities", args=[code, YEAR, part])
            title = title_of(client, url)
            assert name in title and words in title and str(YEAR) in title, title
            # The title says what the heading says.
            heading = re.search(r"<h1[^>]*>(.*?)</h1>", client.get(url).text, re.S).group(1)
            assert title == f"{html.unescape(heading).strip()} · SXSH"
            titles[code, part] = title
    assert len(set(titles.values())) == 8
    other_year = title_of(
        client, reverse("reports:indicator_facilities", args=["AWARE_PCT", YEAR - 1, "numerator"])
    )
    assert str(YEAR - 1) in other_year and other_year != titles["AWARE_PCT", "numerator"]


# --- facilities ---------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["facilities:edit", "facilities:close"])
def test_facility_pages_name_the_facility(staff_client, two_facilities, page):
    assert_named_apart(staff_client, *_pages(page, two_facilities, lambda f: [f.name]))


def test_area_pages_name_the_area(staff_client):
    areas = [
        IndustrialArea.objects.create(kind=IndustrialArea.Kind.KCN, name="KCN Quế Võ"),
        IndustrialArea.objects.create(kind=IndustrialArea.Kind.CCN, name="CCN Phong Khê"),
    ]
    for page in ("facilities:area_edit", "facilities:area_delete"):
        assert_named_apart(staff_client, *_pages(page, areas, lambda a: [a.name]))


# --- annual reports and their review steps ------------------------------------------------------


@pytest.mark.parametrize(
    "page",
    ["assessments:report_edit", "assessments:report_approve", "assessments:report_return"],
)
def test_annual_report_pages_name_the_year_and_the_facility(staff_client, two_facilities, page):
    first, second = two_facilities
    reports = [
        AnnualReportFactory(facility=first, year=YEAR, state="submitted"),
        AnnualReportFactory(facility=first, year=YEAR + 1, state="submitted"),
        AnnualReportFactory(facility=second, year=YEAR, state="submitted"),
    ]
    pages = _pages(page, reports, lambda r: [str(r.year), r.facility.name])
    assert_named_apart(staff_client, pages[0], pages[1])  # two years of one facility
    assert_named_apart(staff_client, pages[0], pages[2])  # one year of two facilities


def test_the_new_annual_report_page_names_the_facility(staff_client, two_facilities):
    pages = _pages("assessments:report_create", two_facilities, lambda f: [f.name])
    assert_named_apart(staff_client, *pages)


# --- assessments, options, activities ----------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "state"),
    [
        ("assessments:assessment_edit", "draft"),
        ("assessments:assessment_approve", "submitted"),
        ("assessments:assessment_return", "submitted"),
    ],
)
def test_assessment_pages_name_the_facility(staff_client, two_facilities, page, state):
    assessments = [AssessmentFactory(facility=f, state=state) for f in two_facilities]
    pages = _pages(page, assessments, lambda a: [a.facility.name])
    assert_named_apart(staff_client, *pages)


@pytest.mark.parametrize("page", ["assessments:option_edit", "assessments:option_delete"])
def test_option_pages_name_the_option_and_the_facility(staff_client, two_facilities, page):
    first, second = two_facilities
    draft = AssessmentFactory(facility=first, state="draft")
    options = [
        OptionFactory(assessment=draft, description="Thay đèn LED cho xưởng sản xuất"),
        OptionFactory(assessment=draft, description="Lắp biến tần cho quạt gió lò hơi"),
        OptionFactory(
            assessment=AssessmentFactory(facility=second, state="draft"),
            description="Thay đèn LED cho xưởng sản xuất",
        ),
    ]
    pages = _pages(page, options, lambda o: [o.description, o.assessment.facility.name])
    assert_named_apart(staff_client, pages[0], pages[1])
    assert_named_apart(staff_client, pages[0], pages[2])


@pytest.mark.parametrize("page", ["assessments:activity_edit", "assessments:activity_delete"])
def test_activity_pages_name_the_activity(staff_client, page):
    activities = [ActivityFactory(), ActivityFactory()]
    assert_named_apart(staff_client, *_pages(page, activities, lambda a: [a.title]))


# --- reference data: factors, quality rules -----------------------------------------------------


def test_factor_pages_name_the_factor(staff_client):
    factors = [
        ConversionFactor.objects.get(carrier="electricity"),
        ConversionFactor.objects.get(carrier="coal"),
    ]
    pages = _pages("assessments:factor_edit", factors, lambda f: [f.display_name])
    assert_named_apart(staff_client, *pages)
    grids = GridEmissionFactor.objects.filter(year__in=[YEAR, YEAR + 1]).order_by("year")
    assert_named_apart(
        staff_client,
        *_pages("assessments:grid_factor_edit", grids, lambda f: [str(f.year)]),
    )


def test_quality_rule_pages_name_the_rule(staff_client):
    rules = QualityRule.objects.filter(code__in=["INTENSITY_JUMP", "EMPLOYEES_JUMP"])
    pages = _pages("assessments:quality_rule_edit", rules, lambda r: [r.code])
    assert_named_apart(staff_client, *pages)


# --- the plan: periods and indicators -----------------------------------------------------------


@pytest.fixture
def two_periods(db):
    assert ensure_report_periods() == 1  # 2021–2030, with the indicators of 2016–2020
    return list(PlanPeriod.objects.filter(code__in=["2016-2020", "2021-2030"]).order_by("code"))


def test_period_pages_name_the_period(staff_client, two_periods):
    pages = _pages("reports:period_edit", two_periods, lambda p: [period_label(p)])
    assert_named_apart(staff_client, *pages)


@pytest.mark.parametrize(
    "page", ["reports:indicator_values", "reports:indicator_milestones", "reports:indicator_edit"]
)
def test_indicator_pages_of_two_periods_name_the_period(staff_client, two_periods, page):
    # One indicator (a manual one: only those have a values page), the same name in both
    # periods: only the period tells the pages apart.
    manual = Indicator.objects.filter(period=two_periods[0], method=Indicator.Method.MANUAL)
    code = manual.values_list("code", flat=True).first()
    same = [Indicator.objects.get(code=code, period=p) for p in two_periods]
    assert same[0].name == same[1].name
    pages = _pages(page, same, lambda i: [period_label(i.period)])
    assert_named_apart(staff_client, *pages)


# --- accounts and generated documents -----------------------------------------------------------


@pytest.mark.parametrize("page", ["accounts:user_tokens", "accounts:user_two_factor_reset"])
def test_user_pages_name_the_user(staff_client, page):
    users = [
        UserFactory(username="coso_bia", role=Role.FACILITY, full_name="Lê Văn Bia"),
        UserFactory(username="coso_giay", role=Role.FACILITY, full_name="Phạm Thị Giấy"),
    ]
    pages = _pages(page, users, lambda u: [u.full_name, u.username])
    assert_named_apart(staff_client, *pages)


def test_document_pages_name_the_document(staff_client, staff):
    documents = [make_report(by=staff), make_report(by=staff)]
    documents[1].year = YEAR + 1
    documents[1].save(update_fields=["year"])
    pages = _pages("reports:delete", documents, lambda d: [str(d)])
    assert_named_apart(staff_client, *pages)


# --- the dashboard's filter form and the API page -----------------------------------------------


def test_the_dashboard_filters_carry_the_narrow_screen_hook(client, official):
    """static/css/reports.css lets `.dashboard-filters` and `#year-form` shrink to the screen
    and caps their selects at 100 %: the markup must keep the hook (the browser check is in
    tests/test_dashboard_narrow_browser.py)."""
    client.force_login(official)
    page = client.get(reverse("reports:dashboard"), {"year": YEAR}).text
    filters = re.search(r'<div class="[^"]*\bdashboard-filters\b[^"]*">(.*?)</form>', page, re.S)
    assert filters, "the filter row lost its .dashboard-filters class"
    assert 'id="year-form"' in filters.group(1) and 'id="id_group"' in filters.group(1)
    assert "css/reports" in page


def test_the_api_page_marks_swagger_ui_as_english(client, staff):
    client.force_login(staff)
    page = client.get(reverse("reports:api_docs")).text
    assert re.search(r'<div id="swagger-ui" lang="en"', page)
    note = re.search(r'<p id="swagger-language-note">(.*?)</p>', page, re.S)
    assert note and "tiếng Anh" in note.group(1)
    assert note.start() < page.index('id="swagger-ui"')  # said before the console


def test_the_api_page_in_english_has_no_language_note(client, staff):
    client.force_login(staff)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("reports:api_docs")).text
    assert '<html lang="en"' in page
    assert 'id="swagger-language-note"' not in page
    assert re.search(r'<div id="swagger-ui" lang="en"', page)
