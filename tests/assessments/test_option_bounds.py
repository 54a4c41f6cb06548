"""An option's implementation year lies within its facility's operating years, and its savings
within what one option can save (Option.clean through the option forms); the physical results of
a year count only the options of facilities operating in it (data stored before the check)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Option
from facilities.models import Facility
from reports.files.activities import physical_results

from ..factories import AnnualReportFactory, AssessmentFactory, OptionFactory

pytestmark = pytest.mark.django_db


def _form(**changes) -> dict:
    data = {
        "category": "3",
        "description": "Lắp biến tần cho quạt hút lò hơi",
        "screening": "implement",
        "status": "done",
        "implementation_year": "2018",
        "investment_vnd": "150000000",
        "annual_saving_vnd": "90000000",
        "electricity_saving_kwh": "120000",
    }
    data.update(changes)
    return data


def _create(client, assessment, **changes):
    url = reverse("assessments:option_create", args=[assessment.pk])
    return client.post(url, _form(**changes))


def _close(facility, year):
    Facility.objects.filter(pk=facility.pk).update(status="closed", closed_year=year)


def test_an_option_within_the_operating_years_is_stored(client, facility_user, draft):
    client.force_login(facility_user)
    response = _create(client, draft)
    assert response.status_code == 302
    assert Option.objects.get().implementation_year == 2018


def test_an_option_done_after_the_facility_closed_is_refused(
    client, facility_user, facility, draft
):
    _close(facility, 2017)
    client.force_login(facility_user)
    response = _create(client, draft, implementation_year="2018")
    assert response.status_code == 200
    errors = response.context["form"].errors["implementation_year"]
    assert errors == [
        "Năm thực hiện 2018 nằm ngoài thời gian hoạt động của cơ sở (cơ sở đã đóng cửa năm 2017)."
    ]
    assert not Option.objects.exists()
    # The year it closed still counts (Facility.objects.operating_in).
    assert _create(client, draft, implementation_year="2017").status_code == 302


def test_an_option_before_the_facility_was_established_is_refused(
    client, facility_user, facility, draft
):
    Facility.objects.filter(pk=facility.pk).update(established_year=2019)
    client.force_login(facility_user)
    response = _create(client, draft, implementation_year="2018")
    assert response.context["form"].errors["implementation_year"] == [
        "Năm thực hiện 2018 nằm ngoài thời gian hoạt động của cơ sở (cơ sở thành lập năm 2019)."
    ]
    assert not Option.objects.exists()


def test_editing_an_option_into_a_closed_year_is_refused(client, facility_user, facility, option):
    _close(facility, 2017)
    client.force_login(facility_user)
    url = reverse("assessments:option_edit", args=[option.pk])
    data = _form(implementation_year="2019", version=str(option.version))
    response = client.post(url, data)
    assert "implementation_year" in response.context["form"].errors
    option.refresh_from_db()
    assert option.status == "planned"


@pytest.mark.parametrize(
    "field, value, message",
    [
        (
            "electricity_saving_kwh",
            "999999999999",
            "Tiết kiệm điện (kWh/năm) không được vượt quá 10.000.000.000.",
        ),
        (
            "annual_saving_vnd",
            "1000000000000000",
            "Tiết kiệm hằng năm (đồng) không được vượt quá 10.000.000.000.000.",
        ),
        (
            "investment_vnd",
            "1000000000000000",
            "Vốn đầu tư (đồng) không được vượt quá 100.000.000.000.000.",
        ),
        (
            "water_saving_m3",
            "5000000000",
            "Tiết kiệm nước (m³/năm) không được vượt quá 1.000.000.000.",
        ),
    ],
)
def test_an_absurd_saving_is_refused_naming_the_field(
    client, facility_user, draft, field, value, message
):
    client.force_login(facility_user)
    response = _create(client, draft, **{field: value})
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not Option.objects.exists()


def test_a_saving_above_the_baseline_years_use_is_refused(client, facility_user, facility, draft):
    # The assessment's baseline year is 2016; the facility reported 500.000 kWh and 80 t of coal.
    AnnualReportFactory(facility=facility, year=2016, electricity_kwh=500_000, coal_t=80)
    client.force_login(facility_user)
    response = _create(client, draft, electricity_saving_kwh="600000", coal_saving_t="80")
    assert response.context["form"].errors["electricity_saving_kwh"] == [
        "Tiết kiệm điện (kWh/năm) không được vượt quá lượng cơ sở đã dùng trong năm cơ sở 2016 "
        "(500.000 theo báo cáo năm đã duyệt)."
    ]
    assert "coal_saving_t" not in response.context["form"].errors  # all of it: allowed
    assert not Option.objects.exists()
    assert _create(client, draft, electricity_saving_kwh="500000").status_code == 302


def test_a_draft_baseline_report_sets_no_bound(client, facility_user, facility, draft):
    AnnualReportFactory(facility=facility, year=2016, electricity_kwh=500_000, state="draft")
    client.force_login(facility_user)
    assert _create(client, draft, electricity_saving_kwh="600000").status_code == 302


def test_physical_results_leave_out_options_of_facilities_not_operating(facility, other_facility):
    """Options stored before Option.clean checked the year (the factory skips clean)."""
    counted = AssessmentFactory(facility=facility)
    OptionFactory(assessment=counted, implementation_year=2018, electricity_saving_kwh=1000)
    closed = AssessmentFactory(facility=other_facility)
    OptionFactory(assessment=closed, implementation_year=2018, electricity_saving_kwh=10**12)
    not_yet = AssessmentFactory(facility__established_year=2019)
    OptionFactory(assessment=not_yet, implementation_year=2018, electricity_saving_kwh=5000)
    _close(other_facility, 2017)

    results = physical_results(2018)

    assert (results.options, results.facilities) == (1, 1)
    assert results.electricity_kwh == Decimal(1000)
    assert results.saving_vnd == 60_000_000


@pytest.mark.parametrize("typed", ["-2.000.000.000", "-9.000.000.000.000.000.000"])
def test_a_negative_annual_saving_is_refused(client, facility_user, draft, typed):
    """A saving is never below 0: a stray minus sign would lower the province's money saved
    (the documents' "Lợi ích tiết kiệm", the Ministry's table) and blank the payback."""
    client.force_login(facility_user)
    response = _create(client, draft, annual_saving_vnd=typed)
    assert response.status_code == 200
    assert response.context["form"].errors["annual_saving_vnd"] == ["Phải là số ≥ 0."]
    assert not Option.objects.exists()
