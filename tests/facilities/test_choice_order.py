"""Choices of facilities and units in Vietnamese alphabetical order, whatever the database's
collation (C here: "Đ" after "Z"): a staff member picking a facility for an assessment finds
"Công ty Đại Việt" after "Công ty Dũng Tiến", not at the end of the list."""

import re

import pytest
from django.urls import reverse

from ..factories import FacilityFactory

pytestmark = pytest.mark.django_db

NAMES = ["Công ty Tân Phát", "Công ty Đại Việt", "Công ty Tam Hợp", "Công ty Dũng Tiến"]
IN_ORDER = ["Công ty Dũng Tiến", "Công ty Đại Việt", "Công ty Tam Hợp", "Công ty Tân Phát"]


def test_assessment_form_offers_facilities_in_vietnamese_order(client, staff):
    for name in NAMES:
        FacilityFactory(name=name)
    client.force_login(staff)
    page = client.get(reverse("assessments:assessment_create")).text
    select = re.search(r'<select name="facility".*?</select>', page, re.S).group(0)
    # Each choice reads "name (tax code)".
    offered = re.findall(r'<option value="\d+"[^>]*>([^<(]+) \(', select)
    assert [name for name in offered if name in NAMES] == IN_ORDER
