"""The savings cap seen from the baseline, for a quantity the baseline report does not give: when
the facility's approved annual report of the assessment's baseline year exists, an empty (or 0)
figure means the facility used none of it that year, so no option can save any of it (a facility
without coal claiming 5.000 t of coal saved inflated the national TOE table 57 times). Without
an approved baseline report there is still no cap on the options: the report is held to the
options when it is approved."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.models import Option

from ..factories import AnnualReportFactory, AssessmentFactory, OptionFactory
from .test_option_bounds import _form

pytestmark = pytest.mark.django_db


def no_use_error(year=2018) -> str:
    return (
        "Tiết kiệm than (tấn/năm) phải để trống hoặc bằng 0: báo cáo năm "
        f"{year} đã duyệt của cơ sở (năm cơ sở của đánh giá) không ghi lượng than (tấn) đã "
        f"dùng. Nếu cơ sở có dùng, hãy sửa báo cáo năm {year} trước (cán bộ Sở mở lại báo cáo "
        "đã duyệt), rồi mới nhập giải pháp."
    )


@pytest.fixture
def assessment(facility):
    """A draft assessment with baseline year 2018, no start date."""
    return AssessmentFactory(facility=facility, state="draft", baseline_year=2018)


def _create(client, assessment, **changes):
    url = reverse("assessments:option_create", args=[assessment.pk])
    return client.post(url, _form(implementation_year="2019", **changes))


@pytest.mark.parametrize("coal", [None, 0])
def test_a_saving_of_a_quantity_the_baseline_report_lacks_is_refused(
    client, facility_user, facility, assessment, coal
):
    AnnualReportFactory(facility=facility, year=2018, electricity_kwh=62_366, coal_t=coal)
    client.force_login(facility_user)
    response = _create(client, assessment, electricity_saving_kwh="", coal_saving_t="5000")
    assert response.status_code == 200
    assert response.context["form"].errors["coal_saving_t"] == [no_use_error()]
    assert not Option.objects.exists()


def test_an_edit_adding_such_a_saving_is_refused(client, facility_user, facility, assessment):
    AnnualReportFactory(facility=facility, year=2018, electricity_kwh=62_366, coal_t=None)
    option = OptionFactory(
        assessment=assessment, electricity_saving_kwh=10_000, implementation_year=2019
    )
    client.force_login(facility_user)
    url = reverse("assessments:option_edit", args=[option.pk])
    data = _form(
        implementation_year="2019",
        electricity_saving_kwh="10000",
        coal_saving_t="5000",
        version=str(option.version),
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["coal_saving_t"] == [no_use_error()]
    option.refresh_from_db()
    assert option.coal_saving_t is None


def test_savings_the_baseline_report_gives_are_accepted(
    client, facility_user, facility, assessment
):
    AnnualReportFactory(facility=facility, year=2018, electricity_kwh=62_366, coal_t=None)
    client.force_login(facility_user)
    response = _create(client, assessment, electricity_saving_kwh="62.366", coal_saving_t="")
    assert response.status_code == 302
    assert Option.objects.get().electricity_saving_kwh == 62_366


@pytest.mark.parametrize("state", [None, "submitted"])
def test_without_an_approved_baseline_report_the_options_are_not_capped(
    client, facility_user, facility, assessment, state
):
    # As before: the report is held to the options when it is approved (test below).
    if state:
        AnnualReportFactory(facility=facility, year=2018, state=state, coal_t=None)
    client.force_login(facility_user)
    assert _create(client, assessment, coal_saving_t="5000").status_code == 302
    assert Option.objects.get().coal_saving_t == 5000


def test_approving_a_baseline_report_without_the_saved_quantity_is_refused(facility, assessment):
    OptionFactory(assessment=assessment, coal_saving_t=Decimal(5000), implementation_year=2019)
    report = AnnualReportFactory.build(facility=facility, year=2018, state="approved", coal_t=None)
    with pytest.raises(ValidationError) as caught:
        report.full_clean()
    assert caught.value.message_dict["coal_t"] == [
        "Than (tấn) năm 2018 là 0, thấp hơn tổng tiết kiệm hằng năm (5.000) của các giải pháp "
        f"trong đánh giá “{assessment}” lấy năm này làm năm cơ sở. Hãy sửa hoặc bỏ bớt các giải "
        "pháp của đánh giá đó trước."
    ]


def test_a_baseline_year_whose_report_lacks_the_quantity_is_refused(facility, assessment):
    OptionFactory(assessment=assessment, coal_saving_t=Decimal(40), implementation_year=2019)
    AnnualReportFactory(facility=facility, year=2017, coal_t=None)
    assessment.baseline_year = 2017
    with pytest.raises(ValidationError) as caught:
        assessment.full_clean()
    assert caught.value.message_dict["baseline_year"][0] == (
        "Tổng tiết kiệm than (tấn/năm) của các giải pháp trong đánh giá này là 40, vượt quá "
        "lượng cơ sở đã dùng trong năm cơ sở 2017 (0 theo báo cáo năm đã duyệt)."
    )
