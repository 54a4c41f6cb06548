"""A participation records a facility that TOOK PART in an activity (AWARE_PCT, DESIGN §4): it
can be recorded only for an activity dated today or earlier. An activity still to come may be
planned without participants; one that has participants cannot be moved to a date after today.
The web form and the admin hold to the same rule (Activity.clean, Participation.clean)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Activity, Participation

from ..factories import ActivityFactory
from .test_activity_create import _form

pytestmark = pytest.mark.django_db

CREATE_URL = reverse("assessments:activity_create")


def _later():
    return timezone.localdate() + timedelta(days=30)


def _edit_url(activity):
    return reverse("assessments:activity_edit", args=[activity.pk])


def _edit_form(activity, new=(), stored=(), **changes):
    """The edit form of `activity` as loaded (its stored `stored` participations), with the
    `new` (facility, people) rows and `changes`."""
    data = _form(
        kind=activity.kind,
        title=activity.title,
        date=activity.date.isoformat(),
        version=str(activity.version),
    )
    rows = [
        {"id": str(p.pk), "facility": str(p.facility_id), "people": str(p.people)} for p in stored
    ]
    rows += [{"facility": str(f.pk), "people": str(n)} for f, n in new]
    rows += [{}] * 3
    data["participants-TOTAL_FORMS"] = str(len(rows))
    data["participants-INITIAL_FORMS"] = str(len(stored))
    for index, row in enumerate(rows):
        data.update({f"participants-{index}-{name}": value for name, value in row.items()})
    data.update(changes)
    return data


def _refusal(day) -> str:
    return (
        f"Hoạt động diễn ra ngày {day:%d/%m/%Y}, chưa thể ghi cơ sở tham gia; hãy ghi sau khi "
        "hoạt động đã diễn ra."
    )


def test_a_future_workshop_is_not_created_with_participants(
    client, staff, facility, other_facility
):
    client.force_login(staff)
    later = _later()
    data = _form(
        [(facility, 3), (other_facility, 2)],
        kind="workshop",
        date=later.isoformat(),
    )
    response = client.post(CREATE_URL, data)
    assert response.status_code == 200
    assert _refusal(later) in response.text
    assert response.context["formset"].errors[0]["facility"] == [_refusal(later)]
    assert not Activity.objects.exists()
    assert not Participation.objects.exists()


def test_a_future_activity_without_participants_may_be_planned(client, staff):
    client.force_login(staff)
    later = _later()
    response = client.post(CREATE_URL, _form(kind="workshop", date=later.isoformat()))
    assert response.status_code == 302
    assert Activity.objects.get().date == later


def test_a_participant_is_not_added_to_a_planned_activity(client, staff, facility):
    planned = ActivityFactory(date=_later())
    client.force_login(staff)
    response = client.post(_edit_url(planned), _edit_form(planned, new=[(facility, 4)]))
    assert response.status_code == 200
    assert _refusal(planned.date) in response.text
    assert not planned.participation_set.exists()


def test_a_planned_activity_is_edited_without_participants(client, staff):
    planned = ActivityFactory(date=_later())
    client.force_login(staff)
    response = client.post(_edit_url(planned), _edit_form(planned, title="Hội thảo dời lịch"))
    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.title == "Hội thảo dời lịch"


def test_an_activity_with_participants_is_not_moved_after_today(client, staff, activity):
    stored_date = activity.date
    client.force_login(staff)
    data = _edit_form(activity, stored=activity.participation_set.all(), date=_later().isoformat())
    response = client.post(_edit_url(activity), data)
    assert response.status_code == 200
    errors = response.context["form"].errors["date"]
    assert len(errors) == 1
    assert "không thể sau hôm nay" in errors[0]
    assert f"{timezone.localdate():%d/%m/%Y}" in errors[0]
    assert errors[0] in response.text
    activity.refresh_from_db()
    assert activity.date == stored_date
    assert activity.participation_set.count() == 1


def test_a_past_activity_takes_participants(client, staff, activity, other_facility):
    client.force_login(staff)
    data = _edit_form(activity, stored=activity.participation_set.all(), new=[(other_facility, 2)])
    response = client.post(_edit_url(activity), data)
    assert response.status_code == 302
    assert activity.participation_set.count() == 2


def test_an_activity_of_today_takes_participants(client, staff, facility):
    client.force_login(staff)
    today = timezone.localdate()
    response = client.post(CREATE_URL, _form([(facility, 3)], date=today.isoformat()))
    assert response.status_code == 302
    assert Participation.objects.get().activity.date == today


def test_an_activity_with_participants_is_moved_to_today(client, staff, activity):
    client.force_login(staff)
    today = timezone.localdate()
    data = _edit_form(activity, stored=activity.participation_set.all(), date=today.isoformat())
    assert client.post(_edit_url(activity), data).status_code == 302
    activity.refresh_from_db()
    assert activity.date == today


# --- the admin ----------------------------------------------------------------------------


def _admin_post(client, activity, new=(), stored=(), **changes):
    data = {
        "kind": activity.kind,
        "title": activity.title,
        "date": activity.date.isoformat(),
        "district": "",
        "description": "",
        "budget_province_vnd": "0",
        "budget_national_vnd": "0",
        "budget_enterprise_vnd": "0",
        "budget_other_vnd": "0",
        "participation_set-TOTAL_FORMS": str(len(stored) + len(new)),
        "participation_set-INITIAL_FORMS": str(len(stored)),
        "participation_set-MIN_NUM_FORMS": "0",
        "participation_set-MAX_NUM_FORMS": "1000",
        "_save": "Lưu",
        **changes,
    }
    rows = [
        {"id": p.pk, "activity": activity.pk, "facility": p.facility_id, "people": p.people}
        for p in stored
    ]
    rows += [{"activity": activity.pk, "facility": f.pk, "people": n} for f, n in new]
    for index, row in enumerate(rows):
        data.update({f"participation_set-{index}-{k}": str(v) for k, v in row.items()})
    url = reverse("admin:assessments_activity_change", args=[activity.pk])
    return client.post(url, data)


def test_the_admin_adds_no_participant_to_a_planned_activity(admin_client, facility):
    planned = ActivityFactory(date=_later())
    response = _admin_post(admin_client, planned, new=[(facility, 2)])
    assert response.status_code == 200
    assert _refusal(planned.date) in response.text
    assert not planned.participation_set.exists()


def test_the_admin_moves_no_activity_with_participants_after_today(admin_client, activity):
    stored_date = activity.date
    response = _admin_post(
        admin_client, activity, stored=activity.participation_set.all(), date=_later().isoformat()
    )
    assert response.status_code == 200
    assert "date" in response.context["adminform"].form.errors
    activity.refresh_from_db()
    assert activity.date == stored_date


def test_the_admin_still_edits_a_past_activity(admin_client, activity, other_facility):
    response = _admin_post(
        admin_client, activity, stored=activity.participation_set.all(), new=[(other_facility, 2)]
    )
    assert response.status_code == 302
    assert activity.participation_set.count() == 2
