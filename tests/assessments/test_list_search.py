"""The `q` search box of the annual-report list, the review queue, the assessment list and the
activity list: accent- and case-insensitive ("bia ha noi" finds "Bia Hà Nội"), by tax code on the
facility lists, kept in the page links, an empty state naming the term, bounded queries, and
never wider than the user's scope."""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from ..factories import (
    ActivityFactory,
    AnnualReportFactory,
    AssessmentFactory,
    FacilityFactory,
)
from .national_helpers import HP_FACILITY, national, staff_bn, two_provinces

__all__ = ["national", "staff_bn", "two_provinces"]  # fixtures

pytestmark = pytest.mark.django_db

REPORTS = reverse("assessments:report_list")
QUEUE = reverse("assessments:review_queue")
ASSESSMENTS = reverse("assessments:assessment_list")
ACTIVITIES = reverse("assessments:activity_list")


def make_report(facility, **extra):
    now = timezone.now()
    return AnnualReportFactory(facility=facility, state="submitted", submitted_at=now, **extra)


def make_assessment(facility, **extra):
    return AssessmentFactory(facility=facility, **extra)


# The three lists of a facility's rows: (url, row maker).
FACILITY_LISTS = {
    "reports": (REPORTS, make_report),
    "queue": (QUEUE, make_report),
    "assessments": (ASSESSMENTS, make_assessment),
}


@pytest.fixture(params=FACILITY_LISTS)
def facility_list(request):
    return FACILITY_LISTS[request.param]


@pytest.fixture
def hanoi(db):
    return FacilityFactory(name="Công ty Cổ phần Bia Hà Nội", tax_code="0100101234")


@pytest.fixture
def dong_ky(db):
    return FacilityFactory(name="Xưởng Đồ gỗ Đồng Kỵ", tax_code="2300987654")


def rows(response) -> list:
    return list(response.context["page"].object_list)


@pytest.mark.parametrize(
    "term", ["bia ha noi", "Bia Hà Nội", "BIA HÀ NỘI", "  bia   hà  noi ", "0100101234", "01001"]
)
def test_facility_lists_search_name_with_or_without_accents_and_tax_code(
    client, staff, facility_list, hanoi, dong_ky, term
):
    url, make = facility_list
    wanted, _ = make(hanoi), make(dong_ky)
    client.force_login(staff)
    response = client.get(url, {"q": term})
    assert response.status_code == 200
    assert rows(response) == [wanted]
    assert dong_ky.name not in response.text
    # The box shows the term searched.
    assert 'type="search"' in response.text and 'name="q"' in response.text


def test_d_with_stroke_folds_to_d(client, staff, facility_list, hanoi, dong_ky):
    url, make = facility_list
    make(hanoi)
    wanted = make(dong_ky)
    client.force_login(staff)
    for term in ("do go dong ky", "Đồ gỗ", "DONG KY"):
        assert rows(client.get(url, {"q": term})) == [wanted], term


def test_search_keeps_the_other_filters(client, staff, hanoi):
    kept = AnnualReportFactory(facility=hanoi, year=2019, state="approved")
    AnnualReportFactory(facility=hanoi, year=2018, state="approved")
    AnnualReportFactory(facility=FacilityFactory(), year=2019, state="approved")
    client.force_login(staff)
    assert rows(client.get(REPORTS, {"q": "bia ha noi", "year": 2019})) == [kept]


def test_no_match_shows_the_term(client, staff, facility_list, hanoi):
    url, make = facility_list
    make(hanoi)
    client.force_login(staff)
    response = client.get(url, {"q": "nhựa <b>Tiền Phong</b>"})
    assert rows(response) == []
    assert "Không tìm thấy" in response.text
    assert "“nhựa &lt;b&gt;Tiền Phong&lt;/b&gt;”" in response.text  # escaped
    assert "<b>Tiền Phong</b>" not in response.text


def test_q_survives_the_page_links(client, staff, facility_list):
    url, make = facility_list
    for n in range(30):
        make(FacilityFactory(name=f"Nhà máy Bia Hà Nội số {n}"))
    for _ in range(3):
        make(FacilityFactory(name="Công ty Gốm Phù Lãng"))
    client.force_login(staff)
    response = client.get(url, {"q": "bia ha noi"})
    assert response.context["page"].paginator.count == 30
    links = re.findall(r'class="page-link" href="\?([^"]*)"', response.text)
    assert links and all("q=bia+ha+noi" in link for link in links), links
    second = client.get(url, {"q": "bia ha noi", "page": 2})
    assert len(rows(second)) == 5
    assert all("Bia Hà Nội" in row.facility.name for row in rows(second))


