"""assessments:report_list — every role sees the reports it may see, with filters."""

from django.urls import reverse

from ..factories import AnnualReportFactory, DistrictFactory, FacilityFactory, IndustryCodeFactory

URL = reverse("assessments:report_list")


def test_it_works(client, staff, facility, other_facility):
    AnnualReportFactory(facility=facility, year=2018)
    AnnualReportFactory(facility=other_facility, year=2019, state="submitted")
    client.force_login(staff)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 2
    assert "Chờ duyệt" in response.text and "Nhập từ tệp" in response.text
    assert "Lập báo cáo mới" not in response.text


def test_facility_users_see_theirs_and_may_start_one(client, facility_user, facility):
    AnnualReportFactory(facility=facility, year=2018, state="draft")
    client.force_login(facility_user)
    response = client.get(URL)
    assert response.context["page"].paginator.count == 1
    assert reverse("assessments:report_create", args=[facility.pk]) in response.text
    assert "Nhập từ tệp" not in response.text


def test_empty_state(client, facility_user):
    client.force_login(facility_user)
    response = client.get(URL)
    assert "Chưa có báo cáo năm nào" in response.text


def test_filters(client, official, facility):
    paper = IndustryCodeFactory(code="17", name="Sản xuất giấy", level=2)
    district = DistrictFactory(code="256", name="Huyện Quế Võ")
    paper_mill = FacilityFactory(industry=paper, commune__parent=district)
    AnnualReportFactory(facility=facility, year=2018, state="approved")
    wanted = AnnualReportFactory(facility=paper_mill, year=2019, state="submitted")
    AnnualReportFactory(facility=paper_mill, year=2018, state="submitted")
    client.force_login(official)
    for params in (
        {"year": "2019"},
        {"state": "submitted", "year": "2019"},
        {"division": "17", "year": "2019"},
        {"district": district.pk, "year": "2019"},
    ):
        response = client.get(URL, params)
        assert list(response.context["page"].object_list) == [wanted], params


def test_facility_users_get_no_registry_filters(client, facility_user, facility, staff):
    AnnualReportFactory(facility=facility, year=2018, state="submitted")
    AnnualReportFactory(facility=facility, year=2019, state="draft")
    client.force_login(facility_user)

    response = client.get(URL, {"state": "submitted", "district": "999999"})

    assert set(response.context["form"].fields) == {"q", "year", "state", "facility"}
    assert 'name="district"' not in response.text and 'name="division"' not in response.text
    # Their own filters still work; a district in the address is ignored, not an error.
    assert [r.year for r in response.context["page"].object_list] == [2018]
    client.force_login(staff)
    staff_page = client.get(URL).text
    assert 'name="district"' in staff_page and 'name="division"' in staff_page


def test_it_requires_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_it_hides_other_facilities(client, outsider, facility):
    AnnualReportFactory(facility=facility, year=2018)
    client.force_login(outsider)
    assert client.get(URL).context["page"].paginator.count == 0


def test_it_rejects_bad_input(client, staff, facility):
    AnnualReportFactory(facility=facility, year=2018)
    client.force_login(staff)
    response = client.get(URL, {"year": "abc", "state": "nonsense", "page": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["page"].paginator.count == 1  # the bad filters are ignored
    assert facility.name in response.text


def test_every_role_has_the_menu_link(client, staff, official, facility_user):
    for user in (staff, official, facility_user):
        client.force_login(user)
        assert f'href="{URL}"' in client.get(reverse("home")).text
