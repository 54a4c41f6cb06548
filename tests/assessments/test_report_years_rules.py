"""The years a facility may have an annual report for (Facility.report_year_problem, the one
rule): not before the year it was established, not after the year it closed, not in the future.
The import (command and web page) refuses such rows, naming the row and the column `year`, and
writes nothing; the web form neither offers nor accepts such years."""

import io
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from assessments.models import AnnualReport, PlanPeriod
from facilities.models import Facility

from ..factories import FacilityFactory
from .import_helpers import csv_bytes, report_row
from .report_helpers import report_data

pytestmark = pytest.mark.django_db

LINE = re.compile(r"^row (\d+), column (\w+): (.+)$")

BEFORE_ESTABLISHED = (
    "Cơ sở không hoạt động trong năm 2016 (cơ sở thành lập năm 2019), không thể có báo cáo năm này."
)
AFTER_CLOSED = (
    "Cơ sở không hoạt động trong năm 2020 (cơ sở đã đóng cửa năm 2018), không thể có báo cáo "
    "năm này."
)


def run_failing(path) -> list[tuple[str, str, str]]:
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_annual_reports", str(path), stdout=out, stderr=io.StringIO())
    assert caught.value.returncode == 1
    return [m.groups() for m in map(LINE.match, out.getvalue().splitlines()) if m]


def write(tmp_path, rows):
    path = tmp_path / "bao-cao.csv"
    path.write_bytes(csv_bytes(rows))
    return path


def future_year() -> int:
    """Two years from now, inside a plan period (one is created when none covers it)."""
    year = timezone.localdate().year + 2
    if not PlanPeriod.objects.covering(year).exists():
        PlanPeriod.objects.create(
            code="future-test", name="Kỳ kế hoạch thử", start_year=year - 1, end_year=year + 3
        )
    return year


@pytest.fixture
def established_2019():
    return FacilityFactory(established_year=2019)


@pytest.fixture
def closed_2018():
    return FacilityFactory(established_year=2010, status="closed", closed_year=2018)


# --- the rule ---------------------------------------------------------------------------------


def test_the_rule():
    today = date(2026, 3, 1)
    facility = Facility(established_year=2019)
    assert facility.report_year_problem(2019, today) is None
    assert str(facility.report_year_problem(2016, today)) == (BEFORE_ESTABLISHED)
    closed = Facility(established_year=2010, status="closed", closed_year=2018)
    assert closed.report_year_problem(2018, today) is None
    assert str(closed.report_year_problem(2020, today)) == (AFTER_CLOSED)
    assert Facility().report_year_problem(2026, today) is None  # no years known: only "now"
    assert str(Facility().report_year_problem(2028, today)) == (
        "Năm 2028 chưa đến, chưa thể có báo cáo năm này."
    )


# --- the import command -----------------------------------------------------------------------


def test_import_refuses_a_year_before_the_facility_was_established(tmp_path, established_2019):
    rows = [report_row(established_2019, year=2019), report_row(established_2019, year=2016)]
    assert run_failing(write(tmp_path, rows)) == [
        ("3", "year", BEFORE_ESTABLISHED),
    ]
    assert not AnnualReport.objects.exists()  # the valid row 2 is not written either


def test_import_refuses_a_year_after_the_facility_closed(tmp_path, closed_2018):
    rows = [report_row(closed_2018, year=2018), report_row(closed_2018, year=2020)]
    assert run_failing(write(tmp_path, rows)) == [
        ("3", "year", AFTER_CLOSED),
    ]
    assert not AnnualReport.objects.exists()


def test_import_refuses_a_future_year(tmp_path):
    facility = FacilityFactory()
    year = future_year()
    rows = [report_row(facility, year=2019), report_row(facility, year=year)]
    assert run_failing(write(tmp_path, rows)) == [
        ("3", "year", f"Năm {year} chưa đến, chưa thể có báo cáo năm này."),
    ]
    assert not AnnualReport.objects.exists()


def test_import_accepts_the_first_and_the_last_operating_year(tmp_path, closed_2018):
    established = FacilityFactory(established_year=2016)
    rows = [report_row(established, year=2016), report_row(closed_2018, year=2018)]
    out = io.StringIO()
    call_command("import_annual_reports", str(write(tmp_path, rows)), stdout=out)
    assert AnnualReport.objects.approved().count() == 2


# --- the web import ---------------------------------------------------------------------------


def test_web_import_refuses_years_outside_operation(client, staff, established_2019, closed_2018):
    rows = [report_row(established_2019, year=2016), report_row(closed_2018, year=2020)]
    client.force_login(staff)
    upload = SimpleUploadedFile("bao-cao.csv", csv_bytes(rows), content_type="text/csv")
    response = client.post(reverse("assessments:report_import"), {"file": upload})
    assert response.status_code == 200
    assert [(p.row, p.column) for p in response.context["problems"]] == [
        (2, "year"),
        (3, "year"),
    ]
    assert BEFORE_ESTABLISHED in response.text
    assert AFTER_CLOSED in response.text
    assert not AnnualReport.objects.exists()


# --- the web form -----------------------------------------------------------------------------


def _create(facility):
    return reverse("assessments:report_create", args=[facility.pk])


def test_the_form_offers_only_the_operating_years(client, staff, established_2019, closed_2018):
    future = future_year()  # a plan period reaching beyond this year: its years are not offered
    this_year = timezone.localdate().year
    client.force_login(staff)
    form = client.get(_create(established_2019)).context["form"]
    years = [y for y, _label in form.fields["year"].choices]
    assert 2019 in years and all(2019 <= y <= this_year for y in years) and future not in years
    form = client.get(_create(closed_2018)).context["form"]
    years = [y for y, _label in form.fields["year"].choices]
    assert 2018 in years and max(years) == 2018


def test_the_form_refuses_a_year_outside_operation(client, staff, established_2019, closed_2018):
    client.force_login(staff)
    response = client.post(_create(established_2019), report_data(year="2016"))
    assert response.status_code == 200
    assert "year" in response.context["form"].errors
    response = client.post(_create(closed_2018), report_data(year="2020"))
    assert response.status_code == 200
    assert "year" in response.context["form"].errors
    assert not AnnualReport.objects.exists()
