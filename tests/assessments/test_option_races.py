"""An assessment approved or submitted between the view's check and the service's write keeps its
options as they were: the option services check again with the assessment's row locked, and the
loser of the race is sent back to the assessment with the locked (or pending) message, as a
slower user would be, not a bare 403. The race is played deterministically: the approval or
submission happens right after the view has loaded the assessment or the option (the view's
getter is wrapped)."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from assessments import assessment_services as services
from assessments.access import Locked
from assessments.models import Assessment, Option
from assessments.views import assessments as views

from ..factories import AnnualReportFactory, AssessmentFactory, OptionFactory
from .test_option_bounds import _form

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(facility):
    AnnualReportFactory(facility=facility, year=2018, electricity_kwh=3_000_000)
    return AssessmentFactory(facility=facility, state="draft", baseline_year=2018)


@pytest.fixture
def option(assessment):
    return OptionFactory(
        assessment=assessment, electricity_saving_kwh=100_000, implementation_year=2019
    )


def _approve(assessment, staff, facility_user):
    fresh = Assessment.objects.get(pk=assessment.pk)
    services.assessment_approve_by_save(assessment=fresh, by=staff)


def _submit(assessment, staff, facility_user):
    fresh = Assessment.objects.get(pk=assessment.pk)
    services.assessment_submit(assessment=fresh, by=facility_user)


# Who moves the assessment meanwhile, the state it ends in, and the message the facility reads.
MEANWHILE = [
    pytest.param(_approve, "approved", "locked", id="staff-approve"),
    pytest.param(_submit, "submitted", "pending", id="facility-submits"),
]


def _meanwhile(monkeypatch, getter, action):
    """Run `action` once the view's `getter` has loaded (and checked) its record for a POST."""
    original = getattr(views, getter)

    def wrapped(request, pk, **kwargs):
        record = original(request, pk, **kwargs)
        if request.method == "POST":
            action()
        return record

    monkeypatch.setattr(views, getter, wrapped)


def _sent_back(response, assessment, text):
    assert response.status_code == 302
    assert response.url == assessment.get_absolute_url()
    told = [str(message) for message in get_messages(response.wsgi_request)]
    assert told == [str(getattr(assessment.workflow_texts, text))]


@pytest.mark.parametrize(("move", "state", "text"), MEANWHILE)
def test_an_option_of_an_assessment_moved_meanwhile_is_not_deleted(
    client, monkeypatch, assessment, option, staff, facility_user, move, state, text
):
    other = OptionFactory(
        assessment=assessment, electricity_saving_kwh=200_000, implementation_year=2019
    )
    _meanwhile(monkeypatch, "get_option_for_user", lambda: move(assessment, staff, facility_user))
    client.force_login(facility_user)
    response = client.post(reverse("assessments:option_delete", args=[other.pk]))
    assessment.refresh_from_db()
    assert assessment.state == state
    _sent_back(response, assessment, text)
    assert set(assessment.options.all()) == {option, other}
    assert not other.history.filter(history_type="-").exists()


@pytest.mark.parametrize(("move", "state", "text"), MEANWHILE)
def test_an_option_of_an_assessment_moved_meanwhile_is_not_edited(
    client, monkeypatch, assessment, option, staff, facility_user, move, state, text
):
    _meanwhile(monkeypatch, "get_option_for_user", lambda: move(assessment, staff, facility_user))
    client.force_login(facility_user)
    data = _form(status="planned", implementation_year="2019", electricity_saving_kwh="150000")
    data["version"] = option.version
    response = client.post(reverse("assessments:option_edit", args=[option.pk]), data)
    assessment.refresh_from_db()
    assert assessment.state == state
    _sent_back(response, assessment, text)
    before = option.electricity_saving_kwh
    option.refresh_from_db()
    assert option.electricity_saving_kwh == before


@pytest.mark.parametrize(("move", "state", "text"), MEANWHILE)
def test_no_option_is_added_to_an_assessment_moved_meanwhile(
    client, monkeypatch, assessment, option, staff, facility_user, move, state, text
):
    _meanwhile(
        monkeypatch, "get_assessment_for_user", lambda: move(assessment, staff, facility_user)
    )
    client.force_login(facility_user)
    data = _form(status="planned", implementation_year="2019", electricity_saving_kwh="150000")
    response = client.post(reverse("assessments:option_create", args=[assessment.pk]), data)
    assessment.refresh_from_db()
    assert assessment.state == state
    _sent_back(response, assessment, text)
    assert list(assessment.options.all()) == [option]


def test_the_deletion_is_in_the_history_with_its_user(client, facility_user, option):
    client.force_login(facility_user)
    response = client.post(reverse("assessments:option_delete", args=[option.pk]))
    assert response.status_code == 302
    assert not Option.objects.filter(pk=option.pk).exists()
    assert option.history.get(history_type="-").history_user == facility_user


def test_an_option_deleted_meanwhile_is_deleted_once(facility_user, option):
    services.option_delete(option=Option.objects.get(pk=option.pk), by=facility_user)
    services.option_delete(option=option, by=facility_user)
    assert option.history.filter(history_type="-").count() == 1


def test_a_user_who_may_not_change_it_at_all_is_refused_not_sent_back(official, option):
    with pytest.raises(PermissionDenied) as refused:
        services.option_delete(option=option, by=official)
    assert not isinstance(refused.value, Locked)
    assert Option.objects.filter(pk=option.pk).exists()
