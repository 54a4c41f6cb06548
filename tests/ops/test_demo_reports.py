"""seed_demo's annual reports: operating years only, plausible, rising awareness, reproducible."""

from collections import Counter
from decimal import Decimal

import pytest
from django.db import transaction

from accounts.models import User
from assessments.energy import Factors, energy_intensity
from assessments.models import AnnualReport, DeadlineException, WorkflowEvent
from ops.demo import seed_demo

pytestmark = pytest.mark.django_db

COUNT = 24


@pytest.fixture(autouse=True)
def _bac_ninh(settings):
    settings.PORTAL_PROVINCE_CODE = 27


@pytest.fixture
def seeded():
    return seed_demo(facilities=COUNT, seed=11)


def snapshot():
    return sorted(
        AnnualReport.objects.values_list(
            "facility__tax_code", "year", "state", "output", "electricity_kwh", "aware"
        )
    )


def test_reports_for_operating_years_only(seeded):
    assert seeded["reports_created"] == AnnualReport.objects.count() > COUNT * 3
    for report in AnnualReport.objects.select_related("facility"):
        facility = report.facility
        assert 2016 <= report.year <= 2020
        assert (facility.established_year or 0) <= report.year
        assert facility.closed_year is None or report.year <= facility.closed_year
        assert report.output > 0 and report.electricity_kwh > 0
        assert report.product and report.product_unit


def test_mostly_approved_with_a_demo_queue(seeded):
    states = Counter(AnnualReport.objects.values_list("state", flat=True))
    assert states["approved"] > 0.8 * sum(states.values())
    assert states["submitted"] >= 3 and states["returned"] >= 1 and states["draft"] >= 1
    coso = User.objects.get(username="coso").facilities.get()
    returned = coso.annual_reports.get(year=2020)
    assert returned.state == "returned" and returned.review_comment
    assert DeadlineException.objects.filter(facility=coso, year=2020).exists()


def test_every_report_has_its_workflow_steps(seeded):
    for report in AnnualReport.objects.all():
        steps = list(WorkflowEvent.objects.filter(report=report).values_list("to_state", flat=True))
        assert steps[-1] == report.state


def test_awareness_and_application_rise(seeded):
    def share(year, flag):
        reports = AnnualReport.objects.filter(year=year)
        return reports.filter(**{flag: True}).count() / reports.count()

    assert share(2016, "aware") < share(2018, "aware") < share(2020, "aware")
    assert share(2016, "applies_cp") < share(2020, "applies_cp")


def test_some_facilities_use_less_energy_per_unit(seeded):
    factors = Factors.load()
    falling = 0
    for reports in _by_facility().values():
        if len(reports) >= 3 and reports[-1].applies_cp:
            first, last = (
                energy_intensity(reports[0], factors),
                energy_intensity(reports[-1], factors),
            )
            falling += last < first * Decimal("0.95")
    assert falling >= 2


def _by_facility() -> dict:
    result = {}
    for report in AnnualReport.objects.order_by("facility_id", "year"):
        result.setdefault(report.facility_id, []).append(report)
    return result


def test_same_seed_same_reports():
    with transaction.atomic():
        seed_demo(facilities=COUNT, seed=11)
        first = snapshot()
        transaction.set_rollback(True)
    assert not AnnualReport.objects.exists()
    seed_demo(facilities=COUNT, seed=11)
    assert snapshot() == first


def test_running_again_adds_nothing(seeded):
    before = snapshot()
    again = seed_demo(facilities=COUNT, seed=11)
    assert again["reports_created"] == 0
    assert snapshot() == before
