"""An option is measured against its assessment's baseline year: its implementation year cannot
come before it, or a "done" option counts in official figures of years before the baseline (an
assessment without start date, baseline 2020, took a done option of 2016, counted in 2016). The
option forms refuse such a year on the implementation year (as they refuse one before the start
year); the assessment's baseline year cannot move past the year of an option it already has."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import assessment_services as services
from assessments.models import Assessment, Option

from ..factories import AssessmentFactory, OptionFactory
from .test_option_create import _form as option_form

pytestmark = pytest.mark.django_db


def _option_error(year) -> str:
    return (
        f"Năm thực hiện không được trước năm cơ sở của đánh giá ({year}): giải pháp được tính "
        "so với năm cơ sở nên chỉ thực hiện từ năm đó trở đi."
    )


def _baseline_error(count, first, year) -> str:
    return (
        f"Đánh giá đã có {count} giải pháp có năm thực hiện trước năm {year} (sớm nhất: "
        f"{first}): năm thực hiện của giải pháp không được trước năm cơ sở. Hãy sửa năm thực hiện "
        "của các giải pháp đó trước khi đổi năm cơ sở."
    )


@pytest.fixture
def assessment(facility):
    """A draft assessment without start date, baseline year 2020 (the reviewer's repro)."""
    return AssessmentFactory(facility=facility, state="draft", start_date=None, baseline_year=2020)


def _create(client, assessment, year, status="done"):
    url = reverse("assessments:option_create", args=[assessment.pk])
    return client.post(url, option_form(status=status, implementation_year=str(year)))


# --- the option forms ---------------------------------------------------------------------


@pytest.mark.parametrize("status", ["done", "in_progress", "planned"])
def test_an_option_implemented_before_the_baseline_year_is_refused(
    client, facility_user, assessment, status
):
    client.force_login(facility_user)
    response = _create(client, assessment, 2016, status)
    assert response.status_code == 200
    assert response.context["form"].errors["implementation_year"] == [_option_error(2020)]
    assert not Option.objects.exists()


@pytest.mark.parametrize("year", [2020, 2021])
def test_an_option_from_the_baseline_year_on_is_stored(client, facility_user, assessment, year):
    client.force_login(facility_user)
    assert _create(client, assessment, year).status_code == 302
    assert Option.objects.get().implementation_year == year


def test_an_edit_to_a_year_before_the_baseline_is_refused(client, facility_user, assessment):
    option = OptionFactory(assessment=assessment, implementation_year=2021)
    client.force_login(facility_user)
    url = reverse("assessments:option_edit", args=[option.pk])
    data = option_form(implementation_year="2016", version=str(option.version))
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["implementation_year"] == [_option_error(2020)]
    option.refresh_from_db()
    assert option.implementation_year == 2021


def test_the_start_year_rule_still_names_the_start_year(client, facility_user, facility):
    # With a start date the later of the two years binds; the start date's message stays.
    assessment = AssessmentFactory(
        facility=facility, state="draft", start_date=date(2019, 3, 19), baseline_year=2018
    )
    client.force_login(facility_user)
    response = _create(client, assessment, 2017)
    assert response.context["form"].errors["implementation_year"] == [
        "Năm thực hiện không được trước năm bắt đầu đánh giá (2019): giải pháp được đề xuất "
        "trong đánh giá này."
    ]


# --- the assessment's baseline year --------------------------------------------------------


@pytest.fixture
def earlier(facility):
    """A draft assessment without start date, baseline 2015, whose options were implemented in
    2016 and 2018 (and one planned without a year)."""
    assessment = AssessmentFactory(
        facility=facility, state="draft", start_date=None, baseline_year=2015
    )
    OptionFactory(assessment=assessment, implementation_year=2016)
    OptionFactory(assessment=assessment, implementation_year=2018)
    OptionFactory(assessment=assessment, status="planned", implementation_year=None)
    return assessment


def _edit(client, assessment, **changes):
    data = {
        "kind": assessment.kind,
        "start_date": "",
        "end_date": "",
        "consultant": assessment.consultant,
        "baseline_year": str(assessment.baseline_year),
        "funding_source": "",
        "total_cost_vnd": "30000000",
        "supported_amount_vnd": "15000000",
        "version": str(assessment.version),
        **changes,
    }
    return client.post(reverse("assessments:assessment_edit", args=[assessment.pk]), data)


def test_a_baseline_year_moved_past_an_option_is_refused(client, facility_user, earlier):
    client.force_login(facility_user)
    response = _edit(client, earlier, baseline_year="2020")
    assert response.status_code == 200
    assert response.context["form"].errors["baseline_year"] == [_baseline_error(2, 2016, 2020)]
    assert Assessment.objects.get().baseline_year == 2015


def test_a_baseline_year_given_first_past_an_option_is_refused(facility, earlier):
    Assessment.objects.filter(pk=earlier.pk).update(baseline_year=None)
    earlier.refresh_from_db()
    earlier.baseline_year = 2017
    with pytest.raises(ValidationError) as caught:
        earlier.full_clean()
    assert caught.value.message_dict["baseline_year"] == [_baseline_error(1, 2016, 2017)]


@pytest.mark.parametrize("year", ["2016", "2014", ""])
def test_a_baseline_year_the_options_follow_is_stored(client, facility_user, earlier, year):
    client.force_login(facility_user)
    assert _edit(client, earlier, baseline_year=year).status_code == 302
    assert Assessment.objects.get().baseline_year == (int(year) if year else None)


def test_the_service_checks_the_options_stored_meanwhile(facility_user, facility):
    # An option stored after the form was checked: the service, with the assessment locked,
    # refuses the new baseline year all the same.
    assessment = AssessmentFactory(
        facility=facility, state="draft", start_date=None, baseline_year=2015
    )
    assessment.baseline_year = 2020
    assessment.full_clean()
    OptionFactory(assessment=assessment, implementation_year=2016)
    with pytest.raises(ValidationError) as caught:
        services.assessment_save(assessment=assessment, by=facility_user)
    assert caught.value.message_dict["baseline_year"] == [_baseline_error(1, 2016, 2020)]
    assert Assessment.objects.get().baseline_year == 2015
