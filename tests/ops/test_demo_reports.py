"""seed_demo's annual reports: operating years only, plausible, rising awareness, reproducible."""

from collections import Counter
from decimal import Decimal

import pytest
from django.db import transaction

from accounts.models import User
from assessments.energy import Factors, energy_intensity
from assessments.models import AnnualReport, DeadlineException, PlanPeriod, WorkflowEvent
from ops.demo import seed_demo

pytestmark = pytest.mark.django_db

COUNT = 24


@pytest.fixture(autouse=True)
def _bac_ninh(settings):
    settings.PORTAL_PROVINCE_CODE = 27  # pre-2025 code: means 2025 Bắc Ninh (24)


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
        assert 2016 <= report.year <= 2025
        assert (facility.established_year or 0) <= report.year
        assert facility.closed_year is None or report.year <= facility.closed_year
        assert report.output > 0 and report.electricity_kwh > 0
        assert report.product and report.product_unit
    years = set(AnnualReport.objects.values_list("year", flat=True))
    assert years == set(range(2016, 2026))
    assert years <= PlanPeriod.objects.years()  # reports are filed for plan years only


def test_a_2021_2030_plan_period_with_the_computed_indicators(seeded):
    period = PlanPeriod.objects.get(start_year=2021, end_year=2030)
    assert period.code == "2021-2030" and "889" in period.basis
    earlier = PlanPeriod.objects.get(code="2016-2020")
    codes = list(period.indicators.values_list("code", "method"))
    assert codes == list(earlier.indicators.values_list("code", "method"))
    targets = {i.code: i.target_display for i in period.indicators.all()}
    assert targets["AWARE_PCT"] == "95" and targets["APPLY_PCT"] == "60"
    assert targets["SAVING_PCT"] == "8-13"
    assert seeded["periods_created"] == 1
    assert seed_demo(facilities=COUNT, seed=11)["periods_created"] == 0
    assert PlanPeriod.objects.count() == 2


def test_an_existing_period_covering_those_years_is_kept():
    PlanPeriod.objects.create(
        code="KH-2021", name="Giai đoạn 2021–2025", start_year=2021, end_year=2025
    )
    summary = seed_demo(facilities=COUNT, seed=11)
    assert summary["periods_created"] == 0
    assert not PlanPeriod.objects.filter(code="2021-2030").exists()
    assert AnnualReport.objects.filter(year=2025).exists()


def test_reports_up_to_2025_for_facilities_of_both_old_provinces(seeded):
    latest = AnnualReport.objects.filter(year=2025).select_related("facility__commune__parent")
    old = {r.facility.commune.parent.parent_id for r in latest if r.facility.commune_id}
    assert len(old) == 2
    assert latest.filter(facility__commune__isnull=True).exists()  # registered by ward only


def test_mostly_approved_with_a_demo_queue(seeded):
    states = Counter(AnnualReport.objects.values_list("state", flat=True))
    assert states["approved"] > 0.8 * sum(states.values())
    assert states["submitted"] >= 3 and states["returned"] >= 1 and states["draft"] >= 1
    coso = User.objects.get(username="coso").facilities.get()
    returned = coso.annual_reports.get(year=2025)
    assert returned.state == "returned" and returned.review_comment
    assert DeadlineException.objects.filter(facility=coso, year=2025).exists()


def test_every_report_has_its_workflow_steps(seeded):
    for report in AnnualReport.objects.all():
        steps = list(WorkflowEvent.objects.filter(report=report).values_list("to_state", flat=True))
        assert steps[-1] == report.state


def test_awareness_and_application_rise(seeded):
    def share(year, flag):
        reports = AnnualReport.objects.filter(year=year)
        return reports.filter(**{flag: True}).count() / reports.count()

    assert share(2016, "aware") < share(2018, "aware") < share(2020, "aware")
    assert share(2020, "aware") < share(2025, "aware")
    assert share(2016, "applies_cp") < share(2020, "applies_cp") <= share(2025, "applies_cp")


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
