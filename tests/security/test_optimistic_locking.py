"""Optimistic locking of facility and annual-report edits: of two people who loaded the same edit
page, the second to save gets a conflict message and nothing is overwritten."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import AnnualReport
from facilities.models import Facility

from ..factories import AnnualReportFactory, UserFactory
from ..locking_helpers import loaded_form_data, logged_in

pytestmark = pytest.mark.django_db
FACILITY_CONFLICT = "Cơ sở này vừa được người khác cập nhật"
REPORT_CONFLICT = "Báo cáo này vừa được người khác cập nhật"
RELOAD = "vui lòng tải lại trang và nhập lại thay đổi"


def test_facility_second_concurrent_edit_gets_a_conflict(staff, facility):
    url = reverse("facilities:edit", args=[facility.pk])
    first, second = logged_in(staff), logged_in(UserFactory(role="staff"))
    first_data = loaded_form_data(first.get(url))
    second_data = loaded_form_data(second.get(url))
    assert first_data["version"] == second_data["version"] == facility.version

    response = first.post(url, {**first_data, "contact_name": "Người sửa thứ nhất"})
    assert response.status_code == 302
    response = second.post(url, {**second_data, "contact_name": "Người sửa thứ hai"})

    assert response.status_code == 200
    assert FACILITY_CONFLICT in response.text and RELOAD in response.text
    facility.refresh_from_db()
    assert facility.contact_name == "Người sửa thứ nhất"
    assert facility.version == first_data["version"] + 1
    form = response.context["form"]  # the latest values, to be edited again
    assert not form.is_bound
    assert form.initial["contact_name"] == "Người sửa thứ nhất"
    assert form.initial["version"] == facility.version
    assert f'value="{facility.version}"' in response.text


def test_facility_user_conflicts_with_staff(staff, facility_user, facility):
    url = reverse("facilities:edit", args=[facility.pk])
    own, office = logged_in(facility_user), logged_in(staff)
    own_data = loaded_form_data(own.get(url))
    office_data = loaded_form_data(office.get(url))
    office.post(url, {**office_data, "contact_phone": "0220 3 888 888"})
    response = own.post(url, {**own_data, "contact_phone": "0912 000 000"})
    assert FACILITY_CONFLICT in response.text
    facility.refresh_from_db()
    assert facility.contact_phone == "0220 3 888 888"


def test_facility_normal_edits_follow_one_another(staff, facility):
    url = reverse("facilities:edit", args=[facility.pk])
    client = logged_in(staff)
    for name in ("Lần một", "Lần hai"):
        data = loaded_form_data(client.get(url))
        response = client.post(url, {**data, "contact_name": name})
        assert response.status_code == 302
        facility.refresh_from_db()
        assert facility.contact_name == name
    assert facility.version == 3
    assert facility.history.count() == 3  # create + two edits; the version is not history


def test_any_save_bumps_the_version_in_sql(facility):
    stale = Facility.objects.get(pk=facility.pk)
    facility.save()
    stale.save()  # no lost increment, even from an out-of-date instance
    facility.refresh_from_db()
    assert facility.version == stale.version == 3
    facility.save(update_fields=["contact_name"])
    assert facility.version == 4


@pytest.fixture
def draft(facility):
    return AnnualReportFactory(facility=facility, year=2019, state="draft")


def test_report_second_concurrent_edit_gets_a_conflict(facility_user, draft):
    url = reverse("assessments:report_edit", args=[draft.pk])
    colleague = UserFactory(role="facility")
    colleague.facilities.add(draft.facility)
    first, second = logged_in(facility_user), logged_in(colleague)
    first_data = loaded_form_data(first.get(url))
    second_data = loaded_form_data(second.get(url))
    assert 'name="version"' in first.get(url).text

    assert first.post(url, {**first_data, "output": "1500"}).status_code == 302
    response = second.post(url, {**second_data, "output": "2500"})

    assert response.status_code == 200
    assert REPORT_CONFLICT in response.text and RELOAD in response.text
    draft.refresh_from_db()
    assert draft.output == Decimal("1500")
    assert draft.version == first_data["version"] + 1
    assert response.context["form"].initial["output"] == Decimal("1500")
    assert draft.events.filter(action="save").count() == 1


def test_report_normal_edit_still_works(staff, draft):
    url = reverse("assessments:report_edit", args=[draft.pk])
    client = logged_in(staff)
    data = loaded_form_data(client.get(url))
    response = client.post(url, {**data, "water_m3": "3000"})
    assert response.status_code == 302
    report = AnnualReport.objects.get(pk=draft.pk)
    assert (report.water_m3, report.state, report.version) == (3000, "approved", 2)
