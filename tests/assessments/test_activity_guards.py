"""assessments:activity_create sent twice stores one activity (the one-time form token of the
assessment and option forms); a participant row names a facility operating in the activity's year
and at most Participation.MAX_PEOPLE people."""

import re

import pytest
from django.urls import reverse

from assessments.models import Activity, Participation
from facilities.models import Facility

from .test_activity_create import _form

pytestmark = pytest.mark.django_db

URL = reverse("assessments:activity_create")
TOKEN = re.compile(r'name="form_token"[^>]*data-form-token="([0-9a-f]{32})"')
ALREADY_CREATED = "hoạt động đã được lưu trước đó; không tạo thêm hoạt động trùng"


def _loaded_form(client, facilities=(), **changes) -> dict:
    """What the browser posts back from a freshly loaded form, filled in (the page's script
    copies the offered token into the form)."""
    token = TOKEN.search(client.get(URL).text).group(1)
    return _form(facilities, form_token=token, **changes)


def test_the_same_form_sent_twice_creates_one_activity(client, staff, facility):
    client.force_login(staff)
    data = _loaded_form(client, [(facility, 3)])

    first = client.post(URL, data)
    again = client.post(URL, data, follow=True)

    activity = Activity.objects.get()
    assert first.url == activity.get_absolute_url()
    assert again.redirect_chain[-1][0] == activity.get_absolute_url()
    assert ALREADY_CREATED in again.text
    assert list(Participation.objects.values_list("people", flat=True)) == [3]
    assert activity.history.count() == 1


def test_each_newly_loaded_form_adds_its_own(client, staff, facility):
    client.force_login(staff)
    first = _loaded_form(client, [(facility, 3)])
    second = _loaded_form(client, [(facility, 4)], title="Hội thảo SXSH ngành dệt may")
    for data in (first, first, second, second):
        client.post(URL, data)
    assert Activity.objects.count() == 2


def test_the_edit_form_carries_no_token(client, staff, activity):
    client.force_login(staff)
    page = client.get(reverse("assessments:activity_edit", args=[activity.pk])).text
    assert "form_token" not in page


def test_too_many_people_for_one_facility_are_refused(client, staff, facility, other_facility):
    client.force_login(staff)
    response = client.post(URL, _form([(facility, 2_000_000_000), (other_facility, 10_000)]))
    assert response.status_code == 200
    rows = response.context["formset"].forms
    assert rows[0].errors["people"] == [
        "Số người tham gia của một cơ sở không được vượt quá 10.000."
    ]
    assert not rows[1].errors  # 10.000 is allowed
    assert not Activity.objects.exists()
    assert not Participation.objects.exists()


def test_a_facility_closed_before_the_activity_is_refused(client, staff, facility, other_facility):
    Facility.objects.filter(pk=facility.pk).update(status="closed", closed_year=2017)
    client.force_login(staff)
    response = client.post(URL, _form([(other_facility, 2), (facility, 3)], date="2018-09-12"))
    assert response.status_code == 200
    rows = response.context["formset"].forms
    assert rows[1].errors["facility"] == [
        "Cơ sở “Công ty Cổ phần Bia Hải Dương” không hoạt động trong năm 2018 của hoạt động "
        "(cơ sở đã đóng cửa năm 2017)."
    ]
    assert not Activity.objects.exists()
    # In the year it closed it still took part.
    assert client.post(URL, _form([(facility, 3)], date="2017-05-04")).status_code == 302


def test_a_facility_established_after_the_activity_is_refused(client, staff, facility):
    Facility.objects.filter(pk=facility.pk).update(established_year=2019)
    client.force_login(staff)
    response = client.post(URL, _form([(facility, 3)], date="2018-09-12"))
    assert response.context["formset"].forms[0].errors["facility"] == [
        "Cơ sở “Công ty Cổ phần Bia Hải Dương” không hoạt động trong năm 2018 của hoạt động "
        "(cơ sở thành lập năm 2019)."
    ]
    assert not Activity.objects.exists()


def test_moving_an_activity_past_a_participants_closing_is_refused(client, staff, activity):
    """The existing participant row is checked against the activity's new date."""
    facility = activity.participation_set.get().facility
    Facility.objects.filter(pk=facility.pk).update(status="closed", closed_year=2017)
    client.force_login(staff)
    participation = activity.participation_set.get()
    data = _form(
        date="2019-03-01",
        version=str(activity.version),
        **{
            "participants-TOTAL_FORMS": "1",
            "participants-INITIAL_FORMS": "1",
            "participants-0-id": str(participation.pk),
            "participants-0-activity": str(activity.pk),
            "participants-0-facility": str(facility.pk),
            "participants-0-people": "3",
        },
    )
    response = client.post(reverse("assessments:activity_edit", args=[activity.pk]), data)
    assert response.status_code == 200
    assert "facility" in response.context["formset"].forms[0].errors
    activity.refresh_from_db()
    assert activity.date.year == 2017
