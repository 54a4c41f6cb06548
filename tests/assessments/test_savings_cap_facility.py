"""The savings cap over all a facility's assessments (savings_cap.facility_saving_errors,
facility_use_errors): the pursued options of every assessment of a facility whose baseline year
has an approved annual report cannot together save more of a quantity a year than the largest
figure of it among those reports. Reproduced: approved reports 2017, 2018 and 2019 (1.306.677,
1.326.936, 1.482.555 kWh), an assessment with baseline 2017 saving 90 % of 2017's electricity,
another with baseline 2018 saving 90 % of 2018's, both done in 2019: each within its own baseline
year, the 2019 report counted 2.370.251 kWh saved, 160 % of what the facility used. Every path
holds it: the option services and forms, the report's approval and the import."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from assessments.assessment_services import (
    assessment_approve_by_save,
    assessment_save,
    option_add,
)
from assessments.importing import apply_import, plan_file
from assessments.models import AnnualReport, Assessment, Option
from assessments.models.savings_cap import lock_cap_group

from ..factories import AnnualReportFactory, AssessmentFactory, OptionFactory
from .import_helpers import csv_bytes, report_row
from .test_baseline_cap_shared import _locked_elsewhere
from .test_option_bounds import _form

pytestmark = pytest.mark.django_db

USED = {2017: 1_306_677, 2018: 1_326_936, 2019: 1_482_555}
SAVED_A, SAVED_B = 1_176_009, 1_194_242  # 90 % of the 2017 and of the 2018 use


def option_error(total, years="2017, 2018", used="1.326.936", year=2018, count=2) -> str:
    return (
        f"Tổng tiết kiệm điện (kWh/năm) của các giải pháp trong {count} đánh giá của cơ sở "
        f"(năm cơ sở {years}) là {total}, vượt quá lượng lớn nhất cơ sở đã dùng trong các năm "
        f"cơ sở của các đánh giá ({used} năm {year} theo báo cáo năm đã duyệt)."
    )


def report_error(field_year, used, largest, largest_year, total, years="2017, 2018") -> str:
    return (
        f"Điện (kWh) năm {field_year} là {used}: khi đó lượng lớn nhất cơ sở đã dùng trong các "
        f"năm cơ sở của các đánh giá là {largest} (năm {largest_year}), thấp hơn tổng tiết kiệm "
        f"hằng năm ({total}) của các giải pháp trong 2 đánh giá của cơ sở (năm cơ sở {years}). "
        "Hãy sửa hoặc bỏ bớt các giải pháp của các đánh giá đó trước."
    )


@pytest.fixture
def reports(facility):
    return {
        year: AnnualReportFactory(facility=facility, year=year, electricity_kwh=kwh)
        for year, kwh in USED.items()
    }


def _new_assessment(facility, staff, baseline_year) -> Assessment:
    """A draft staff enter and keep (assessment_save, keep_draft) to add its options."""
    assessment = Assessment(
        facility=facility,
        kind="detailed",
        baseline_year=baseline_year,
        start_date=date(baseline_year + 1, 2, 1),
        total_cost_vnd=0,
        supported_amount_vnd=0,
    )
    assessment.full_clean()
    return assessment_save(assessment=assessment, by=staff, keep_draft=True)


def _add(assessment, staff, kwh, year=2019) -> Option:
    option = Option(
        assessment=assessment,
        category=3,
        description="Lắp biến tần cho quạt hút lò hơi",
        screening="implement",
        status="done",
        implementation_year=year,
        investment_vnd=150_000_000,
        annual_saving_vnd=90_000_000,
        electricity_saving_kwh=kwh,
    )
    return option_add(option=option, by=staff)


def _approved_with_option(facility, staff, baseline_year, kwh, year=2019) -> Assessment:
    assessment = _new_assessment(facility, staff, baseline_year)
    _add(assessment, staff, kwh, year)
    return assessment_approve_by_save(assessment=assessment, by=staff)


# --- the option side ----------------------------------------------------------------------------


def test_the_reproduction_through_the_services_is_refused(facility, staff, reports):
    first = _approved_with_option(facility, staff, 2017, SAVED_A)
    assert first.state == "approved"
    second = _new_assessment(facility, staff, 2018)
    with pytest.raises(ValidationError) as caught:
        _add(second, staff, SAVED_B)
    assert caught.value.message_dict["electricity_saving_kwh"] == [option_error("2.370.251")]
    assert not second.options.exists()


def test_the_staff_option_form_says_so_on_the_field(client, facility, staff, reports):
    _approved_with_option(facility, staff, 2017, SAVED_A)
    second = _new_assessment(facility, staff, 2018)
    client.force_login(staff)
    url = reverse("assessments:option_create", args=[second.pk])
    response = client.post(url, _form(implementation_year="2019", electricity_saving_kwh="1194242"))
    assert response.status_code == 200
    errors = response.context["form"].errors["electricity_saving_kwh"]
    assert errors == [option_error("2.370.251")]
    assert not second.options.exists()


def test_the_same_year_rule_gives_the_only_error_of_its_field(facility, staff, reports):
    # 2017 alone past its own use: the same-year message, not a second one.
    _approved_with_option(facility, staff, 2018, 1_000_000)
    second = _new_assessment(facility, staff, 2017)
    with pytest.raises(ValidationError) as caught:
        _add(second, staff, 1_306_678)
    assert caught.value.message_dict["electricity_saving_kwh"] == [
        "Tiết kiệm điện (kWh/năm) không được vượt quá lượng cơ sở đã dùng trong năm cơ sở 2017 "
        "(1.306.677 theo báo cáo năm đã duyệt)."
    ]


def test_sequential_savings_within_the_largest_baseline_are_accepted(facility, staff, reports):
    _approved_with_option(facility, staff, 2017, 600_000)
    second = _approved_with_option(facility, staff, 2018, 700_000)
    assert second.state == "approved"
    assert Option.objects.filter(assessment__facility=facility).count() == 2


def test_a_facility_that_grew_is_accepted(facility, staff):
    AnnualReportFactory(facility=facility, year=2017, electricity_kwh=100)
    AnnualReportFactory(facility=facility, year=2022, electricity_kwh=1000)
    _approved_with_option(facility, staff, 2017, 60, year=2018)
    grown = _approved_with_option(facility, staff, 2022, 900, year=2023)
    assert grown.state == "approved"


def test_an_assessment_without_an_approved_baseline_is_not_in_the_group(facility, staff, reports):
    _approved_with_option(facility, staff, 2017, SAVED_A)
    draft = AssessmentFactory(facility=facility, state="draft", baseline_year=2016)
    OptionFactory(assessment=draft, electricity_saving_kwh=1_000_000, implementation_year=2019)
    second = _new_assessment(facility, staff, 2018)
    _add(second, staff, 150_000)  # 1.176.009 + 150.000 within 2018's 1.326.936


# --- the report side ----------------------------------------------------------------------------


@pytest.fixture
def within_largest(facility, reports):
    """Baseline 2017 saving 1.000.000 kWh, baseline 2018 320.000: 1.320.000 together, within
    2018's 1.326.936 (the largest of the two baseline years), each within its own year."""
    first = AssessmentFactory(facility=facility, baseline_year=2017, start_date=date(2018, 1, 5))
    second = AssessmentFactory(facility=facility, baseline_year=2018, start_date=date(2019, 1, 5))
    OptionFactory(assessment=first, electricity_saving_kwh=1_000_000, implementation_year=2019)
    OptionFactory(assessment=second, electricity_saving_kwh=320_000, implementation_year=2019)
    return first, second


