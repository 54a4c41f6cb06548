"""No model's admin reverts to an old version from its history (core.history_admin): a revert
would save the old values past the change form's rules; the history itself stays readable."""

import pytest
from django.urls import reverse

from facilities.models import Facility

from ..factories import ActivityFactory, FacilityFactory

pytestmark = pytest.mark.django_db


def _renamed(make):
    obj = make()
    field = "name" if hasattr(obj, "name") else "title"
    setattr(obj, field, "Tên mới sau khi sửa")
    obj.save()
    return obj, field


@pytest.mark.parametrize(
    "make, route",
    [
        (FacilityFactory, "facilities_facility"),
        (ActivityFactory, "assessments_activity"),
    ],
)
def test_the_history_is_read_but_never_reverted(admin_client, make, route):
    obj, field = _renamed(make)
    first = obj.history.order_by("history_date").first()
    url = reverse(f"admin:{route}_simple_history", args=[obj.pk, first.history_id])

    shown = admin_client.get(url)
    assert shown.status_code == 200 and shown.context["revert_disabled"]

    response = admin_client.post(url, {field: getattr(first, field)})

    assert response.status_code == 403
    obj.refresh_from_db()
    assert getattr(obj, field) == "Tên mới sau khi sửa"


def test_the_history_list_still_opens(admin_client):
    facility = FacilityFactory()
    url = reverse("admin:facilities_facility_history", args=[facility.pk])
    assert admin_client.get(url).status_code == 200
    assert Facility.objects.filter(pk=facility.pk).exists()
