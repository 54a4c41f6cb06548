"""An activity's participants count towards AWARE_PCT (DESIGN §4): who added or removed a
facility, or changed its number of people, is kept and shown in the activity's history."""

import re

import pytest
from django.urls import reverse

from assessments.models import Participation

from .test_activity_edit import _edit_form, _url

pytestmark = pytest.mark.django_db


def _page(client, activity):
    return client.get(reverse("assessments:activity_detail", args=[activity.pk]))


def _history(client, activity) -> str:
    """The text of the activity page's history list (the last part of the page's content)."""
    page = _page(client, activity).text
    assert 'id="activity-history"' in page, "the activity page shows no history list"
    shown = page.split('id="activity-history"', 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", shown))


def test_removing_a_participant_is_shown_with_who_and_the_facility(
    client, staff, activity, facility
):
    client.force_login(staff)
    response = client.post(_url(activity), _edit_form(activity, **{"participants-0-DELETE": "on"}))
    assert response.status_code == 302
    assert not Participation.objects.filter(activity=activity).exists()

    history = _history(client, activity)

    assert f"Bỏ cơ sở tham gia “{facility.name}”" in history
    assert staff.full_name in history


def test_adding_a_participant_and_changing_people_show_old_and_new(
    client, staff, activity, facility, other_facility
):
    client.force_login(staff)
    data = _edit_form(activity)
    data.update(
        {
            "participants-0-people": "1500",
            "participants-1-facility": other_facility.pk,
            "participants-1-people": "2",
        }
    )

    assert client.post(_url(activity), data).status_code == 302
    history = _history(client, activity)

    assert f"Thêm cơ sở tham gia “{other_facility.name}”" in history
    assert f"Sửa cơ sở tham gia “{facility.name}”" in history
    assert "Số người tham gia: 3 → 1.500" in history  # the Vietnamese notation
    assert staff.full_name in history
    # The activity's own record of that save changed nothing: not listed as an empty edit.
    entries = _page(client, activity).context["history"]
    assert all(entry["changes"] for entry in entries if entry["kind"] == "~")


def test_a_facility_user_sees_only_its_own_participants_history(
    client, staff, facility_user, activity, facility, other_facility
):
    client.force_login(staff)
    data = _edit_form(activity)
    data.update({"participants-1-facility": other_facility.pk, "participants-1-people": "2"})
    assert client.post(_url(activity), data).status_code == 302

    client.force_login(facility_user)
    history = _history(client, activity)

    assert f"Thêm cơ sở tham gia “{facility.name}”" in history
    assert other_facility.name not in history


def test_the_history_is_shown_to_officials(client, official, activity, facility):
    client.force_login(official)
    assert f"Thêm cơ sở tham gia “{facility.name}”" in _history(client, activity)
