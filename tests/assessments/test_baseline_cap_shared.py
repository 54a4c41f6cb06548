"""The savings cap seen from the baseline holds over all the facility's assessments that take the
same baseline year, not over each alone: the annual physical results add up the pursued options
of all of them (two assessments of one facility, baseline 2018, saved 76.000 kWh together against
the 62.366 kWh it used). Every path holds it: the option forms and services, the assessment's
baseline-year change, the annual report's approval and the import."""

import io
import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, transaction
from django.urls import reverse

from assessments.importing import plan_file
from assessments.models import Assessment, Option
from assessments.models.savings_cap import lock_cap_group

from ..factories import AnnualReportFactory, AssessmentFactory, OptionFactory
from .import_helpers import csv_bytes, report_row
from .test_option_bounds import _form
from .test_option_savings_race import race  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

USED_KWH = 62_366


def shared_error(total, others=1) -> str:
    return (
        "Tổng tiết kiệm điện (kWh/năm) của các giải pháp trong đánh giá này và "
        f"{others} đánh giá khác của cơ sở cùng năm cơ sở 2018 là {total}, vượt quá lượng cơ sở "
        "đã dùng trong năm cơ sở 2018 (62.366 theo báo cáo năm đã duyệt)."
    )


@pytest.fixture
def first(facility):
    """An approved assessment with baseline year 2018 (the facility used 62.366 kWh that year)
    whose option saves 40.000 kWh a year."""
    AnnualReportFactory(facility=facility, year=2018, electricity_kwh=USED_KWH)
    first = AssessmentFactory(
        facility=facility, baseline_year=2018, start_date=date(2019, 3, 1), kind="detailed"
    )
    OptionFactory(assessment=first, electricity_saving_kwh=40_000, implementation_year=2019)
    return first


@pytest.fixture
def second(facility, first):
    """A draft assessment of the same facility with the same baseline year."""
    return AssessmentFactory(
        facility=facility, state="draft", baseline_year=2018, start_date=date(2020, 4, 2)
    )


def _create(client, assessment, kwh):
    url = reverse("assessments:option_create", args=[assessment.pk])
    return client.post(url, _form(implementation_year="2020", electricity_saving_kwh=kwh))


# --- the option forms ---------------------------------------------------------------------


def test_an_option_taking_the_shared_total_past_the_use_is_refused(client, facility_user, second):
    client.force_login(facility_user)
    response = _create(client, second, "36.000")
    assert response.status_code == 200
    assert response.context["form"].errors["electricity_saving_kwh"] == [shared_error("76.000")]
    assert not second.options.exists()


def test_an_option_within_the_shared_total_is_stored(client, facility_user, second):
    client.force_login(facility_user)
    assert _create(client, second, "22.366").status_code == 302  # 40.000 + 22.366: all of it
    assert second.options.get().electricity_saving_kwh == 22_366


