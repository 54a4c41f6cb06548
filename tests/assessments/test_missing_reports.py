"""assessments:missing_reports — who has not handed in the report of year Y, by district."""

import pytest
from django.urls import reverse

from facilities.models import Facility

from ..factories import AnnualReportFactory, DistrictFactory, FacilityFactory

URL = reverse("assessments:missing_reports")


@pytest.fixture
def districts(db):
    return (
        DistrictFactory(code="256", name="Huyện Quế Võ"),
        DistrictFactory(code="258", name="Huyện Yên Phong"),
    )


@pytest.fixture
def facilities(districts):
    que_vo, yen_phong = districts
    return {
        "approved": FacilityFactory(name="Cơ sở A đã duyệt", commune__parent=que_vo),
        "submitted": FacilityFactory(name="Cơ sở B đã gửi", commune__parent=que_vo),
        "draft": FacilityFactory(name="Cơ sở C nháp", commune__parent=que_vo),
        "none": FacilityFactory(name="Cơ sở D chưa có", commune__parent=yen_phong),
        "closed": FacilityFactory(
            name="Cơ sở E đóng cửa 2018",
            commune__parent=yen_phong,
            status=Facility.Status.CLOSED,
            closed_year=2018,
        ),
        "new": FacilityFactory(
            name="Cơ sở F thành lập 2020", commune__parent=yen_phong, established_year=2020
        ),
    }


@pytest.fixture
def reports(facilities):
    for state in ("approved", "submitted", "draft"):
        AnnualReportFactory(facility=facilities[state], year=2019, state=state)
    AnnualReportFactory(facility=facilities["none"], year=2018, state="approved")  # other year


def test_it_works(client, staff, facilities, reports, districts):
    client.force_login(staff)
    response = client.get(URL, {"year": 2019})
    assert response.status_code == 200
    names = [f.name for f in response.context["page"].object_list]
    # operating in 2019: A, B, C, D (E closed in 2018, F founded in 2020); handed in: A, B
    assert names == ["Cơ sở C nháp", "Cơ sở D chưa có"]
    counts = {row["place_name"]: row for row in response.context["counts"]}
    assert (counts["Huyện Quế Võ"]["total"], counts["Huyện Quế Võ"]["missing"]) == (3, 1)
    assert (counts["Huyện Yên Phong"]["total"], counts["Huyện Yên Phong"]["missing"]) == (1, 1)
    assert response.context["total_missing"] == 2
    assert response.context["total_reported"] == 2
    assert reverse("assessments:report_create", args=[facilities["none"].pk]) in response.text


def test_district_filter(client, staff, facilities, reports, districts):
    client.force_login(staff)
    response = client.get(URL, {"year": 2019, "district": districts[1].pk})
    assert [f.name for f in response.context["page"].object_list] == ["Cơ sở D chưa có"]


def test_everyone_reported(client, staff, facility):
    AnnualReportFactory(facility=facility, year=2019, state="approved")
    client.force_login(staff)
    response = client.get(URL, {"year": 2019})
    assert "Tất cả cơ sở đã báo cáo năm 2019" in response.text


def test_bounded_queries(client, staff, facilities, reports, django_assert_max_num_queries):
    client.force_login(staff)
    client.get(URL, {"year": 2019})
    FacilityFactory.create_batch(15)
    with django_assert_max_num_queries(10):
        response = client.get(URL, {"year": 2019})
    # Draft and none, then the 15 new ones; approved and submitted have reported, closed and
    # new did not operate in 2019.
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 2 + 15
    assert (response.context["total"], response.context["total_missing"]) == (4 + 15, 2 + 15)


def test_it_requires_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_facility_users_are_refused_and_officials_read_it(client, facility_user, official):
    """Officials read the list behind the dashboard's reporting rate (DESIGN §4); a facility's
    representative never sees other facilities."""
    client.force_login(facility_user)
    assert client.get(URL).status_code == 403
    client.force_login(official)
    assert client.get(URL).status_code == 200


def test_it_rejects_bad_input(client, staff):
    client.force_login(staff)
    response = client.get(URL, {"year": "abc"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_the_pending_mode_counts_by_place_on_the_lists_basis(client, official, facilities, reports):
    # ?pending=1 (the home page's "without an approved report"): B's submitted report is not
    # approved, so the table counts it missing too, as the list below it does.
    client.force_login(official)
    response = client.get(URL, {"year": 2019, "pending": "1"})
    names = [f.name for f in response.context["page"].object_list]
    assert names == ["Cơ sở B đã gửi", "Cơ sở C nháp", "Cơ sở D chưa có"]
    assert response.context["total_missing"] == len(names) == 3
    assert response.context["total_reported"] == 1
    assert "Chưa có báo cáo đã duyệt" in response.text
