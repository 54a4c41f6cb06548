"""The options of one assessment together cannot save more of a quantity a year than the facility
used in the assessment's baseline year (Option.clean, through the option forms): each option
within the cap alone is not enough, or the annual physical results claim more than the facility
consumed."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Option
from reports.files.activities import physical_results

from ..factories import AnnualReportFactory, AssessmentFactory, OptionFactory
from .test_option_bounds import _form

pytestmark = pytest.mark.django_db

USED_KWH = 3_657_014
NINE_TENTHS = Decimal("3291312.6")  # 0.9 × 3.657.014


@pytest.fixture
def assessment(facility):
    """A draft assessment with baseline year 2018; the facility used 3.657.014 kWh that year."""
    AnnualReportFactory(facility=facility, year=2018, electricity_kwh=USED_KWH, coal_t=100)
    return AssessmentFactory(facility=facility, state="draft", baseline_year=2018)


def _create(client, assessment, **changes):
    url = reverse("assessments:option_create", args=[assessment.pk])
    return client.post(url, _form(implementation_year="2019", **changes))


def _edit(client, option, **changes):
    url = reverse("assessments:option_edit", args=[option.pk])
    data = _form(implementation_year="2019", version=str(option.version), **changes)
    return client.post(url, data)


def _option(assessment, kwh, **fields):
    fields.setdefault("implementation_year", 2019)
    return OptionFactory(assessment=assessment, electricity_saving_kwh=kwh, **fields)


def test_a_second_option_taking_the_total_past_the_baseline_use_is_refused(
    client, facility_user, assessment
):
    _option(assessment, NINE_TENTHS)
    client.force_login(facility_user)
    response = _create(client, assessment, electricity_saving_kwh="3.291.312,6")
    assert response.status_code == 200
    assert response.context["form"].errors["electricity_saving_kwh"] == [
        "Tổng tiết kiệm điện (kWh/năm) của các giải pháp trong đánh giá này là 6.582.625,2, "
        "vượt quá lượng cơ sở đã dùng trong năm cơ sở 2018 "
        "(3.657.014 theo báo cáo năm đã duyệt)."
    ]
    assert Option.objects.count() == 1
    # What the annual document would have claimed had it been stored: at most all of it.
    assessment.state = "approved"
    assessment.save()
    assert physical_results(2019).electricity_kwh <= USED_KWH


def test_a_second_option_within_the_baseline_use_is_stored(client, facility_user, assessment):
    _option(assessment, NINE_TENTHS)
    client.force_login(facility_user)
    # 3.291.312,6 + 365.701,4 = 3.657.014: all of it, allowed.
    response = _create(client, assessment, electricity_saving_kwh="365.701,4")
    assert response.status_code == 302
    assert Option.objects.count() == 2


def test_other_quantities_are_summed_too(client, facility_user, assessment):
    _option(assessment, None, coal_saving_t=Decimal(60))
    client.force_login(facility_user)
    response = _create(client, assessment, electricity_saving_kwh="", coal_saving_t="50")
    assert response.context["form"].errors["coal_saving_t"] == [
        "Tổng tiết kiệm than (tấn/năm) của các giải pháp trong đánh giá này là 110, "
        "vượt quá lượng cơ sở đã dùng trong năm cơ sở 2018 (100 theo báo cáo năm đã duyệt)."
    ]
    assert Option.objects.count() == 1


def test_editing_an_option_does_not_count_its_old_value_twice(client, facility_user, assessment):
    first = _option(assessment, NINE_TENTHS, status="planned")
    _option(assessment, Decimal("365701.4"))  # together: exactly the baseline use
    client.force_login(facility_user)
    response = _edit(
        client, first, description="Lắp biến tần", electricity_saving_kwh="3.291.312,6"
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.description == "Lắp biến tần"
    # One kWh more is past the cap.
    response = _edit(client, first, electricity_saving_kwh="3.291.313,6")
    assert response.status_code == 200
    assert "electricity_saving_kwh" in response.context["form"].errors
    first.refresh_from_db()
    assert first.electricity_saving_kwh == NINE_TENTHS


@pytest.mark.parametrize(
    "fields", [{"status": "dropped"}, {"screening": "reject", "status": "planned"}]
)
def test_options_not_carried_out_do_not_count(client, facility_user, assessment, fields):
    _option(assessment, NINE_TENTHS, **fields)
    client.force_login(facility_user)
    response = _create(client, assessment, electricity_saving_kwh="3.291.312,6")
    assert response.status_code == 302
    assert Option.objects.count() == 2


def test_an_option_not_carried_out_is_not_held_to_the_total(client, facility_user, assessment):
    _option(assessment, NINE_TENTHS)
    client.force_login(facility_user)
    response = _create(client, assessment, status="dropped", electricity_saving_kwh="3.291.312,6")
    assert response.status_code == 302
    assert Option.objects.count() == 2


def test_options_of_another_assessment_of_the_same_baseline_year_count(
    client, facility_user, facility, assessment
):
    # The annual physical results add up all of them (test_baseline_cap_shared.py).
    other = AssessmentFactory(facility=facility, state="approved", baseline_year=2018)
    _option(other, NINE_TENTHS)
    client.force_login(facility_user)
    response = _create(client, assessment, electricity_saving_kwh="3.291.312,6")
    assert response.status_code == 200
    assert "electricity_saving_kwh" in response.context["form"].errors
    assert Option.objects.count() == 1


def test_options_of_another_baseline_year_do_not_count(client, facility_user, facility, assessment):
    other = AssessmentFactory(facility=facility, state="approved", baseline_year=2017)
    _option(other, NINE_TENTHS)
    client.force_login(facility_user)
    assert _create(client, assessment, electricity_saving_kwh="3.291.312,6").status_code == 302


def test_without_an_approved_baseline_report_there_is_no_total_cap(client, facility_user, facility):
    assessment = AssessmentFactory(facility=facility, state="draft", baseline_year=2017)
    _option(assessment, NINE_TENTHS)
    client.force_login(facility_user)
    assert _create(client, assessment, electricity_saving_kwh="3.291.312,6").status_code == 302
