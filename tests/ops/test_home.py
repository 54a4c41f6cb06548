def test_it_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_staff_sees_work_page(client, staff, facility):
    client.force_login(staff)
    response = client.get("/")
    assert response.status_code == 200
    assert "Trang làm việc của cán bộ Sở Công Thương" in response.text


def test_official_sees_dashboard(client, official):
    client.force_login(official)
    response = client.get("/")
    assert "Bảng điều khiển lãnh đạo" in response.text


def test_facility_user_sees_only_own_facilities(client, facility_user, facility, other_facility):
    client.force_login(facility_user)
    response = client.get("/")
    assert facility.name in response.text
    assert other_facility.name not in response.text