def test_an_edit_taking_the_shared_total_past_the_use_is_refused(client, facility_user, second):
    option = OptionFactory(
        assessment=second, electricity_saving_kwh=20_000, implementation_year=2020
    )
    client.force_login(facility_user)
    url = reverse("assessments:option_edit", args=[option.pk])
    data = _form(
        implementation_year="2020", electricity_saving_kwh="36000", version=str(option.version)
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["electricity_saving_kwh"] == [shared_error("76.000")]
    option.refresh_from_db()
    assert option.electricity_saving_kwh == 20_000


@pytest.mark.parametrize("change", ["other_year", "dropped", "rejected"])
def test_other_years_and_options_not_pursued_do_not_count(
    client, facility_user, first, second, change
):
    if change == "other_year":
        # The same-year cap no longer holds them together; the facility's (savings_cap: all its
        # assessments under an approved baseline, up to the largest of those figures) still
        # does, and 40.000 + 36.000 is within 2017's 76.000.
        AnnualReportFactory(facility=first.facility, year=2017, electricity_kwh=76_000)
        Assessment.objects.filter(pk=first.pk).update(baseline_year=2017)
    else:
        fields = {
            "dropped": {"status": "dropped"},
            "rejected": {"screening": "reject", "status": "planned"},
        }[change]
        Option.objects.filter(assessment=first).update(**fields)
    client.force_login(facility_user)
    assert _create(client, second, "36.000").status_code == 302


def test_the_service_checks_again_with_the_siblings_locked(
    client,
    facility_user,
    facility,
    race,  # noqa: F811 (the fixture imported above)
):
    # The option of the other assessment is stored after the form was checked: the service's
    # check, with the facility's assessments of that baseline year locked, refuses it.
    AnnualReportFactory(facility=facility, year=2018, electricity_kwh=USED_KWH)
    first = AssessmentFactory(facility=facility, baseline_year=2018, kind="detailed")
    second = AssessmentFactory(facility=facility, state="draft", baseline_year=2018)
    race.meanwhile = lambda: OptionFactory(
        assessment=first, electricity_saving_kwh=40_000, implementation_year=2019
    )
    client.force_login(facility_user)
    response = _create(client, second, "36.000")
    assert response.status_code == 200
    assert response.context["form"].errors["electricity_saving_kwh"] == [shared_error("76.000")]
    assert not second.options.exists()


# --- the assessment's baseline year --------------------------------------------------------


def test_moving_to_a_baseline_year_shared_past_the_use_is_refused(facility, first):
    other = AssessmentFactory(facility=facility, state="draft", baseline_year=2017)
    OptionFactory(assessment=other, electricity_saving_kwh=36_000, implementation_year=2019)
    other.baseline_year = 2018
    with pytest.raises(ValidationError) as caught:
        other.full_clean()
    assert caught.value.message_dict["baseline_year"] == [
        shared_error("76.000"),
        "Hãy sửa hoặc bỏ bớt các giải pháp trước khi thay đổi.",
    ]
    assert Assessment.objects.get(pk=other.pk).baseline_year == 2017


# --- the annual report: approval and import -------------------------------------------------


def _report_error(report_kwh, first, second) -> str:
    return (
        f"Điện (kWh) năm 2018 là {report_kwh}, thấp hơn tổng tiết kiệm hằng năm (76.000) của các "
        "giải pháp trong 2 đánh giá lấy năm này làm năm cơ sở: "
        f"“{first}” (bắt đầu 01/03/2019), “{second}” (bắt đầu 02/04/2020). "
        "Hãy sửa hoặc bỏ bớt các giải pháp của các đánh giá đó trước."
    )


@pytest.fixture
def two_within_each(facility):
    """Two assessments with baseline year 2018 saving 40.000 and 36.000 kWh: each within the
    62.366 kWh of the 2018 report, not together."""
    first = AssessmentFactory(
        facility=facility, baseline_year=2018, start_date=date(2019, 3, 1), kind="detailed"
    )
    second = AssessmentFactory(
        facility=facility, state="draft", baseline_year=2018, start_date=date(2020, 4, 2)
    )
    OptionFactory(assessment=first, electricity_saving_kwh=40_000, implementation_year=2019)
    OptionFactory(assessment=second, electricity_saving_kwh=36_000, implementation_year=2020)
    return first, second


def test_approving_a_report_below_the_shared_savings_is_refused(facility, two_within_each):
    report = AnnualReportFactory.build(
        facility=facility, year=2018, state="approved", electricity_kwh=USED_KWH
    )
    with pytest.raises(ValidationError) as caught:
        report.full_clean()
    assert caught.value.message_dict["electricity_kwh"] == [
        _report_error("62.366", *two_within_each)
    ]


def test_approving_a_report_that_covers_the_shared_savings_works(facility, two_within_each):
    report = AnnualReportFactory.build(
        facility=facility, year=2018, state="approved", electricity_kwh=76_000
    )
    report.full_clean()


def test_the_import_refuses_a_row_below_the_shared_savings(facility, two_within_each):
    rows = [report_row(facility, year=2018, electricity_kwh=str(USED_KWH))]
    plan = plan_file(io.BytesIO(csv_bytes(rows)), "bao-cao.csv")
    assert [(p.row, p.column, p.message) for p in plan.problems] == [
        (2, "electricity_kwh", _report_error("62.366", *two_within_each))
    ]


def test_the_review_approval_refuses_a_report_below_the_shared_savings(
    client, staff, facility, two_within_each
):
    report = AnnualReportFactory(
        facility=facility, year=2018, state="submitted", electricity_kwh=USED_KWH
    )
    client.force_login(staff)
    url = reverse("assessments:report_approve", args=[report.pk])
    response = client.post(url, {"confirm": "1", "text": ""}, follow=True)
    assert _report_error("62.366", *two_within_each) in response.text
    report.refresh_from_db()
    assert report.state == "submitted"


# --- the lock ----------------------------------------------------------------------------------


def _locked_elsewhere(pk) -> bool:
    """Whether another connection finds the row of assessment `pk` locked."""
    outcome = []

    def look():
        try:
            with transaction.atomic():
                Assessment.objects.select_for_update(nowait=True).filter(pk=pk).exists()
            outcome.append(False)
        except OperationalError:
            outcome.append(True)
        finally:
            connection.close()

    thread = threading.Thread(target=look)
    thread.start()
    thread.join(30)
    return outcome == [True]


@pytest.mark.django_db(transaction=True)
def test_an_option_write_locks_the_assessments_sharing_its_cap(facility, other_facility):
    first, second = (
        AssessmentFactory(facility=facility, baseline_year=2018),
        AssessmentFactory(facility=facility, state="draft", baseline_year=2018),
    )
    other_year = AssessmentFactory(facility=facility, baseline_year=2017)
    elsewhere = AssessmentFactory(facility=other_facility, baseline_year=2018)
    with transaction.atomic():
        assert lock_cap_group(second.pk).pk == second.pk
        assert _locked_elsewhere(first.pk)
        assert _locked_elsewhere(second.pk)
        assert _locked_elsewhere(other_year.pk)
        assert not _locked_elsewhere(elsewhere.pk)
    assert not _locked_elsewhere(first.pk)
