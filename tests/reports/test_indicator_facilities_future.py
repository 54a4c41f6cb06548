"""The list of facilities behind a number is not given for a year still to come: the dashboard
and the API refuse such a year (its cumulative shares would read as targets already met)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from ops.demo_reports import ensure_report_periods

pytestmark = pytest.mark.django_db


def url(year: int) -> str:
    return reverse("reports:indicator_facilities", args=["AWARE_PCT", year, "numerator"])


def test_a_year_still_to_come_is_not_found(client, official):
    ensure_report_periods()  # the 2021–2030 period with its indicators
    client.force_login(official)
    this_year = timezone.localdate().year
    assert client.get(url(this_year + 1)).status_code == 404
    assert client.get(url(this_year)).status_code == 200
    assert client.get(url(2019)).status_code == 200
