"""The activity list shows staff the activities deleted lately, from their history: who deleted
which activity and when, its date and the participants deleted with it."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import Participation
from tests.factories import ActivityFactory, FacilityFactory

pytestmark = pytest.mark.django_db

LIST = reverse("assessments:activity_list")


def _deleted_rows(text) -> list[str]:
    table = text.split('id="deleted-activities">', 1)[1].split("</table>", 1)[0]
    rows = table.split("<tbody>", 1)[1].split("<tr>")[1:]
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]


def test_staff_see_a_deleted_activity(client, staff, facility):
    activity = ActivityFactory(title="Hội thảo SXSH ngành dệt")
    others = FacilityFactory.create_batch(2)
    for taking_part in [facility, *others]:
        Participation.objects.create(activity=activity, facility=taking_part, people=2)
    kept = ActivityFactory(title="Khóa đào tạo còn giữ")
    client.force_login(staff)

    client.post(reverse("assessments:activity_delete", args=[activity.pk]))

    page = client.get(LIST).text
    assert "Đã xóa gần đây" in page
    [row] = _deleted_rows(page)
    assert "Hội thảo SXSH ngành dệt" in row
    assert staff.full_name in row
    assert activity.date.strftime("%d/%m/%Y") in row
    assert row.endswith(str(1 + len(others)))
    assert kept.title not in row


def test_participants_removed_before_are_not_counted(client, staff, facility, other_facility):
    activity = ActivityFactory(title="Hội thảo SXSH ngành giấy")
    Participation.objects.create(activity=activity, facility=facility, people=2)
    removed = Participation.objects.create(activity=activity, facility=other_facility, people=1)
    removed_pk = removed.pk
    removed.delete()
    history = Participation.history.get(id=removed_pk, history_type="-")
    history.history_date -= history.history_date.resolution * 10_000_000  # ten seconds earlier
    history.save()
    client.force_login(staff)
    client.post(reverse("assessments:activity_delete", args=[activity.pk]))
    [row] = _deleted_rows(client.get(LIST).text)
    assert row.endswith(" 1")


def test_nothing_deleted_no_section(client, staff, activity):
    client.force_login(staff)
    assert "Đã xóa gần đây" not in client.get(LIST).text


@pytest.mark.parametrize("user", ["official", "facility_user"])
def test_only_staff_see_it(client, staff, request, activity, facility, user):
    other = ActivityFactory(title="Hoạt động đã xóa")
    Participation.objects.create(activity=other, facility=facility, people=1)
    by_staff = Client()
    by_staff.force_login(staff)
    by_staff.post(reverse("assessments:activity_delete", args=[other.pk]))
    client.force_login(request.getfixturevalue(user))
    page = client.get(LIST).text
    assert "Đã xóa gần đây" not in page
    assert "Hoạt động đã xóa" not in page
