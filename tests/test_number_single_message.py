"""A number out of a field's bounds gets one message giving the real limit, not one per copy of
the bound (the model's "≥ 0" beside the form's "≥ 2"); and the staff home's count of operating
facilities links to the list behind it."""

import re

import pytest
from django.urls import reverse

from assessments.models import QualityRule

from .factories import FacilityFactory

pytestmark = pytest.mark.django_db


def test_a_bound_is_stated_once(client, staff):
    rule = QualityRule.objects.get(code="INTENSITY_OUT_OF_BAND")
    client.force_login(staff)
    data = {
        "severity": "info",
        "enabled": "on",
        "low_percentile": "5",
        "high_percentile": "95",
        "min_facilities": "-1",
    }
    response = client.post(reverse("assessments:quality_rule_edit", args=[rule.pk]), data)
    assert response.status_code == 200
    messages = re.findall(r"Bạn nhập -1[^<]*", response.text)
    assert len(set(messages)) == 1, messages


def test_the_operating_count_links_to_its_list(client, staff):
    FacilityFactory()
    FacilityFactory(status="closed", closed_year=2019)
    client.force_login(staff)
    page = client.get(reverse("home")).text
    link = re.search(r'<a href="([^"]+)" id="active-facilities">', page).group(1)
    listed = client.get(link.replace("&amp;", "&"))
    assert listed.context["page"].paginator.count == 1