@pytest.mark.parametrize("count", [3, 20])
def test_search_queries_do_not_grow_with_rows(
    client, staff, facility_list, count, django_assert_max_num_queries
):
    url, make = facility_list
    for n in range(count):
        make(FacilityFactory(name=f"Nhà máy Bia Hà Nội số {n}"))
    client.force_login(staff)
    client.get(url, {"q": "bia"})  # warm the session and the caches
    limit = 10 if url == ASSESSMENTS else 8  # as the lists without a search (+ the wards offered)
    with django_assert_max_num_queries(limit):
        response = client.get(url, {"q": "bia ha noi"})
    assert len(rows(response)) == count


@pytest.mark.parametrize("url,make", [FACILITY_LISTS["reports"], FACILITY_LISTS["assessments"]])
def test_a_facility_user_never_finds_another_facilitys_rows(
    client, facility_user, facility, other_facility, url, make
):
    own, _ = make(facility), make(other_facility)
    client.force_login(facility_user)
    for term in ("giay phong khe", other_facility.name, other_facility.tax_code, "cong ty"):
        found = rows(client.get(url, {"q": term}))
        assert all(row.facility == facility for row in found), term
    assert rows(client.get(url, {"q": "giay phong khe"})) == []
    assert rows(client.get(url, {"q": "bia hai duong"})) == [own]


def test_a_national_staff_member_searches_only_their_province(
    client, national, two_provinces, staff_bn, facility_list
):
    url, make = facility_list
    bac_ninh, hai_phong = two_provinces
    make(bac_ninh), make(hai_phong)
    client.force_login(staff_bn)
    assert rows(client.get(url, {"q": "dong tau hai phong"})) == []
    response = client.get(url, {"q": HP_FACILITY})
    assert rows(response) == []
    assert f">{HP_FACILITY}</a>" not in response.text  # the box itself shows the term
    assert rows(client.get(url, {"q": "gom phu lang"}))[0].facility == bac_ninh


# --- activities: the activity's title -------------------------------------------------------


@pytest.fixture
def workshops(db):
    return (
        ActivityFactory(title="Hội thảo SXSH ngành bia Hà Nội", date=date(2019, 5, 1)),
        ActivityFactory(title="Đào tạo đánh giá SXSH làng nghề Đồng Kỵ", date=date(2019, 6, 1)),
    )


@pytest.mark.parametrize(
    "term,index",
    [
        ("bia ha noi", 0),
        ("Bia Hà Nội", 0),
        ("HỘI THẢO", 0),
        ("dao tao danh gia", 1),
        ("Đồng Kỵ", 1),
        ("dong ky", 1),
    ],
)
def test_activities_search_the_title(client, staff, workshops, term, index):
    client.force_login(staff)
    response = client.get(ACTIVITIES, {"q": term})
    assert rows(response) == [workshops[index]]
    assert workshops[1 - index].title not in response.text


def test_activity_search_no_match_shows_the_term(client, staff, workshops):
    client.force_login(staff)
    response = client.get(ACTIVITIES, {"q": "truyền thông"})
    assert rows(response) == []
    assert "Không tìm thấy" in response.text and "“truyền thông”" in response.text


def test_activity_search_keeps_filters_and_page_links(client, staff, django_assert_max_num_queries):
    for n in range(30):
        ActivityFactory(title=f"Hội thảo SXSH đợt {n}", kind="workshop", date=date(2019, 3, 1))
    ActivityFactory(title="Hội thảo SXSH năm trước", kind="workshop", date=date(2018, 3, 1))
    ActivityFactory(title="Khóa đào tạo", kind="training", date=date(2019, 3, 1))
    client.force_login(staff)
    client.get(ACTIVITIES, {"q": "hoi thao"})
    with django_assert_max_num_queries(12):
        response = client.get(ACTIVITIES, {"q": "hoi thao", "year": 2019})
    assert response.context["page"].paginator.count == 30
    links = re.findall(r'class="page-link" href="\?([^"]*)"', response.text)
    assert links and all("q=hoi+thao" in link and "year=2019" in link for link in links)
    second = client.get(ACTIVITIES, {"q": "hoi thao", "year": 2019, "page": 2})
    assert len(rows(second)) == 5


def test_a_facility_user_never_finds_another_facilitys_activities(
    client, facility_user, activity, other_activity
):
    client.force_login(facility_user)
    for term in ("dao tao sxsh nganh giay", other_activity.title, "sxsh"):
        response = client.get(ACTIVITIES, {"q": term})
        assert other_activity not in rows(response), term
        assert f">{other_activity.title}</a>" not in response.text
    assert rows(client.get(ACTIVITIES, {"q": "kcn que vo"})) == [activity]
