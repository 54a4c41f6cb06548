"""An option comes out of its assessment: its implementation year cannot come before the year
the assessment started, or a "done" option would raise APPLY_PCT and SAVING_PCT for years that
were already over when the assessment began (DESIGN §4). The option forms (web and admin) refuse
such a year on the implementation year, naming the start year; the assessment form refuses a
start date moved past the year of an option it already has."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import assessment_services as services
from assessments.models import Assessment, Option

from ..factories import AssessmentFactory, OptionFactory
from .test_admin_option_savings import _new_option
from .test_admin_option_savings import _post as admin_post
from .test_option_create import _form as option_form

pytestmark = pytest.mark.django_db

START = date(2019, 3, 19)


def _option_error(year) -> str:
    return (
        f"Năm thực hiện không được trước năm bắt đầu đánh giá ({year}): giải pháp được đề xuất "
        "trong đánh giá này."
    )


def _start_error(count, first, year) -> str:
    return (
        f"Đánh giá đã có {count} giải pháp có năm thực hiện trước năm {year} (sớm nhất: "
        f"{first}): năm thực hiện của giải pháp không được trước năm bắt đầu đánh giá. Hãy sửa "
        "năm thực hiện của các giải pháp đó trước khi đổi ngày bắt đầu."
    )


@pytest.fixture
def assessment(facility):
    """A draft assessment started on 19/03/2019, baseline year 2018 (the reviewer's repro)."""
    return AssessmentFactory(facility=facility, state="draft", start_date=START, baseline_year=2018)


# --- the option forms ---------------------------------------------------------------------


@pytest.mark.parametrize("status", ["done", "in_progress", "planned"])
def test_an_option_implemented_before_the_start_year_is_refused(client, staff, assessment, status):
    client.force_login(staff)
    url = reverse("assessments:option_create", args=[assessment.pk])
    response = client.post(url, option_form(status=status, implementation_year="2016"))
    assert response.status_code == 200
    assert response.context["form"].errors["implementation_year"] == [_option_error(2019)]
    assert not Option.objects.exists()


@pytest.mark.parametrize("year", ["2019", "2020"])
def test_an_option_of_the_start_year_or_later_is_stored(client, facility_user, assessment, year):
    client.force_login(facility_user)
    url = reverse("assessments:option_create", args=[assessment.pk])
    response = client.post(url, option_form(implementation_year=year))
    assert response.status_code == 302
    assert Option.objects.get().implementation_year == int(year)


def test_an_option_edit_moving_the_year_before_the_start_is_refused(
    client, facility_user, assessment
):
    option = OptionFactory(assessment=assessment, implementation_year=2019)
    client.force_login(facility_user)
    data = option_form(implementation_year="2018", version=str(option.version))
    response = client.post(reverse("assessments:option_edit", args=[option.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["implementation_year"] == [_option_error(2019)]
    option.refresh_from_db()
    assert option.implementation_year == 2019


def test_an_assessment_without_a_start_date_bounds_no_year(client, facility_user, facility):
    undated = AssessmentFactory(facility=facility, state="draft", start_date=None)
    client.force_login(facility_user)
    url = reverse("assessments:option_create", args=[undated.pk])
    assert client.post(url, option_form(implementation_year="2016")).status_code == 302


def test_the_admin_refuses_it_too(admin_client, assessment):
    early = {**_new_option(1000), "status": "done", "implementation_year": "2016"}
    response = admin_post(
        admin_client, assessment, new=[early], start_date="2019-03-19", end_date=""
    )
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.forms[0].errors["implementation_year"] == [_option_error(2019)]
    assert not Option.objects.exists()


# --- the assessment's start date ----------------------------------------------------------


def _edit(client, assessment, **changes):
    data = {
        "kind": assessment.kind,
        "start_date": assessment.start_date.isoformat() if assessment.start_date else "",
        "end_date": "",
        "consultant": assessment.consultant,
        "baseline_year": str(assessment.baseline_year),
        "funding_source": "",
        "total_cost_vnd": str(assessment.total_cost_vnd),
        "supported_amount_vnd": str(assessment.supported_amount_vnd),
        "version": str(assessment.version),
        **changes,
    }
    return client.post(reverse("assessments:assessment_edit", args=[assessment.pk]), data)


@pytest.fixture
def started_2017(facility):
    """A draft assessment started in 2017 with options implemented in 2017 and 2018."""
    assessment = AssessmentFactory(
        facility=facility, state="draft", start_date=date(2017, 5, 2), baseline_year=2016
    )
    OptionFactory(assessment=assessment, implementation_year=2018)
    OptionFactory(assessment=assessment, implementation_year=2017)
    OptionFactory(assessment=assessment, status="planned", implementation_year=None)
    return assessment


@pytest.mark.parametrize(
    ("start", "count", "first", "year"),
    [("2019-01-10", 2, 2017, 2019), ("2018-06-01", 1, 2017, 2018)],
)
def test_a_start_date_past_an_options_year_is_refused(
    client, facility_user, started_2017, start, count, first, year
):
    client.force_login(facility_user)
    response = _edit(client, started_2017, start_date=start)
    assert response.status_code == 200
    assert response.context["form"].errors["start_date"] == [_start_error(count, first, year)]
    assert Assessment.objects.get().start_date == date(2017, 5, 2)


@pytest.mark.parametrize("start", ["2017-12-31", "2016-03-01", ""])
def test_a_start_date_the_options_fit_is_stored(client, facility_user, started_2017, start):
    client.force_login(facility_user)
    assert _edit(client, started_2017, start_date=start).status_code == 302
    stored = Assessment.objects.get().start_date
    assert stored == (date.fromisoformat(start) if start else None)


def test_a_first_start_date_is_held_to_the_options_too(client, staff, facility):
    undated = AssessmentFactory(facility=facility, state="draft", start_date=None)
    OptionFactory(assessment=undated, implementation_year=2016)
    client.force_login(staff)
    response = _edit(client, undated, start_date="2019-03-19", baseline_year="2018")
    assert response.context["form"].errors["start_date"] == [_start_error(1, 2016, 2019)]
    assert Assessment.objects.get().start_date is None


def test_an_option_stored_meanwhile_is_checked_again_under_the_lock(facility_user, started_2017):
    # The form was checked before the option came: the service, the row locked, refuses.
    assessment = Assessment.objects.get()
    assessment.start_date = date(2019, 1, 10)
    with pytest.raises(ValidationError) as refused:
        services.assessment_save(assessment=assessment, by=facility_user)
    assert refused.value.message_dict["start_date"] == [_start_error(2, 2017, 2019)]
    assert Assessment.objects.get().start_date == date(2017, 5, 2)


# --- the model rule -----------------------------------------------------------------------


def test_the_model_holds_the_rule(assessment):
    early = Option(
        assessment=assessment,
        category=1,
        description="Sửa chữa rò rỉ hơi",
        status=Option.Status.DONE,
        implementation_year=2016,
    )
    with pytest.raises(ValidationError) as refused:
        early.full_clean()
    assert refused.value.message_dict == {"implementation_year": [_option_error(2019)]}
    early.implementation_year = 2019
    early.full_clean()
    # A year not given (a planned option) has nothing to compare.
    early.status, early.implementation_year = Option.Status.PLANNED, None
    early.full_clean()
    assessment.start_date = date(2016, 1, 5)
    assert assessment.start_change_errors() == {}
    OptionFactory(assessment=assessment, implementation_year=2019)
    assessment.start_date = date(2020, 1, 5)
    assert assessment.start_change_errors() == {"start_date": [_start_error(1, 2019, 2020)]}
