"""Two requests at once cannot each store an option within the savings cap that together pass it:
the services check the option again with the assessment's row locked, and a refusal then shows
as a form error. The race is played deterministically: the competing option is stored after the
form was checked and before the service stores (the form class of the view is swapped for one
that does so)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import assessment_services as services
from assessments.assessment_forms import AssessmentForm, OptionForm
from assessments.models import Assessment, Option
from assessments.views import assessments as views

from ..factories import AnnualReportFactory, AssessmentFactory, OptionFactory
from .test_option_bounds import _form

pytestmark = pytest.mark.django_db

USED_KWH = 3_657_014
TOTAL_ERROR = (
    "Tổng tiết kiệm điện (kWh/năm) của các giải pháp trong đánh giá này là 4.000.000, vượt quá "
    "lượng cơ sở đã dùng trong năm cơ sở 2018 (3.657.014 theo báo cáo năm đã duyệt)."
)


@pytest.fixture
def assessment(facility):
    """A draft assessment with baseline year 2018; the facility used 3.657.014 kWh that year."""
    AnnualReportFactory(facility=facility, year=2018, electricity_kwh=USED_KWH)
    return AssessmentFactory(facility=facility, state="draft", baseline_year=2018)


def _competing(assessment, kwh=2_000_000):
    return OptionFactory(
        assessment=assessment, electricity_saving_kwh=kwh, implementation_year=2019
    )


@pytest.fixture
def race(monkeypatch):
    """Make the view's forms store `race.meanwhile()` once their own check has passed."""

    class Race:
        meanwhile = None

    def racing(form_class):
        class RacingForm(form_class):
            def is_valid(self):
                valid = super().is_valid()
                if valid and Race.meanwhile:
                    meanwhile, Race.meanwhile = Race.meanwhile, None
                    meanwhile()
                return valid

        return RacingForm

    monkeypatch.setattr(views, "OptionForm", racing(OptionForm))
    monkeypatch.setattr(views, "AssessmentForm", racing(AssessmentForm))
    return Race


def test_an_option_stored_meanwhile_makes_the_new_one_a_form_error(
    client, facility_user, assessment, race
):
    race.meanwhile = lambda: _competing(assessment)
    client.force_login(facility_user)
    url = reverse("assessments:option_create", args=[assessment.pk])
    data = _form(status="planned", implementation_year="2019", electricity_saving_kwh="2000000")
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["electricity_saving_kwh"] == [TOTAL_ERROR]
    assert Option.objects.count() == 1  # the competing one only


def test_an_option_stored_meanwhile_makes_the_edit_a_form_error(
    client, facility_user, assessment, race
):
    option = _competing(assessment, kwh=1_000_000)
    race.meanwhile = lambda: _competing(assessment)
    client.force_login(facility_user)
    url = reverse("assessments:option_edit", args=[option.pk])
    data = _form(
        status="planned",
        implementation_year="2019",
        electricity_saving_kwh="2000000",
        version=str(option.version),
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["electricity_saving_kwh"] == [TOTAL_ERROR]
    option.refresh_from_db()
    assert option.electricity_saving_kwh == 1_000_000


def test_the_add_service_checks_again_with_the_assessment_locked(facility_user, assessment):
    form = OptionForm(
        _form(status="planned", implementation_year="2019", electricity_saving_kwh="2000000")
    )
    form.instance.assessment = assessment
    assert form.is_valid()
    _competing(assessment)  # stored by another request in the meantime
    with pytest.raises(ValidationError) as refused:
        services.option_add(option=form.instance, by=facility_user)
    assert refused.value.message_dict == {"electricity_saving_kwh": [TOTAL_ERROR]}
    assert Option.objects.count() == 1


def test_the_same_form_sent_at_once_still_finds_its_first_option(facility_user, assessment):
    # The second sending waited on the lock while the first stored the option: it is told so,
    # not refused for the cap the first option now fills.
    data = _form(status="planned", implementation_year="2019", electricity_saving_kwh="3000000")
    data["form_token"] = "6f1c3c5e-4b0e-4a57-9d8f-1f7a1b2c3d4e"
    first, second = OptionForm(data), OptionForm(data)
    for form in (first, second):
        form.instance.assessment = assessment
        assert form.is_valid()
    services.option_add(option=first.instance, by=facility_user)
    with pytest.raises(services.AlreadyCreated) as sent_again:
        services.option_add(option=second.instance, by=facility_user)
    assert sent_again.value.record == first.instance


def test_a_baseline_year_change_checks_the_options_stored_meanwhile(
    client, facility_user, facility, assessment, race
):
    AnnualReportFactory(facility=facility, year=2017, electricity_kwh=1_000_000)
    race.meanwhile = lambda: _competing(assessment, kwh=Decimal(1_500_000))
    client.force_login(facility_user)
    url = reverse("assessments:assessment_edit", args=[assessment.pk])
    data = {
        "kind": assessment.kind,
        "start_date": "2018-03-05",
        "end_date": "2018-03-07",
        "consultant": assessment.consultant,
        "baseline_year": "2017",
        "funding_source": "",
        "total_cost_vnd": "30000000",
        "supported_amount_vnd": "15000000",
        "version": str(assessment.version),
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["baseline_year"][0] == (
        "Tổng tiết kiệm điện (kWh/năm) của các giải pháp trong đánh giá này là 1.500.000, vượt "
        "quá lượng cơ sở đã dùng trong năm cơ sở 2017 (1.000.000 theo báo cáo năm đã duyệt)."
    )
    assert Assessment.objects.get().baseline_year == 2018