def test_an_approved_report_lowering_the_largest_baseline_is_refused(facility, within_largest):
    report = AnnualReport.objects.get(facility=facility, year=2018)
    report.electricity_kwh = 1_300_000
    with pytest.raises(ValidationError) as caught:
        report.full_clean()
    assert caught.value.message_dict["electricity_kwh"] == [
        report_error(2018, "1.300.000", "1.306.677", 2017, "1.320.000")
    ]
    report.electricity_kwh = 1_320_000  # the largest still covers them
    report.full_clean()


def test_the_review_approval_refuses_a_report_lowering_the_largest(
    client, staff, facility, within_largest
):
    report = AnnualReport.objects.get(facility=facility, year=2018)
    AnnualReport.objects.filter(pk=report.pk).update(state="submitted", electricity_kwh=1_300_000)
    client.force_login(staff)
    url = reverse("assessments:report_approve", args=[report.pk])
    response = client.post(url, {"confirm": "1", "text": ""}, follow=True)
    assert report_error(2018, "1.300.000", "1.306.677", 2017, "1.320.000") in response.text
    report.refresh_from_db()
    assert report.state == "submitted"


def test_a_report_of_a_year_no_assessment_takes_is_not_held(facility, within_largest):
    report = AnnualReport.objects.get(facility=facility, year=2019)
    report.electricity_kwh = 1000
    report.full_clean()


# --- the import --------------------------------------------------------------------------------


def _plan(rows):
    return plan_file(io.BytesIO(csv_bytes(rows)), "bao-cao.csv")


def test_an_import_lowering_the_largest_is_refused_on_that_row(facility, within_largest):
    plan = _plan([report_row(facility, year=2018, electricity_kwh="1300000")])
    assert [(p.row, p.column, p.message) for p in plan.problems] == [
        (2, "electricity_kwh", report_error(2018, "1.300.000", "1.306.677", 2017, "1.320.000"))
    ]


def test_an_import_writing_two_years_of_one_facility(staff, facility, within_largest):
    AnnualReport.objects.filter(facility=facility, year__in=(2017, 2018)).delete()
    # Both rows new: 1.306.677 is the largest, below the 1.320.000 the two assessments save.
    rows = [
        report_row(facility, year=2017, electricity_kwh="1306677"),
        report_row(facility, year=2018, electricity_kwh="1300000"),
    ]
    problems = [(p.row, p.column) for p in _plan(rows).problems]
    assert problems == [(2, "electricity_kwh"), (3, "electricity_kwh")]
    # The 2018 row covering them (the 2017 row alone does not): the file is imported.
    rows[1] = report_row(facility, year=2018, electricity_kwh="1326936")
    plan = _plan(rows)
    assert plan.problems == []
    apply_import(plan, user=staff)
    assert AnnualReport.objects.approved().filter(facility=facility).count() == 3


