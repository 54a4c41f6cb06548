"""A change to one year of a facility re-checks its other years, and a change to the facility's
fields that the rules read re-checks all its years, once the change commits
(assessments.signals): approving, reopening, correcting or importing a report, flagging the
facility as a key energy user. Findings that no longer hold are resolved, as a full re-check
resolves them."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from assessments import quality
from assessments.models import AnnualReport, QualityFinding

from ..facilities.edit_helpers import post_edit
from ..factories import AnnualReportFactory, FacilityFactory, IndustryCodeFactory
from .import_helpers import csv_bytes, report_row
from .report_helpers import report_data

pytestmark = pytest.mark.django_db

UNIT = "UNIT_CHANGED"
KEY_USER = "KEY_ENERGY_USER"


def open_codes(facility, year) -> set[str]:
    report = AnnualReport.objects.get(facility=facility, year=year)
    return set(
        QualityFinding.objects.open().filter(report=report).values_list("rule__code", flat=True)
    )


@pytest.fixture
def later_years(facility):
    """2018 and 2019 approved in tấn, with no finding."""
    reports = [AnnualReportFactory(facility=facility, year=year) for year in (2018, 2019)]
    for report in reports:
        quality.refresh_report(report)
        assert open_codes(facility, report.year) == set()
    return reports


def staff_post(client, facility, year, **overrides):
    url = reverse("assessments:report_create", args=[facility.pk])
    response = client.post(url, report_data(year=str(year), **overrides))
    assert response.status_code == 302, response.context["form"].errors
    return AnnualReport.objects.get(facility=facility, year=year)


# --- another year approved, reopened, corrected -----------------------------------------------


def test_a_late_baseline_in_another_unit_flags_the_later_years(
    client, staff, facility, later_years, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        staff_post(client, facility, 2017, product_unit="kg", output="1200000")
    for year in (2018, 2019):
        assert open_codes(facility, year) == {UNIT}
        finding = QualityFinding.objects.open().get(report__year=year, report__facility=facility)
        assert finding.params["args"]["year"] == 2017
        assert "khác đơn vị của năm cơ sở 2017 (“kg”)" in finding.message


def test_approving_a_submitted_year_flags_the_later_years(
    client, staff, facility, later_years, django_capture_on_commit_callbacks
):
    report = AnnualReportFactory(
        facility=facility, year=2017, state="submitted", product_unit="kg", output=1_200_000
    )
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("assessments:report_approve", args=[report.pk]), {"confirm": "1"})
    report.refresh_from_db()
    assert report.state == "approved"
    assert open_codes(facility, 2018) == open_codes(facility, 2019) == {UNIT}


def test_reopening_and_correcting_the_baseline_clears_the_later_years(
    client, staff, facility, later_years, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        report = staff_post(client, facility, 2017, product_unit="kg", output="1200000")
    stale = list(QualityFinding.objects.open().filter(rule__code=UNIT))
    assert len(stale) == 2

    reopen = reverse("assessments:report_reopen", args=[report.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reopen, {"confirm": "1", "text": "Sai đơn vị", "to_state": "draft"})
    # No longer approved: 2018 is the baseline again.
    assert open_codes(facility, 2018) == open_codes(facility, 2019) == set()

    data = report_data(product_unit="tấn", version=AnnualReport.objects.get(pk=report.pk).version)
    del data["year"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("assessments:report_edit", args=[report.pk]), data)
    assert response.status_code == 302
    assert AnnualReport.objects.get(pk=report.pk).state == "approved"
    assert open_codes(facility, 2018) == open_codes(facility, 2019) == set()
    for finding in stale:
        finding.refresh_from_db()
        assert finding.resolved_at is not None


def test_a_facility_draft_rechecks_nothing(
    client, staff, facility, later_years, django_capture_on_commit_callbacks, monkeypatch
):
    calls = []
    monkeypatch.setattr(quality, "refresh_facilities", lambda *a, **k: calls.append(a))
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        # a facility's draft: no other year reads it
        AnnualReportFactory(facility=facility, year=2017, state="draft", product_unit="kg")
    assert calls == []


def test_years_changed_together_are_checked_against_each_other(
    facility, django_capture_on_commit_callbacks
):
    # Each save leaves its own report to its writer; saved in one transaction, neither is.
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        AnnualReportFactory(facility=facility, year=2018, product_unit="kg")
        AnnualReportFactory(facility=facility, year=2019)
    assert open_codes(facility, 2018) == set()
    assert open_codes(facility, 2019) == {UNIT}


# --- the import ------------------------------------------------------------------------------


def run_import(rows, tmp_path, capture):
    path = tmp_path / "bao-cao.csv"
    path.write_bytes(csv_bytes(rows))
    with capture(execute=True):
        call_command("import_annual_reports", str(path), stdout=io.StringIO())


def test_an_import_rechecks_each_facility_once(
    facility, later_years, tmp_path, django_capture_on_commit_callbacks, monkeypatch
):
    other = FacilityFactory()
    refreshed = []
    refresh = quality.refresh_facilities
    monkeypatch.setattr(
        quality,
        "refresh_facilities",
        lambda ids, **kw: refreshed.append(set(ids)) or refresh(ids, **kw),
    )
    rows = [
        report_row(facility, year=2016, product_unit="kg", output="1200000"),
        report_row(facility, year=2017, product_unit="kg", output="1200000"),
        report_row(other, year=2017),
    ]
    run_import(rows, tmp_path, django_capture_on_commit_callbacks)
    assert refreshed == [{facility.pk, other.pk}]
    assert open_codes(facility, 2018) == open_codes(facility, 2019) == {UNIT}

    # The file corrected: the warnings it raised on the other years are resolved.
    rows = [
        report_row(facility, year=2016, product_unit="tấn"),
        report_row(facility, year=2017, product_unit="tấn"),
    ]
    run_import(rows, tmp_path, django_capture_on_commit_callbacks)
    assert open_codes(facility, 2018) == open_codes(facility, 2019) == set()
    assert not QualityFinding.objects.open().filter(rule__code=UNIT).exists()


# --- the facility ----------------------------------------------------------------------------


@pytest.fixture
def heavy_user(facility):
    """Two approved years of over 1,000 TOE at a facility not flagged: KEY_ENERGY_USER on both."""
    reports = [
        AnnualReportFactory(facility=facility, year=year, coal_t=Decimal(3000))
        for year in (2018, 2019)
    ]
    for report in reports:
        quality.refresh_report(report)
    assert open_codes(facility, 2018) == open_codes(facility, 2019) == {KEY_USER}
    return reports


def test_flagging_a_key_energy_user_resolves_its_findings(
    client, staff, facility, heavy_user, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_edit(client, facility, key_energy_user="on")
    assert response.status_code == 302
    facility.refresh_from_db()
    assert facility.key_energy_user
    assert open_codes(facility, 2018) == open_codes(facility, 2019) == set()
    assert (
        QualityFinding.objects.filter(rule__code=KEY_USER, resolved_at__isnull=False).count() == 2
    )

    # Unflagged again: the rule finds them again.
    facility.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        post_edit(client, facility)
    assert open_codes(facility, 2018) == open_codes(facility, 2019) == {KEY_USER}


def test_an_edit_of_other_fields_rechecks_nothing(
    client, staff, facility, heavy_user, django_capture_on_commit_callbacks, monkeypatch
):
    calls = []
    monkeypatch.setattr(quality, "refresh_facilities", lambda *a, **k: calls.append(a))
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_edit(client, facility, address="Số 9, Đường Trần Hưng Đạo")
    assert response.status_code == 302
    assert calls == []


def test_a_new_vsic_code_rechecks_the_reports(
    client, staff, facility, heavy_user, django_capture_on_commit_callbacks, monkeypatch
):
    # The division places the reports in their sector's band (INTENSITY_OUT_OF_BAND).
    calls = []
    monkeypatch.setattr(quality, "refresh_facilities", lambda *a, **k: calls.append(set(a[0])))
    paper = IndustryCodeFactory(code="17", name="Sản xuất giấy")
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_edit(client, facility, industry=paper.pk)
    assert response.status_code == 302
    assert calls == [{facility.pk}]
