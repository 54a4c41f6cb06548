"""An activity that has participants: one save may move it to a later date and remove all of them
(the date is judged against the participants the save leaves, not the stored ones), but not keep
any; deleting it tells how the programme's figures change (AWARE_PCT, DESIGN §4)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Activity, Participation

from ..factories import ActivityFactory
from .national_helpers import BAC_NINH, national, staff_bn, two_provinces
from .test_activity_future_participation import _edit_form, _edit_url

__all__ = ["national", "staff_bn", "two_provinces"]  # fixtures

pytestmark = pytest.mark.django_db


def _later():
    return timezone.localdate() + timedelta(days=30)


@pytest.fixture
def two_participants(activity, other_facility):
    Participation.objects.create(activity=activity, facility=other_facility, people=2)
    return activity


def _marked_for_deletion(data, *indexes):
    for index in indexes:
        data[f"participants-{index}-DELETE"] = "on"
    return data


def test_one_save_moves_it_later_and_removes_every_participant(client, staff, two_participants):
    activity = two_participants
    stored = list(activity.participation_set.order_by("pk"))
    later = _later()
    client.force_login(staff)
    data = _marked_for_deletion(_edit_form(activity, stored=stored, date=later.isoformat()), 0, 1)
    response = client.post(_edit_url(activity), data)
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.date == later
    assert not activity.participation_set.exists()
    # Each participant's removal is in the history, with who removed it.
    removed = Participation.history.filter(activity_id=activity.pk, history_type="-")
    assert sorted(removed.values_list("history_user", flat=True)) == [staff.pk, staff.pk]


def test_moving_it_later_while_keeping_one_participant_is_refused(client, staff, two_participants):
    activity = two_participants
    stored = list(activity.participation_set.order_by("pk"))
    stored_date, stored_version = activity.date, activity.version
    client.force_login(staff)
    data = _marked_for_deletion(_edit_form(activity, stored=stored, date=_later().isoformat()), 0)
    response = client.post(_edit_url(activity), data)
    assert response.status_code == 200
    errors = response.context["form"].errors["date"]
    assert errors == [
        f"Ngày tổ chức không thể sau hôm nay ({timezone.localdate():%d/%m/%Y}) khi hoạt động vẫn "
        "còn cơ sở tham gia: chỉ ghi cơ sở tham gia khi hoạt động đã diễn ra. Nếu hoạt động được "
        "dời lịch, hãy đánh dấu “Xóa” ở tất cả cơ sở tham gia và lưu cùng với ngày mới."
    ]
    assert errors[0] in response.text
    # Nothing changed: neither the date nor the participant marked for deletion.
    activity.refresh_from_db()
    assert (activity.date, activity.version) == (stored_date, stored_version)
    assert activity.participation_set.count() == 2
    assert not Participation.history.filter(activity_id=activity.pk, history_type="-").exists()


def test_moving_it_later_and_adding_a_participant_instead_is_refused(
    client, staff, activity, other_facility
):
    stored = list(activity.participation_set.all())
    stored_date = activity.date
    client.force_login(staff)
    data = _marked_for_deletion(
        _edit_form(activity, stored=stored, new=[(other_facility, 2)], date=_later().isoformat()),
        0,
    )
    response = client.post(_edit_url(activity), data)
    assert response.status_code == 200
    activity.refresh_from_db()
    assert activity.date == stored_date
    assert list(activity.participation_set.values_list("facility", flat=True)) == [
        stored[0].facility_id
    ]


def _delete_url(activity):
    return reverse("assessments:activity_delete", args=[activity.pk])


EFFECT = "2 cơ sở tham gia của tỉnh sẽ không còn được tính là đã tham gia hoạt động này."


def test_the_delete_confirmation_tells_how_the_figures_change(client, staff, two_participants):
    activity = two_participants
    client.force_login(staff)
    response = client.get(_delete_url(activity))
    assert response.status_code == 200
    assert EFFECT in response.text
    year = activity.date.year
    assert f"Số liệu các chỉ tiêu năm {year} (số cơ sở và số người tham gia" in response.text
    assert f"tỷ lệ cơ sở nhận thức về SXSH từ năm {year} trở đi" in response.text
    # Only asked: the POST of the confirmation deletes it.
    assert Activity.objects.filter(pk=activity.pk).exists()
    assert Participation.objects.filter(activity=activity).count() == 2


def test_a_technical_activity_changes_no_awareness_figure(client, staff, facility):
    technical = ActivityFactory(kind="technical")
    Participation.objects.create(activity=technical, facility=facility, people=1)
    client.force_login(staff)
    response = client.get(_delete_url(technical))
    assert "1 cơ sở tham gia của tỉnh sẽ không còn được tính" in response.text
    assert f"Số liệu các chỉ tiêu năm {technical.date.year}" in response.text
    assert "nhận thức về SXSH" not in response.text


def test_the_delete_confirmation_of_one_without_participants_gives_only_the_activity_count(
    client, staff
):
    empty = ActivityFactory()
    client.force_login(staff)
    response = client.get(_delete_url(empty))
    assert response.status_code == 200
    assert "Bạn có chắc muốn xóa hoạt động" in response.text
    # Held, it is one of its year's activities (the documents count it) but no participant's.
    year = empty.date.year
    assert f"Số hoạt động của chương trình năm {year} giảm từ 1 xuống 0." in response.text
    assert "không còn được tính" not in response.text
    assert "Số liệu các chỉ tiêu" not in response.text


def test_the_deletion_is_in_the_history(client, staff, two_participants):
    activity = two_participants
    client.force_login(staff)
    assert client.post(_delete_url(activity)).status_code == 302
    assert not Activity.objects.filter(pk=activity.pk).exists()
    deleted = Activity.history.get(id=activity.pk, history_type="-")
    assert deleted.history_user == staff
    removed = Participation.history.filter(activity_id=activity.pk, history_type="-")
    assert removed.count() == 2


def test_a_national_delete_tells_the_holding_province_and_the_others_apart(
    client, national, staff_bn, two_provinces
):
    """A Bắc Ninh activity one Hải Phòng facility took part in: Bắc Ninh's figures lose its own
    participant, Hải Phòng's the other (reports.files.activities.participant_filter)."""
    bn_facility, hp_facility = two_provinces
    held = ActivityFactory(province=BAC_NINH)
    for facility in (bn_facility, hp_facility):
        Participation.objects.create(activity=held, facility=facility, people=1)
    client.force_login(staff_bn)
    response = client.get(_delete_url(held))
    assert response.status_code == 200
    assert "1 cơ sở tham gia của tỉnh sẽ không còn được tính" in response.text
    assert (
        "1 cơ sở tham gia của tỉnh, thành phố khác cũng không còn được tính trong số liệu của "
        "tỉnh, thành phố đó." in response.text
    )
