from django.urls import reverse


def _url(facility):
    return reverse("facilities:close", args=[facility.pk])


def test_it_asks_for_confirmation(client, staff, facility):
    client.force_login(staff)
    response = client.get(_url(facility))
    assert response.status_code == 200
    assert "Xác nhận đóng cửa" in response.text
    facility.refresh_from_db()
    assert facility.status == "active"


def test_it_works(client, staff, facility):
    client.force_login(staff)
    response = client.post(_url(facility), {"closed_year": "2019"})
    assert response.status_code == 302
    facility.refresh_from_db()
    assert (facility.status, facility.closed_year) == ("closed", 2019)
    detail = client.get(facility.get_absolute_url())
    assert "Năm đóng cửa" in detail.text  # the change appears in the history


def test_it_requires_staff(client, official, facility_user, facility):
    for user in (official, facility_user):
        client.force_login(user)
        assert client.post(_url(facility), {"closed_year": "2019"}).status_code == 403
    facility.refresh_from_db()
    assert facility.status == "active"


def test_it_hides_missing_facility(client, staff):
    client.force_login(staff)
    assert client.get(reverse("facilities:close", args=[999999])).status_code == 404


def test_it_rejects_bad_input(client, staff, facility):
    client.force_login(staff)
    response = client.post(_url(facility), {"closed_year": "2001"})  # before established 2010
    assert "không được trước năm thành lập" in response.text
    facility.refresh_from_db()
    assert facility.status == "active"
