import pytest
from django.urls import reverse

from assessments.models import Participation

from .test_activity_create import _form


def _url(activity):
    return reverse("assessments:activity_edit", args=[activity.pk])


def _edit_form(activity, **changes):
    participation = activity.participation_set.get()
    data = _form(**changes)
    data.update(
        {
            "participants-TOTAL_FORMS": "4",
            "participants-INITIAL_FORMS": "1",
            "participants-0-id": participation.pk,
            "participants-0-facility": participation.facility_id,
            "participants-0-people": "5",
        }
    )
    data.update(changes)
    return data


def test_it_works(client, staff, activity, other_facility):
    client.force_login(staff)
    assert client.get(_url(activity)).status_code == 200
    data = _edit_form(activity, title="Hội thảo SXSH (sửa)")
    data.update({"participants-1-facility": other_facility.pk, "participants-1-people": "2"})
    response = client.post(_url(activity), data)
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Hội thảo SXSH (sửa)"
    assert sorted(activity.participation_set.values_list("people", flat=True)) == [2, 5]


def test_it_removes_a_participant(client, staff, activity):
    client.force_login(staff)
    client.post(_url(activity), _edit_form(activity, **{"participants-0-DELETE": "on"}))
    assert not Participation.objects.filter(activity=activity).exists()


def test_it_requires_login(client, activity):
    assert client.post(_url(activity), _edit_form(activity, title="X")).status_code == 302


def test_it_hides_other_facilities(client, facility_user, other_activity):
    client.force_login(facility_user)
    assert client.get(_url(other_activity)).status_code == 404
    assert client.post(_url(other_activity), _edit_form(other_activity, title="X")).status_code == (
        404
    )
    other_activity.refresh_from_db()
    assert other_activity.title != "X"


@pytest.mark.parametrize("user", ["facility_user", "official"])
def test_it_requires_staff(client, request, activity, user):
    client.force_login(request.getfixturevalue(user))
    assert client.post(_url(activity), _edit_form(activity, title="X")).status_code == 403
    activity.refresh_from_db()
    assert activity.title != "X"


def test_it_rejects_bad_input(client, staff, activity):
    client.force_login(staff)
    response = client.post(_url(activity), _edit_form(activity, title="", date="hôm qua"))
    assert set(response.context["form"].errors) >= {"title", "date"}
    activity.refresh_from_db()
    assert activity.title == "Hội thảo SXSH tại KCN Quế Võ"
    assert activity.participation_set.get().people == 3


def test_a_facility_already_taking_part_is_refused_with_a_visible_message(client, staff, activity):
    client.force_login(staff)
    participation = activity.participation_set.get()
    data = _edit_form(activity)
    data.update(
        {"participants-1-facility": participation.facility_id, "participants-1-people": "2"}
    )
    response = client.post(_url(activity), data)
    assert response.status_code == 200
    assert "Cơ sở này đã có trong danh sách tham gia hoạt động." in response.text
    assert list(activity.participation_set.values_list("people", flat=True)) == [3]


def test_one_facility_twice_among_new_rows_is_refused_in_vietnamese(
    client, staff, activity, other_facility
):
    client.force_login(staff)
    data = _edit_form(activity)
    for row in ("1", "2"):
        data.update(
            {f"participants-{row}-facility": other_facility.pk, f"participants-{row}-people": "2"}
        )
    response = client.post(_url(activity), data)
    assert response.status_code == 200
    assert "Mỗi cơ sở chỉ được chọn một lần" in response.text
    assert not activity.participation_set.filter(facility=other_facility).exists()
