"""assessments:review_queue — submitted reports, oldest first; filters; bounded queries."""

import pytest
from django.urls import reverse
from django.utils import timezone

from ..factories import AnnualReportFactory, DistrictFactory, FacilityFactory

URL = reverse("assessments:review_queue")


def test_it_works(client, staff, facility, other_facility):
    now = timezone.now()
    later = AnnualReportFactory(facility=facility, year=2019, state="submitted", submitted_at=now)
    first = AnnualReportFactory(
        facility=other_facility,
        year=2019,
        state="submitted",
        submitted_at=now - timezone.timedelta(days=2),
    )
    AnnualReportFactory(facility=facility, year=2018, state="approved")
    AnnualReportFactory(facility=facility, year=2017, state="draft")
    client.force_login(staff)
    response = client.get(URL)
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [first, later]
    assert "Báo cáo chờ duyệt" in response.text


def test_state_filter_overrides_the_default(client, staff, facility):
    returned = AnnualReportFactory(facility=facility, year=2019, state="returned")
    client.force_login(staff)
    response = client.get(URL, {"state": "returned"})
    assert list(response.context["page"].object_list) == [returned]
    response = client.get(URL, {"state": ""})  # "Tất cả"
    assert list(response.context["page"].object_list) == [returned]


def test_district_filter(client, staff):
    district = DistrictFactory(code="258", name="Huyện Yên Phong")
    wanted = AnnualReportFactory(
        facility=FacilityFactory(commune__parent=district), year=2019, state="submitted"
    )
    AnnualReportFactory(year=2019, state="submitted")
    client.force_login(staff)
    response = client.get(URL, {"district": district.pk})
    assert list(response.context["page"].object_list) == [wanted]


def test_empty_state(client, staff):
    client.force_login(staff)
    assert "Không có báo cáo nào chờ duyệt" in client.get(URL).text


def test_pagination(client, staff):
    AnnualReportFactory.create_batch(30, state="submitted")
    client.force_login(staff)
    response = client.get(URL, {"page": 2})
    assert len(response.context["page"].object_list) == 5
    assert "Trang 2/2" in response.text


@pytest.mark.parametrize("rows", [3, 20])
def test_queries_do_not_grow_with_rows(client, staff, rows, django_assert_max_num_queries):
    AnnualReportFactory.create_batch(rows, state="submitted")
    client.force_login(staff)
    client.get(URL)  # warm the session and the caches
    with django_assert_max_num_queries(8):  # 7 + the 2025 wards offered
        response = client.get(URL)
    assert len(response.context["page"].object_list) == rows


def test_it_requires_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", ["facility_user", "official", "outsider"])
def test_it_requires_staff(client, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403


def test_it_rejects_bad_input(client, staff):
    client.force_login(staff)
    response = client.get(URL, {"year": "1999", "district": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_staff_home_counts_the_waiting_reports(client, staff):
    AnnualReportFactory.create_batch(3, state="submitted")
    AnnualReportFactory(state="approved")
    client.force_login(staff)
    response = client.get(reverse("home"))
    assert response.context["home"].review_count == 3
    assert "3 báo cáo năm đang chờ duyệt" in response.text
    assert URL in response.text
