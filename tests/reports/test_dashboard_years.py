"""The dashboard offers and shows the plan's years up to this year only: a later year of the
period would show last year's cumulative shares (awareness, applying SXSH) judged against the
targets, as if a future year's targets were already met."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import PlanPeriod

from .indicator_helpers import facility, report

pytestmark = pytest.mark.django_db

URL = reverse("reports:dashboard")


@pytest.fixture
def current_period(db):
    this_year = timezone.localdate().year
    PlanPeriod.objects.create(
        code="cur", name="Giai đoạn hiện tại", start_year=this_year - 1, end_year=this_year + 4
    )
    report(facility(), this_year - 1, aware=True, applies_cp=True)
    return this_year


def test_the_year_list_stops_at_this_year(client, official, current_period):
    client.force_login(official)

    response = client.get(URL, {"year": current_period - 1})

    assert response.status_code == 200
    offered = [value for value, _label in response.context["form"].fields["year"].choices]
    assert current_period in offered and current_period - 1 in offered
    assert max(offered) == current_period


def test_a_future_year_is_refused(client, official, current_period):
    client.force_login(official)

    response = client.get(URL, {"year": current_period + 2})

    assert response.status_code == 400
    assert "indicator-cards" not in response.text
    assert str(current_period + 2) not in response.text.split("<main", 1)[1]
