"""assessments:activity_list and activity_detail — numbers of people written the Vietnamese
way (1.234), in the rows and in the total."""

from django.urls import reverse

from assessments.models import Participation


def test_detail_groups_people_with_dots(client, staff, activity, other_facility):
    Participation.objects.create(activity=activity, facility=other_facility, people=1_200)
    client.force_login(staff)
    response = client.get(reverse("assessments:activity_detail", args=[activity.pk]))
    assert '<td class="text-end">1.200</td>' in response.text
    assert "Tổng cộng 2 cơ sở, 1.203 người." in response.text  # 1 200 + the fixture's 3


def test_list_groups_people_with_dots(client, staff, activity, other_facility):
    Participation.objects.create(activity=activity, facility=other_facility, people=1_200)
    client.force_login(staff)
    response = client.get(reverse("assessments:activity_list"))
    assert '<td class="text-end">1.203</td>' in response.text