def test_an_import_counts_the_stored_reports_of_other_years(facility, within_largest):
    AnnualReport.objects.filter(facility=facility, year=2017).delete()
    # The stored 2018 report (1.326.936) covers the 1.320.000 with the file's 2017.
    assert _plan([report_row(facility, year=2017, electricity_kwh="1306677")]).problems == []


# --- the lock ----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_an_option_write_locks_all_the_facility_s_assessments(facility, other_facility):
    first = AssessmentFactory(facility=facility, baseline_year=2018)
    other_year = AssessmentFactory(facility=facility, baseline_year=2017)
    no_year = AssessmentFactory(facility=facility, state="draft", baseline_year=None)
    elsewhere = AssessmentFactory(facility=other_facility, baseline_year=2018)
    with transaction.atomic():
        assert lock_cap_group(first.pk).pk == first.pk
        assert all(_locked_elsewhere(a.pk) for a in (first, other_year, no_year))
        assert not _locked_elsewhere(elsewhere.pk)
    assert not _locked_elsewhere(other_year.pk)


# --- the ways round the cap a review found ------------------------------------------------------


def test_options_entered_while_the_baseline_was_reopened_block_the_approval(
    client, facility, staff, reports
):
    """The 2018 report reopened, an option entered under it (nothing caps a draft then), the
    report approved again unchanged (its figure did not fall: not checked again): the assessment
    is still not approved over the cap, so its savings never reach the year's figures."""
    _approved_with_option(facility, staff, 2017, SAVED_A)
    AnnualReport.objects.filter(facility=facility, year=2018).update(state="draft")
    second = _new_assessment(facility, staff, 2018)
    _add(second, staff, SAVED_B)
    AnnualReport.objects.filter(facility=facility, year=2018).update(state="approved")

    client.force_login(staff)
    url = reverse("assessments:assessment_approve_draft", args=[second.pk])
    page = client.post(url, {"confirm": "1"}, follow=True).text

    assert f"Chưa thể duyệt: {option_error('2.370.251')}" in page
    second.refresh_from_db()
    assert second.state == "draft"


def test_moving_an_assessment_without_options_off_the_largest_year_is_refused(
    facility, staff, reports
):
    """An assessment saving nothing still holds its baseline year's figure in the group: moved
    to a year of lower use, the others' savings would pass the new largest figure."""
    AnnualReportFactory(facility=facility, year=2016, electricity_kwh=900_000)
    _approved_with_option(facility, staff, 2017, 1_000_000)
    _approved_with_option(facility, staff, 2018, 320_000)
    empty = _new_assessment(facility, staff, 2019)  # 1.482.555: 1.320.000 fits
    empty.baseline_year = 2016  # 2018's 1.326.936 is then the largest: still fits
    assert empty.baseline_change_errors() == {}
    Option.objects.filter(assessment__baseline_year=2018).update(electricity_saving_kwh=400_000)
    errors = empty.baseline_change_errors()["baseline_year"]
    assert errors[0] == option_error("1.400.000", count=2)
    assert errors[-1] == "Hãy sửa hoặc bỏ bớt các giải pháp trước khi thay đổi."


@pytest.fixture
def held_by_an_empty_assessment(facility, staff, reports):
    """2017 saves 1.000.000 and 2018 400.000 (1.400.000): only 2019's 1.482.555, held by a draft
    assessment that saves nothing itself, covers them."""
    empty = AssessmentFactory(facility=facility, state="draft", baseline_year=2019)
    _approved_with_option(facility, staff, 2017, 1_000_000)
    _approved_with_option(facility, staff, 2018, 400_000)
    return empty


def test_the_admin_does_not_delete_the_assessment_holding_the_largest_figure(
    admin_client, facility, held_by_an_empty_assessment
):
    url = reverse("admin:assessments_assessment_delete", args=[held_by_an_empty_assessment.pk])
    page = admin_client.get(url).text
    assert "1.400.000" in page and "1.326.936 năm 2018" in page
    admin_client.post(url, {"post": "yes"})
    assert Assessment.objects.filter(pk=held_by_an_empty_assessment.pk).exists()


def test_the_admin_does_not_move_it_to_another_facility(
    admin_client, facility, other_facility, held_by_an_empty_assessment
):
    from .test_f2_approval_baseline import _admin_post

    empty = held_by_an_empty_assessment
    response = _admin_post(admin_client, empty, facility=str(other_facility.pk))
    assert response.status_code == 200
    assert option_error("1.400.000") in response.text
    empty.refresh_from_db()
    assert empty.facility_id == facility.pk


def test_an_assessment_the_cap_does_not_need_is_deleted(admin_client, facility, staff, reports):
    _approved_with_option(facility, staff, 2017, 1_000_000)
    spare = AssessmentFactory(facility=facility, state="draft", baseline_year=2019)
    url = reverse("admin:assessments_assessment_delete", args=[spare.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not Assessment.objects.filter(pk=spare.pk).exists()
