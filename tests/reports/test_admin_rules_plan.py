"""The plan's rules hold in the Django admin too (a superuser's forms), not only in the staff
pages: a plan period shares no year with another of the same plan (PlanPeriod.clean); only the
computed indicators are computed (Indicator.clean); a manual value is of a year of its
indicator's period that has come (IndicatorValue.clean)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from assessments.models import PlanPeriod
from reports.models import Indicator, IndicatorValue
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OVERLAP = "Giai đoạn bị trùng năm với giai đoạn"
ORDER = "Năm kết thúc phải từ năm bắt đầu trở đi."
COMPUTED_ONLY = "Chỉ các chỉ tiêu AWARE_PCT"
FUTURE = "chưa đến, chưa thể ghi giá trị của năm này."


@pytest.fixture
def admin_client(client, db):
    superuser = UserFactory(
        username="quantri_h2", role=Role.STAFF, is_staff=True, is_superuser=True
    )
    client.force_login(superuser)
    client.superuser = superuser
    return client


def _post(client, url: str, **changes):
    """Post the admin form of `url` with the values it shows, `changes` over them."""
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: "" if v is None else v for k, v in data.items() if v is not False}
    data.update(changes)
    return client.post(url, data)


def _errors(response) -> dict:
    assert response.status_code == 200, response.status_code
    return response.context["adminform"].form.errors


def _add_period(client, **changes):
    url = reverse("admin:assessments_planperiod_add")
    return _post(client, url, **{"code": "OVL", "name": "Kế hoạch thử", **changes})


def _seeded() -> PlanPeriod:
    return PlanPeriod.objects.get(code="2016-2020")


# --- plan periods ---------------------------------------------------------------------------


def test_admin_refuses_a_period_overlapping_another(admin_client):
    response = _add_period(admin_client, start_year=2019, end_year=2022)

    errors = _errors(response)
    assert list(errors) == ["start_year"]
    assert errors["start_year"] == [f"{OVERLAP} {_seeded()}."]
    assert not PlanPeriod.objects.filter(code="OVL").exists()
    assert PlanPeriod.objects.for_year(2019) == _seeded()


def test_admin_refuses_a_period_ending_before_it_starts(admin_client):
    response = _add_period(admin_client, start_year=2035, end_year=2031)

    assert _errors(response) == {"end_year": [ORDER]}
    assert not PlanPeriod.objects.filter(code="OVL").exists()


def test_admin_adds_a_period_after_the_others(admin_client):
    response = _add_period(admin_client, start_year=2021, end_year=2030)

    assert response.status_code == 302
    assert PlanPeriod.objects.for_year(2021).code == "OVL"


def test_a_province_plan_may_overlap_the_installation_plan(admin_client):
    response = _add_period(admin_client, start_year=2019, end_year=2022, province="24")

    assert response.status_code == 302
    assert PlanPeriod.objects.for_year(2019) == _seeded()
    assert PlanPeriod.objects.for_year(2019, province="24").code == "OVL"


def test_admin_saves_a_period_over_its_own_years(admin_client):
    period = _seeded()
    url = reverse("admin:assessments_planperiod_change", args=[period.pk])

    response = _post(admin_client, url, basis="QĐ 1419/QĐ-TTg (sửa)")

    assert response.status_code == 302
    period.refresh_from_db()
    assert period.basis == "QĐ 1419/QĐ-TTg (sửa)"


def test_admin_refuses_moving_a_period_onto_another(admin_client):
    later = PlanPeriod.objects.create(code="2021-2030", name="KH", start_year=2021, end_year=2030)
    url = reverse("admin:assessments_planperiod_change", args=[later.pk])

    response = _post(admin_client, url, start_year=2020)

    assert list(_errors(response)) == ["start_year"]
    later.refresh_from_db()
    assert later.start_year == 2021


def test_the_staff_form_gives_the_same_messages(client, staff):
    client.force_login(staff)
    data = {"code": "OVL", "name": "Kế hoạch thử", "basis": ""}

    overlapping = client.post(
        reverse("reports:period_create"), {**data, "start_year": 2019, "end_year": 2022}
    )
    reversed_years = client.post(
        reverse("reports:period_create"), {**data, "start_year": 2035, "end_year": 2031}
    )

    assert overlapping.context["form"].errors == {"start_year": [f"{OVERLAP} {_seeded()}."]}
    assert reversed_years.context["form"].errors == {"end_year": [ORDER]}
    assert not PlanPeriod.objects.filter(code="OVL").exists()


# --- indicators -----------------------------------------------------------------------------


def _indicator_change(indicator) -> str:
    return reverse("admin:reports_indicator_change", args=[indicator.pk])


def test_admin_refuses_computing_an_entered_indicator(admin_client):
    indicator = Indicator.objects.get(period=_seeded(), code="DOIT_STAFF")

    response = _post(admin_client, _indicator_change(indicator), method="computed")

    errors = _errors(response)
    assert list(errors) == ["method"]
    assert errors["method"][0].startswith(COMPUTED_ONLY)
    assert "chỉ tiêu khác nhập thủ công" in errors["method"][0]
    indicator.refresh_from_db()
    assert indicator.method == Indicator.Method.MANUAL


def test_admin_edits_indicators_as_before(admin_client):
    entered = Indicator.objects.get(period=_seeded(), code="DOIT_STAFF")
    computed = Indicator.objects.get(period=_seeded(), code="AWARE_PCT")

    assert _post(admin_client, _indicator_change(entered), order=42).status_code == 302
    assert _post(admin_client, _indicator_change(computed), order=43).status_code == 302
    assert Indicator.objects.get(pk=entered.pk).order == 42
    assert Indicator.objects.get(pk=computed.pk).method == Indicator.Method.COMPUTED


def test_the_staff_form_still_refuses_computing_an_entered_indicator(client, staff):
    indicator = Indicator.objects.get(period=_seeded(), code="DOIT_STAFF")
    client.force_login(staff)
    url = reverse("reports:indicator_edit", args=[indicator.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: "" if v is None else v for k, v in data.items()}

    response = client.post(url, {**data, "method": "computed"})

    errors = response.context["form"].errors
    assert list(errors) == ["method"] and errors["method"][0].startswith(COMPUTED_ONLY)
    indicator.refresh_from_db()
    assert indicator.method == Indicator.Method.MANUAL


# --- manual values --------------------------------------------------------------------------


def _add_value(client, indicator, year, value="5"):
    url = reverse("admin:reports_indicatorvalue_add")
    changes = {
        "indicator": indicator.pk,
        "year": year,
        "value": value,
        "author": client.superuser.pk,
    }
    return _post(client, url, **changes)


def test_admin_refuses_a_value_outside_the_period(admin_client):
    indicator = Indicator.objects.get(period=_seeded(), code="DOIT_STAFF")

    response = _add_value(admin_client, indicator, 2035)

    assert _errors(response) == {
        "year": ["Năm 2035 không thuộc giai đoạn 2016–2020 của chỉ tiêu DOIT_STAFF."]
    }
    assert not IndicatorValue.objects.filter(year=2035).exists()


def test_admin_refuses_a_value_of_a_year_still_to_come(admin_client):
    this_year = timezone.localdate().year
    period = PlanPeriod.objects.create(
        code="NOW", name="Kế hoạch", start_year=this_year - 1, end_year=this_year + 3
    )
    indicator = period.indicators.create(
        code="DOIT_STAFF", name_vi="Cán bộ", unit="người", method="manual"
    )

    response = _add_value(admin_client, indicator, this_year + 2)

    assert _errors(response) == {"year": [f"Năm {this_year + 2} {FUTURE}"]}
    assert not indicator.values.exists()
    assert _add_value(admin_client, indicator, this_year).status_code == 302
    assert list(indicator.values.values_list("year", flat=True)) == [this_year]


def test_admin_adds_a_value_of_a_past_year_of_the_period(admin_client):
    indicator = Indicator.objects.get(period=_seeded(), code="DOIT_STAFF")
    IndicatorValue.objects.filter(indicator=indicator, year=2018).delete()

    response = _add_value(admin_client, indicator, 2018, value="7")

    assert response.status_code == 302
    assert IndicatorValue.objects.get(indicator=indicator, year=2018).value == 7


def test_admin_value_without_an_indicator_is_refused_in_words(admin_client):
    url = reverse("admin:reports_indicatorvalue_add")
    response = _post(admin_client, url, year=2018, value="7", author=admin_client.superuser.pk)

    assert list(_errors(response)) == ["indicator"]
