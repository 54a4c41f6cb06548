from decimal import Decimal

from django.urls import reverse

from facilities.models import Facility
from tests.factories import CommuneFactory, IndustryCodeFactory

URL = reverse("facilities:create")


def _payload(**overrides):
    data = {
        "name": "  Công ty TNHH Bia Hà Nội – Bắc Ninh ",
        "tax_code": "0890830160",
        "address": "Số 1, Đường Lý Thái Tổ",
        "commune": CommuneFactory().pk,
        "industry": IndustryCodeFactory().pk,
        "ownership": "private",
        "status": "active",
        "employees": "120",
    }
    data.update(overrides)
    return data


def test_it_works(client, staff):
    client.force_login(staff)
    response = client.post(URL, _payload())
    facility = Facility.objects.get(tax_code="0890830160")
    assert response.status_code == 302
    assert response.url == facility.get_absolute_url()
    assert facility.name == "Công ty TNHH Bia Hà Nội – Bắc Ninh"
    history = facility.history.get()
    assert history.history_user == staff


def test_it_requires_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302


def test_it_requires_staff(client, official, facility_user):
    for user in (official, facility_user):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.post(URL, _payload()).status_code == 403
    assert not Facility.objects.filter(tax_code="0890830160").exists()


def test_it_rejects_bad_tax_code(client, staff):
    client.force_login(staff)
    response = client.post(URL, _payload(tax_code="0827601897"))
    assert response.status_code == 200
    assert "Mã số thuế không hợp lệ" in response.text
    assert not Facility.objects.exists()


def test_it_rejects_closed_without_year(client, staff):
    client.force_login(staff)
    response = client.post(URL, _payload(status="closed"))
    assert "Cần nhập năm đóng cửa" in response.text
    assert not Facility.objects.exists()


def test_it_rejects_duplicate_tax_code(client, staff, facility):
    client.force_login(staff)
    response = client.post(URL, _payload(tax_code=facility.tax_code))
    assert response.status_code == 200
    assert Facility.objects.count() == 1


def test_it_reads_numbers_typed_the_vietnamese_way(client, staff):
    client.force_login(staff)
    payload = _payload(employees="1.200", revenue_bn_vnd="25,5", capital_bn_vnd="1.234,5")
    assert client.post(URL, payload).status_code == 302
    facility = Facility.objects.get(tax_code="0890830160")
    assert (facility.employees, facility.revenue_bn_vnd) == (1200, Decimal("25.5"))
    assert facility.capital_bn_vnd == Decimal("1234.5")
    page = client.get(reverse("facilities:edit", args=[facility.pk])).text
    assert 'name="revenue_bn_vnd" value="25,5"' in page
    assert 'name="capital_bn_vnd" value="1.234,5"' in page
    assert 'name="employees" value="1.200"' in page


def test_it_refuses_ambiguous_numbers(client, staff):
    client.force_login(staff)
    response = client.post(URL, _payload(revenue_bn_vnd="25.5", employees="-3"))
    assert response.status_code == 200
    assert "Bạn nhập 25.5 — ý là 25,5 hay 25.500?" in response.text
    assert "Phải là số ≥ 0." in response.text
    assert 'value="25.5"' in response.text  # shown back as typed
    assert not Facility.objects.exists()


def test_it_refuses_a_tax_code_in_another_scripts_digits(client, staff):
    # "٠٨٩٠٨٣٠١٦٠" is 0890830160 in Arabic-Indic digits: stored as written it would never match
    # the code typed again and the registry would count the facility twice.
    client.force_login(staff)
    response = client.post(URL, _payload(tax_code="٠٨٩٠٨٣٠١٦٠"))
    assert response.status_code == 200
    assert "Mã số thuế phải gồm 10 chữ số" in response.text
    assert not Facility.objects.exists()


def test_it_stores_full_width_digits_as_the_import_does(client, staff, facility):
    # Full-width digits (a phone's keyboard) are the same code: the existing facility's code
    # typed that way is a duplicate, a new one is stored in ASCII.
    client.force_login(staff)
    full_width = facility.tax_code.translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))
    response = client.post(URL, _payload(tax_code=full_width))
    assert response.status_code == 200
    assert Facility.objects.filter(tax_code=facility.tax_code).count() == 1
    assert Facility.objects.count() == 1

    response = client.post(URL, _payload(tax_code=" ０８９０８３０１６０ "))
    assert response.status_code == 302
    assert Facility.objects.filter(tax_code="0890830160").exists()
