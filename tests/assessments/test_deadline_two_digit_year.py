"""A date typed with a two-digit year is read day first, as Vietnamese write it, in either
language: "01/02/20" is 1 February 2020, never Django's month-first "%m/%d/%y" (2 January)."""

from datetime import date

import pytest
from django.urls import reverse

from assessments.models import ReportingDeadline

URL = reverse("assessments:deadline_list")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_two_digit_year_deadline_is_read_day_first(client, staff, language):
    client.force_login(staff)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    response = client.post(URL, {"year": 2019, "deadline": "01/02/20"})
    assert response.status_code == 302
    assert ReportingDeadline.objects.get(year=2019).deadline == date(2020, 2, 1)
