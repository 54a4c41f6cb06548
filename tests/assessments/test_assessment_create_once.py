"""assessments:assessment_create sent twice from the same form (the back button and "Lưu" again,
a double click, a reload that posts again): one assessment, and the second sending leads to it."""

import re

import pytest
from django.urls import reverse

from assessments.models import Assessment, WorkflowEvent

pytestmark = pytest.mark.django_db

URL = reverse("assessments:assessment_create")
ALREADY_CREATED = "đã được lưu trước đó; không tạo thêm đánh giá trùng"


def _loaded_form(client) -> dict:
    """What the browser posts back from a freshly loaded creation page, filled in (the page's
    script copies the offered token into the form)."""
    token = re.search(r'data-form-token="([0-9a-f]{32})"', client.get(URL).text).group(1)
    return {
        "form_token": token,
        "kind": "quick",
        "start_date": "05/03/2026",
        "consultant": "Trung tâm Khuyến công",
        "total_cost_vnd": "80.000.000",
        "supported_amount_vnd": "40.000.000",
    }


def test_the_same_form_sent_twice_creates_one_assessment(client, facility_user, facility):
    client.force_login(facility_user)
    data = _loaded_form(client)

    first = client.post(URL, data)
    again = client.post(URL, data, follow=True)

    assessment = Assessment.objects.get()
    assert first.url == assessment.get_absolute_url()
    assert again.redirect_chain[-1][0] == assessment.get_absolute_url()
    assert ALREADY_CREATED in again.text
    assert WorkflowEvent.objects.filter(assessment=assessment).count() == 1
    assert assessment.history.count() == 1


def test_staff_sending_twice_also_create_one(client, staff, facility):
    client.force_login(staff)
    data = {**_loaded_form(client), "facility": facility.pk}
    client.post(URL, data)
    client.post(URL, data)
    assert Assessment.objects.get().state == "approved"


def test_each_newly_loaded_form_creates_its_own(client, facility_user, facility):
    client.force_login(facility_user)  # a quick and then a detailed assessment, say
    quick = _loaded_form(client)
    # Within the 50 million a facility gets in all (TTLT 221/2012) with the quick one's.
    detailed = {**_loaded_form(client), "kind": "detailed", "supported_amount_vnd": "10.000.000"}
    for data in (quick, quick, detailed, detailed):
        client.post(URL, data)
    assert sorted(Assessment.objects.values_list("kind", flat=True)) == ["detailed", "quick"]


def test_a_refused_form_keeps_its_token(client, facility_user, facility):
    client.force_login(facility_user)
    data = _loaded_form(client)
    refused = client.post(URL, {**data, "supported_amount_vnd": "45.000.000"})
    assert refused.status_code == 200
    assert f'value="{data["form_token"]}"' in refused.text  # sent again as it was
    client.post(URL, data)
    client.post(URL, data)
    assert Assessment.objects.count() == 1
