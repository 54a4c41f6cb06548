"""The annual-report import (web page and `import_annual_reports`) approves every report it
writes, so it is held to the savings cap seen from the baseline (AnnualReport.baseline_use_errors)
like any approval: a row whose consumption figure falls below what the pursued options of an
assessment with that baseline year save together is a row-numbered problem, and nothing at all is
written."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.importing import apply_import, plan_file
from assessments.models import AnnualReport
from core.locking import ConcurrentChange
from facilities.models import Facility

from ..factories import AnnualReportFactory, AssessmentFactory, FacilityFactory, OptionFactory
from ..import_commands import run_import, run_import_failing
from .import_helpers import csv_bytes, report_row
from .test_baseline_use import SAVED_KWH, baseline_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(facility):
    """A draft assessment with baseline year 2019 whose options save 700.000 kWh a year."""
    assessment = AssessmentFactory(facility=facility, state="draft", baseline_year=2019)
    for kwh in SAVED_KWH:
        OptionFactory(assessment=assessment, electricity_saving_kwh=kwh)
    return assessment


def _rows(facility, kwh):
    """Row 2: another facility's report (fine); row 3: the facility's 2019 report."""
    return [
        report_row(FacilityFactory(), year=2019),
        report_row(facility, year=2019, electricity_kwh=str(kwh)),
    ]


def _plan(rows):
    return plan_file(io.BytesIO(csv_bytes(rows)), "bao-cao.csv")


@pytest.mark.parametrize("stored", [None, "submitted", "approved"])
def test_a_row_below_the_savings_is_a_row_problem(facility, assessment, stored):
    if stored:
        AnnualReportFactory(facility=facility, year=2019, state=stored, electricity_kwh=800_000)
    plan = _plan(_rows(facility, 600_000))
    assert [(p.row, p.column, p.message) for p in plan.problems] == [
        (3, "electricity_kwh", baseline_error(assessment, 600_000))
    ]


def test_a_row_that_covers_the_savings_plans(facility, assessment):
    assert _plan(_rows(facility, sum(SAVED_KWH))).problems == []


def test_an_approved_figure_the_file_keeps_is_not_checked_again(facility):
    # Stored before the cap: re-importing the same figure (or a higher one) is not refused.
    AnnualReportFactory(facility=facility, year=2019, electricity_kwh=500_000)
    assessment = AssessmentFactory(facility=facility, state="draft", baseline_year=2019)
    for kwh in SAVED_KWH:
        OptionFactory(assessment=assessment, electricity_saving_kwh=kwh)
    assert _plan(_rows(facility, 500_000)).problems == []
    assert _plan(_rows(facility, 600_000)).problems == []
    assert [p.row for p in _plan(_rows(facility, 400_000)).problems] == [3]


def test_the_page_writes_nothing(client, staff, facility, assessment):
    client.force_login(staff)
    upload = SimpleUploadedFile("bao-cao.csv", csv_bytes(_rows(facility, 600_000)))
    response = client.post(reverse("assessments:report_import"), {"file": upload})
    assert response.status_code == 200
    assert baseline_error(assessment, 600_000) in response.text
    assert not AnnualReport.objects.exists()


def test_the_command_writes_nothing(tmp_path, facility, assessment):
    path = tmp_path / "bao-cao.csv"
    path.write_bytes(csv_bytes(_rows(facility, 600_000)))
    lines = run_import_failing("import_annual_reports", path)
    assert lines == [f"row 3, column electricity_kwh: {baseline_error(assessment, 600_000)}"]
    assert not AnnualReport.objects.exists()
    assert Facility.objects.count() == 2


def test_the_command_imports_figures_that_cover_the_savings(tmp_path, facility, assessment):
    path = tmp_path / "bao-cao.csv"
    path.write_bytes(csv_bytes(_rows(facility, sum(SAVED_KWH))))
    run_import("import_annual_reports", path)
    assert AnnualReport.objects.approved().count() == 2


# --- what changed between the check and the write -------------------------------------------


def test_an_option_added_after_the_check_refuses_the_file(staff, facility, assessment):
    # The file's 2019 figure covers the options as they were checked; an option added before
    # the write makes it fall short: nothing is written (core.locking.ConcurrentChange).
    plan = _plan(_rows(facility, sum(SAVED_KWH)))
    assert plan.is_valid
    OptionFactory(assessment=assessment, electricity_saving_kwh=50_000)
    with pytest.raises(ConcurrentChange):
        apply_import(plan, user=staff)
    assert not AnnualReport.objects.exists()
    assert plan.problems == []


def test_a_report_saved_after_the_check_refuses_the_file(staff, facility):
    stored = AnnualReportFactory(facility=facility, year=2019, state="submitted")
    plan = _plan(_rows(facility, 900_000))
    stored.electricity_kwh = 123_456
    stored.save()
    with pytest.raises(ConcurrentChange):
        apply_import(plan, user=staff)
    stored.refresh_from_db()
    assert (stored.state, stored.electricity_kwh) == ("submitted", 123_456)
    assert AnnualReport.objects.count() == 1


def test_the_page_says_the_data_changed(client, staff, facility, assessment, monkeypatch):
    from assessments import importing

    planned = importing.plan_file

    def plan_then_an_option_is_added(*args, **kwargs):
        plan = planned(*args, **kwargs)
        OptionFactory(assessment=assessment, electricity_saving_kwh=50_000)
        return plan

    monkeypatch.setattr(importing, "plan_file", plan_then_an_option_is_added)
    client.force_login(staff)
    upload = SimpleUploadedFile("bao-cao.csv", csv_bytes(_rows(facility, sum(SAVED_KWH))))
    response = client.post(reverse("assessments:report_import"), {"file": upload}, follow=True)
    assert "Dữ liệu vừa bị thay đổi đồng thời" in response.text
    assert not AnnualReport.objects.exists()
