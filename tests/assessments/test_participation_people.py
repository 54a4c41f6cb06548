"""A participant row sends from 1 to Participation.MAX_PEOPLE people: a number out of that range
gets one message, naming the true limit (never "≥ 0" for a minimum of 1, nor the database
column's 2.147.483.647 for a maximum of 10.000); the model's rule says the same."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.models import Activity, Participation

from .test_activity_create import _form

pytestmark = pytest.mark.django_db

URL = reverse("assessments:activity_create")
AT_LEAST_ONE = "Số người tham gia phải từ 1 trở lên."
AT_MOST = "Số người tham gia của một cơ sở không được vượt quá 10.000."


def _people_errors(client, facility, people) -> list[str]:
    response = client.post(URL, _form([(facility, people)]))
    assert response.status_code == 200
    return response.context["formset"].forms[0].errors["people"]


@pytest.mark.parametrize("people", ["-1", "0", "-5.000"])
def test_fewer_than_one_person_is_refused_with_the_true_minimum(client, staff, facility, people):
    client.force_login(staff)
    assert _people_errors(client, facility, people) == [AT_LEAST_ONE]
    assert not Activity.objects.exists()


@pytest.mark.parametrize("people", ["10.001", "3.000.000.000"])
def test_more_than_the_maximum_is_refused_with_the_true_maximum(client, staff, facility, people):
    client.force_login(staff)
    assert _people_errors(client, facility, people) == [AT_MOST]
    assert not Activity.objects.exists()


def test_the_page_states_the_minimum_once(client, staff, facility):
    client.force_login(staff)
    page = client.post(URL, _form([(facility, "-1")])).text
    assert page.count(AT_LEAST_ONE) >= 1
    assert "≥ 0" not in page
    assert "lớn hơn hoặc bằng" not in page


def test_the_limits_themselves_are_allowed(client, staff, facility, other_facility):
    client.force_login(staff)
    response = client.post(URL, _form([(facility, "1"), (other_facility, "10.000")]))
    assert response.status_code == 302
    assert sorted(Participation.objects.values_list("people", flat=True)) == [1, 10_000]


def test_an_empty_number_counts_one_person(client, staff, facility):
    client.force_login(staff)
    assert client.post(URL, _form([(facility, "")])).status_code == 302
    assert Participation.objects.get().people == 1


def test_the_model_refuses_fewer_than_one_person(activity):
    participation = activity.participation_set.get()
    participation.people = 0
    with pytest.raises(ValidationError) as refused:
        participation.full_clean()
    assert refused.value.message_dict == {"people": [AT_LEAST_ONE]}
