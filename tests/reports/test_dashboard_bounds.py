"""The dashboard's bounds: an indicator far above its target fills its progress bar and no more
(IndicatorResult.progress, 0–100); with no approved report at all it opens on this year when a
plan period covers it (reports.indicators.default_year)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import AnnualReport, PlanPeriod
from reports import indicators

from .indicator_helpers import facility, report

pytestmark = pytest.mark.django_db

URL = reverse("reports:dashboard")


def _card(html: str, code: str) -> str:
    """The card of indicator `code`: from its data-code up to the next card."""
    return html.split(f'data-code="{code}"', 1)[1].split("indicator-card", 1)[0]


def test_an_indicator_far_above_its_target_fills_the_bar_and_no_more(client, official):
    # Every facility aware: 100 % against the 2018 milestone of 74 % (target 90 % by 2020).
    for _ in range(3):
        report(facility(), 2018, aware=True)
    client.force_login(official)

    response = client.get(URL, {"year": 2018})

    assert response.status_code == 200
    card = _card(response.text, "AWARE_PCT")
    assert 'aria-valuenow="100"' in card and 'data-bar-width="100"' in card
    values = re.findall(r'(?:aria-valuenow|data-bar-width)="(\d+)"', response.text)
    assert values and max(int(v) for v in values) <= 100
    (aware,) = [r for r in response.context["results"].results if r.code == "AWARE_PCT"]
    assert aware.value.actual == 100 and aware.target[0] < 100
    assert aware.progress == 100


def test_without_approved_reports_it_opens_on_this_year(client, official):
    this_year = timezone.localdate().year
    PlanPeriod.objects.create(
        code="cur", name="Giai đoạn hiện tại", start_year=this_year - 1, end_year=this_year + 4
    )
    report(facility(), this_year - 1, state="submitted", aware=True)
    assert not AnnualReport.objects.approved().exists()

    client.force_login(official)

    response = client.get(URL)

    assert response.status_code == 200
    assert response.context["year"] == this_year
    assert indicators.default_year() == this_year
