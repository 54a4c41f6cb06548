"""Optimistic locking of the option and activity edit forms: of two people who loaded the same edit
page, the second to save gets a conflict message and nothing is overwritten."""

import pytest
from django.urls import reverse

from assessments.models import Activity, Option

from ..factories import UserFactory
from ..locking_helpers import loaded_form_data, logged_in

pytestmark = pytest.mark.django_db
OPTION_CONFLICT = "Giải pháp này vừa được người khác cập nhật"
ACTIVITY_CONFLICT = "Hoạt động này vừa được người khác cập nhật"
RELOAD = "vui lòng tải lại trang và nhập lại thay đổi"


def loaded_page_data(response) -> dict:
    """What the browser would post back unchanged from the activity edit page: the activity form,
    the participants' management form and rows."""
    data = loaded_form_data(response)
    formset = response.context["formset"]
    for form in (formset.management_form, *formset.forms):
        for field in form:
            value = field.value()
            if value is not None and value is not False:
                data[field.html_name] = value
    return data


# --- options --------------------------------------------------------------------------------


def test_option_second_concurrent_edit_gets_a_conflict(facility, facility_user, option):
    colleague = UserFactory(role="facility")
    colleague.facilities.add(facility)
    url = reverse("assessments:option_edit", args=[option.pk])
    investment = option.investment_vnd
    first, second = logged_in(facility_user), logged_in(colleague)
    first_data = loaded_form_data(first.get(url))
    second_data = loaded_form_data(second.get(url))
    assert first_data["version"] == second_data["version"] == option.version

    response = first.post(url, {**first_data, "description": "Lắp biến tần cho quạt hút"})
    assert response.status_code == 302
    response = second.post(url, {**second_data, "investment_vnd": "95000000"})

    assert response.status_code == 200
    assert OPTION_CONFLICT in response.text and RELOAD in response.text
    option.refresh_from_db()
    assert option.description == "Lắp biến tần cho quạt hút"
    assert option.investment_vnd == investment != 95_000_000  # the second edit is not saved
    assert option.version == first_data["version"] + 1
    assert option.history.count() == 2  # created, then the first edit only
    form = response.context["form"]  # the latest values, to be edited again
    assert not form.is_bound
    assert form.initial["description"] == "Lắp biến tần cho quạt hút"
    assert f'name="version" value="{option.version}"' in response.text


def test_option_staff_conflicts_with_the_representative(staff, facility_user, option):
    url = reverse("assessments:option_edit", args=[option.pk])
    own, office = logged_in(facility_user), logged_in(staff)
    office_data = loaded_form_data(office.get(url))
    own_data = loaded_form_data(own.get(url))
    assert own.post(url, {**own_data, "status": "in_progress"}).status_code == 302
    response = office.post(url, {**office_data, "status": "dropped"})
    assert OPTION_CONFLICT in response.text
    option.refresh_from_db()
    assert option.status == "in_progress"


def test_option_normal_edits_follow_one_another(facility_user, option):
    url = reverse("assessments:option_edit", args=[option.pk])
    client = logged_in(facility_user)
    for description in ("Lần một", "Lần hai"):
        data = loaded_form_data(client.get(url))
        assert client.post(url, {**data, "description": description}).status_code == 302
        option.refresh_from_db()
        assert option.description == description
    assert option.version == 3
    assert Option.history.filter(id=option.pk).count() == 3


def test_option_create_form_starts_at_version_one(facility_user, draft):
    client = logged_in(facility_user)
    url = reverse("assessments:option_create", args=[draft.pk])
    data = loaded_form_data(client.get(url))
    data.update(category="1", description="Thu hồi nước ngưng", screening="implement")
    assert client.post(url, data).status_code == 302
    assert draft.options.get().version == 1


# --- activities ------------------------------------------------------------------------------


def test_activity_second_concurrent_edit_gets_a_conflict(staff, activity):
    url = reverse("assessments:activity_edit", args=[activity.pk])
    other_budget = activity.budget_other_vnd
    first, second = logged_in(staff), logged_in(UserFactory(role="staff"))
    first_data = loaded_page_data(first.get(url))
    second_data = loaded_page_data(second.get(url))
    assert first_data["version"] == second_data["version"] == activity.version

    changed = {"title": "Hội thảo SXSH (bản của người thứ nhất)", "participants-0-people": "7"}
    assert first.post(url, {**first_data, **changed}).status_code == 302
    response = second.post(url, {**second_data, "budget_other_vnd": "15000000"})

    assert response.status_code == 200
    assert ACTIVITY_CONFLICT in response.text and RELOAD in response.text
    activity.refresh_from_db()
    assert activity.title == changed["title"]
    assert activity.budget_other_vnd == other_budget != 15_000_000
    assert activity.version == first_data["version"] + 1
    assert activity.history.count() == 2  # created, then the first edit only
    assert activity.participation_set.get().people == 7
    form, formset = response.context["form"], response.context["formset"]
    assert not form.is_bound and not formset.is_bound  # the latest values, to be edited again
    assert form.initial["title"] == changed["title"]
    assert formset.forms[0].initial["people"] == 7
    assert f'name="version" value="{activity.version}"' in response.text


def test_activity_conflict_over_a_participant_removed_meanwhile(staff, activity, other_facility):
    url = reverse("assessments:activity_edit", args=[activity.pk])
    first, second = logged_in(staff), logged_in(UserFactory(role="staff"))
    first_data = loaded_page_data(first.get(url))
    second_data = loaded_page_data(second.get(url))
    assert first.post(url, {**first_data, "participants-0-DELETE": "on"}).status_code == 302
    more = {"participants-1-facility": other_facility.pk, "participants-1-people": "4"}
    response = second.post(url, {**second_data, "participants-0-people": "9", **more})

    assert response.status_code == 200
    assert ACTIVITY_CONFLICT in response.text  # not a puzzling error on the vanished row
    assert not activity.participation_set.exists()


def test_activity_normal_edits_follow_one_another(staff, activity):
    url = reverse("assessments:activity_edit", args=[activity.pk])
    client = logged_in(staff)
    for people in ("4", "6"):
        data = loaded_page_data(client.get(url))
        assert client.post(url, {**data, "participants-0-people": people}).status_code == 302
        assert activity.participation_set.get().people == int(people)
    activity.refresh_from_db()
    assert activity.version == 3
    assert Activity.history.filter(id=activity.pk).count() == 3
