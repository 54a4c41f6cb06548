"""Optimistic locking of the assessment edit form: of two people who loaded the same edit page,
the second to save gets a conflict message and nothing is overwritten."""

import pytest
from django.urls import reverse

from ..factories import UserFactory
from ..locking_helpers import loaded_form_data, logged_in

pytestmark = pytest.mark.django_db
CONFLICT = "Đánh giá này vừa được người khác cập nhật"
RELOAD = "vui lòng tải lại trang và nhập lại thay đổi"


def test_second_concurrent_edit_gets_a_conflict(facility, facility_user, draft):
    colleague = UserFactory(role="facility")
    colleague.facilities.add(facility)
    url = reverse("assessments:assessment_edit", args=[draft.pk])
    first, second = logged_in(facility_user), logged_in(colleague)
    first_data = loaded_form_data(first.get(url))
    second_data = loaded_form_data(second.get(url))
    assert first_data["version"] == second_data["version"] == draft.version

    response = first.post(url, {**first_data, "consultant": "Viện Môi trường"})
    assert response.status_code == 302
    response = second.post(url, {**second_data, "consultant": "Trung tâm Tiết kiệm năng lượng"})

    assert response.status_code == 200
    assert CONFLICT in response.text and RELOAD in response.text
    draft.refresh_from_db()
    assert draft.consultant == "Viện Môi trường"
    assert draft.version == first_data["version"] + 1
    assert draft.history.count() == 2  # created, then the first edit only
    form = response.context["form"]  # the latest values, to be edited again
    assert not form.is_bound
    assert form.initial["consultant"] == "Viện Môi trường"
    assert f'name="version" value="{draft.version}"' in response.text


def test_staff_conflicts_with_the_representative(staff, facility_user, draft):
    url = reverse("assessments:assessment_edit", args=[draft.pk])
    own, office = logged_in(facility_user), logged_in(staff)
    office_data = loaded_form_data(office.get(url))
    own_data = loaded_form_data(own.get(url))
    own.post(url, {**own_data, "funding_source": "Khuyến công địa phương"})
    response = office.post(url, {**office_data, "funding_source": "Ngân sách tỉnh"})
    assert CONFLICT in response.text
    draft.refresh_from_db()
    assert (draft.funding_source, draft.state) == ("Khuyến công địa phương", "draft")
