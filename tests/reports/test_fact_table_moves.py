"""A row moved to another facility (an annual report, an assessment, a participation, or an
option moved to another facility's assessment) changes the facts of both facilities: the one it
leaves stops counting it. And a rebuild makes the cached answers go as well."""

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.data_version import KEY, bump
from core.models import DataVersion
from reports.fact_models import FacilityYearFact

from ..factories import AssessmentFactory, OptionFactory
from .indicator_helpers import facility, report, workshop
from .test_fact_table import rules_rows, stored_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(db):
    giver = facility(name="Cơ sở chuyển đi")
    taker = facility(name="Cơ sở nhận")
    return giver, taker


def test_a_report_moved_to_another_facility_leaves_the_first_one(two):
    giver, taker = two
    moved = report(giver, 2017, aware=True, applies_cp=True, has_cp_unit=True)
    stored_rows()
    moved.facility = taker
    moved.save()
    assert stored_rows() == rules_rows()
    assert not FacilityYearFact.objects.filter(facility_id=giver.pk, y=2017, aware=True).exists()


def test_an_assessment_participation_and_option_moved_leave_the_first_facility(two):
    giver, taker = two
    assessment = AssessmentFactory(facility=giver)
    option = OptionFactory(assessment=assessment, implementation_year=2018)
    activity = workshop(giver, date(2018, 5, 1))
    stored_rows()
    participation = activity.participation_set.get(facility=giver)
    participation.facility = taker
    participation.save()
    assert stored_rows() == rules_rows()
    option.assessment = AssessmentFactory(facility=taker)
    option.save()
    assert stored_rows() == rules_rows()
    assessment.facility = taker
    assessment.save()
    assert stored_rows() == rules_rows()


def test_the_api_figure_follows_a_moved_report(client, official, two):
    giver, taker = two
    moved = report(giver, 2017, aware=True)
    api = reverse("api:indicators") + "?year=2017"
    client.force_login(official)

    def aware():
        rows = client.get(api).json()["indicators"]
        row = next(r for r in rows if r["code"] == "AWARE_PCT")
        return row["numerator"], row["denominator"]

    assert aware() == (1, 2)
    moved.facility = taker
    moved.save()
    assert aware() == (1, 2)  # one aware facility of two, not two


def test_a_rebuild_replaces_the_cached_answers(two):
    report(two[0], 2017, aware=True)
    before = bump()
    call_command("rebuild_facts")
    assert DataVersion.objects.get(key=KEY).token != before
