"""The same creation form sent twice at the same moment (a double click, two tabs): both requests
pass the form's checks before either saves. One stores the record; the other, refused by the
database's unique constraint, gets the form back (409) with a message on the field naming the
value, not a server error, and stores nothing. The pages that set a value (an indicator's value
of a year, the statistics office's count of a year) store the value both times instead."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.forms import PortalUserCreationForm
from accounts.models import User
from assessments.assessment_forms import NewGridEmissionFactorForm
from assessments.models import GridEmissionFactor, PlanPeriod
from facilities.forms import FacilityForm
from facilities.models import Facility, IndustrialArea
from facilities.reference_forms import IndustrialAreaForm
from reports.forms import EstablishmentCountForm, IndicatorValueForm, PlanPeriodForm
from reports.models import EstablishmentCount, Indicator, IndicatorValue

from .factories import CommuneFactory, IndustryCodeFactory

pytestmark = pytest.mark.usefixtures("transactional_db")


def _in_step(monkeypatch, form_class):
    """Both requests' forms are valid (nothing stored yet) before either request goes on."""
    barrier = threading.Barrier(2, timeout=10)
    original = form_class.is_valid

    def is_valid_then_wait(form):
        valid = original(form)
        if form.is_bound:
            barrier.wait()
        return valid

    monkeypatch.setattr(form_class, "is_valid", is_valid_then_wait)


def _post_twice(user, url, data) -> list:
    responses = []

    def post():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        try:
            responses.append(client.post(url, data))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return responses


def _lost(responses, field: str, message: str):
    """The response of the request that lost the race: the form again, `message` on `field`."""
    assert sorted(r.status_code for r in responses) == [302, 409]
    lost = next(r for r in responses if r.status_code == 409)
    assert lost.context["form"].errors[field] == [message]
    return lost


def test_facility(monkeypatch, staff):
    _in_step(monkeypatch, FacilityForm)
    data = {
        "name": "Công ty TNHH Gửi Hai Lần",
        "tax_code": "0890830160",
        "address": "Số 1 đường Trần Phú",
        "commune": CommuneFactory().pk,
        "industry": IndustryCodeFactory().pk,
        "ownership": "private",
        "status": "active",
        "employees": "120",
    }

    responses = _post_twice(staff, reverse("facilities:create"), data)

    facility = Facility.objects.get(tax_code="0890830160")
    message = "Đã có cơ sở mang mã số thuế 0890830160; hãy mở cơ sở đó để sửa."
    lost = _lost(responses, "tax_code", message)
    assert lost.context["form"]["name"].value() == data["name"]  # what was typed is shown back
    assert facility.history.count() == 1


def test_account(monkeypatch, staff, facility):
    _in_step(monkeypatch, PortalUserCreationForm)
    data = {
        "username": "coso_moi",
        "full_name": "Hoàng Văn Mới",
        "email": "coso_moi@example.vn",
        "phone": "0912 345 678",
        "role": "facility",
        "facilities": [facility.pk],
    }

    responses = _post_twice(staff, reverse("accounts:user_create"), data)

    message = (
        "Tên đăng nhập “coso_moi” đã được dùng (không phân biệt chữ hoa, chữ thường). "
        "Vui lòng chọn tên khác."
    )
    _lost(responses, "username", message)
    account = User.objects.get(username="coso_moi")
    assert list(account.facilities.all()) == [facility]


def test_industrial_area(monkeypatch, staff):
    _in_step(monkeypatch, IndustrialAreaForm)

    responses = _post_twice(
        staff, reverse("facilities:area_create"), {"name": "KCN Gửi Hai Lần", "kind": "kcn"}
    )

    message = "Tên này trùng với khu/cụm công nghiệp “KCN Gửi Hai Lần” đã có."
    _lost(responses, "name", message)
    assert IndustrialArea.objects.filter(name="KCN Gửi Hai Lần").count() == 1


def test_grid_factor(monkeypatch, staff):
    _in_step(monkeypatch, NewGridEmissionFactorForm)
    year = max(GridEmissionFactor.objects.values_list("year", flat=True)) + 1
    data = {"year": year, "t_co2_per_mwh": "0,6592", "source": "Bộ NN&MT"}

    responses = _post_twice(staff, reverse("assessments:grid_factor_create"), data)

    message = f"Năm {year} đã có hệ số phát thải lưới điện: hãy sửa hệ số đó."
    _lost(responses, "year", message)
    assert GridEmissionFactor.objects.filter(year=year).count() == 1


def test_plan_period_with_copied_indicators(monkeypatch, staff):
    _in_step(monkeypatch, PlanPeriodForm)
    source = PlanPeriod.objects.get(code="2016-2020")
    data = {
        "code": "2031-2035",
        "name": "Giai đoạn 2031–2035",
        "start_year": 2031,
        "end_year": 2035,
        "copy_from": source.pk,
    }

    responses = _post_twice(staff, reverse("reports:period_create"), data)

    _lost(responses, "code", "Đã có giai đoạn kế hoạch mã 2031-2035.")
    period = PlanPeriod.objects.get(code="2031-2035")
    # The loser's copies of the indicators went with its period: one copy each.
    assert period.indicators.count() == source.indicators.count()
    assert Indicator.objects.filter(code=source.indicators.first().code).count() == 2


def test_indicator_value_is_set_once(monkeypatch, staff):
    _in_step(monkeypatch, IndicatorValueForm)
    indicator = Indicator.objects.get(code="DOIT_STAFF")
    url = reverse("reports:indicator_values", args=[indicator.pk])

    responses = _post_twice(staff, url, {"year": 2018, "value": "3", "note": "Sở Công Thương"})

    assert [r.status_code for r in responses] == [302, 302]
    entry = IndicatorValue.objects.get(indicator=indicator, year=2018)
    assert (entry.value, entry.note) == (3, "Sở Công Thương")
    assert entry.history.count() == 2  # entered, then entered again over it


def test_establishment_count_is_set_once(monkeypatch, staff):
    _in_step(monkeypatch, EstablishmentCountForm)
    data = {
        "year": 2020,
        "count": "1.234",
        "source": "Niên giám thống kê 2020",
        "source_date": "2021-06-30",
        "note": "",
    }

    responses = _post_twice(staff, reverse("reports:establishments"), data)

    assert [r.status_code for r in responses] == [302, 302]
    entry = EstablishmentCount.objects.get(year=2020)
    assert (entry.count, entry.source) == (1234, "Niên giám thống kê 2020")
    assert entry.history.count() == 2
