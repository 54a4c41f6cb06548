"""A facility's operating years (established, closed) cannot leave out the years it already has
annual reports for: the import command, the edit form and the close form refuse such a change
(Facility.records_outside_years), as the report form and import refuse a report for a year the
facility was not operating; otherwise those reports would silently drop out of the figures.
The activities and options the rule also covers: test_h10_operating_years_records.py."""

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Participation
from facilities.importing import plan_import
from facilities.models import Facility
from tests.factories import (
    ActivityFactory,
    AnnualReportFactory,
    FacilityFactory,
    IndustryCodeFactory,
    OptionFactory,
)

from ..factories import make_tax_code
from .edit_helpers import post_edit
from .import_helpers import csv_bytes, good_row, make_references

TAIL = "nếu các mục đó ghi sai, đề nghị quản trị viên sửa hoặc xoá chúng trước."
AFTER_CLOSING = (
    "Cơ sở đã có báo cáo năm 2018, 2019, 2020 sau năm đóng cửa 2017: kiểm tra lại năm đóng cửa; "
    + TAIL
)
BEFORE_ESTABLISHED = (
    "Cơ sở đã có báo cáo năm 2018 trước năm thành lập 2020: kiểm tra lại năm thành lập; " + TAIL
)


def _reports(facility, *years, state="approved"):
    for year in years:
        AnnualReportFactory(facility=facility, year=year, state=state)


# --- The import command -----------------------------------------------------------------------


@pytest.fixture
def references(db, settings):
    settings.PORTAL_PROVINCE_CODE = 27
    make_references()


def _imported(tmp_path, n=1, **overrides) -> Facility:
    """A facility registered by an import (so in the portal's territory), as good_row(n)."""
    path = tmp_path / "dau.csv"
    path.write_bytes(csv_bytes([good_row(n, **overrides)]))
    call_command("import_facilities", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    return Facility.objects.get(tax_code=make_tax_code(n))


def _import_failing(tmp_path, rows) -> list[str]:
    path = tmp_path / "sau.csv"
    path.write_bytes(csv_bytes(rows))
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_facilities", str(path), stdout=out, stderr=io.StringIO())
    assert caught.value.returncode == 1
    return out.getvalue().splitlines()


def _import(tmp_path, rows) -> str:
    path = tmp_path / "sau.csv"
    path.write_bytes(csv_bytes(rows))
    out = io.StringIO()
    call_command("import_facilities", str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_import_refuses_closing_before_reported_years(references, tmp_path):
    facility = _imported(tmp_path)
    _reports(facility, 2016, 2017, 2018, 2019)
    _reports(facility, 2020, state="draft")  # any state: the report is there all the same
    lines = _import_failing(tmp_path, [good_row(1, status="closed", closed_year="2017")])
    assert f"row 2, column closed_year: {AFTER_CLOSING}" in lines
    facility.refresh_from_db()
    assert (facility.status, facility.closed_year, facility.version) == ("active", None, 1)


def test_import_refuses_establishing_after_a_reported_year(references, tmp_path):
    facility = _imported(tmp_path)
    _imported(tmp_path, 2)
    _reports(facility, 2018)
    rows = [good_row(1, established_year="2020"), good_row(2, established_year="2011")]
    lines = _import_failing(tmp_path, rows)
    assert lines[0] == f"row 2, column established_year: {BEFORE_ESTABLISHED}"
    facility.refresh_from_db()
    assert facility.established_year == 2010
    # Atomic: the other row's valid change is not written either.
    assert Facility.objects.get(tax_code=make_tax_code(2)).established_year == 2010


def test_import_accepts_closing_in_or_after_the_last_reported_year(references, tmp_path):
    facility = _imported(tmp_path)
    other = _imported(tmp_path, 2)
    _reports(facility, 2016, 2020)
    _reports(other, 2018)
    rows = [
        good_row(1, status="closed", closed_year="2020"),  # operating in the year it closed
        good_row(2, established_year="2018"),
    ]
    assert "cập nhật 2" in _import(tmp_path, rows)
    facility.refresh_from_db()
    assert (facility.status, facility.closed_year) == ("closed", 2020)
    assert Facility.objects.get(pk=other.pk).established_year == 2018


def test_plan_loads_dated_records_in_one_query_whatever_the_rows(references, tmp_path):
    def queries(count: int) -> int:
        rows = []
        for n in range(1, count + 1):
            facility = Facility.objects.filter(tax_code=make_tax_code(n)).first()
            if facility is None:
                facility = _imported(tmp_path, n)
                _reports(facility, 2015)
                # Activities and options are read in the same query (dated_records).
                activity = ActivityFactory(date=date(2014, 5, 1))
                Participation.objects.create(activity=activity, facility=facility)
                OptionFactory(assessment__facility=facility, implementation_year=2016)
            rows.append(good_row(n, status="closed", closed_year="2016"))
        with CaptureQueriesContext(connection) as context:
            plan = plan_import(rows)
        assert plan.to_update == count
        return len(context.captured_queries)

    assert queries(2) == queries(12)


# --- The edit and close forms -----------------------------------------------------------------


@pytest.fixture
def reported(db):
    facility = FacilityFactory(industry=IndustryCodeFactory(code="10", level=2))
    _reports(facility, 2016, 2017, 2018, 2019, 2020)
    return facility


def test_edit_form_refuses_closing_before_reported_years(client, staff, reported):
    client.force_login(staff)
    response = post_edit(client, reported, status="closed", closed_year="2017")
    assert response.status_code == 200
    assert response.context["form"].errors == {"closed_year": [AFTER_CLOSING]}
    reported.refresh_from_db()
    assert (reported.status, reported.closed_year) == ("active", None)


def test_edit_form_refuses_establishing_after_a_reported_year(client, staff):
    facility = FacilityFactory(industry=IndustryCodeFactory(code="10", level=2))
    _reports(facility, 2018)
    client.force_login(staff)
    response = post_edit(client, facility, established_year="2020")
    assert response.status_code == 200
    assert response.context["form"].errors == {"established_year": [BEFORE_ESTABLISHED]}
    facility.refresh_from_db()
    assert facility.established_year == 2010


def test_edit_form_accepts_years_around_the_reports(client, staff, reported):
    client.force_login(staff)
    response = post_edit(
        client, reported, status="closed", closed_year="2020", established_year="2016"
    )
    assert response.status_code == 302, response.context["form"].errors
    reported.refresh_from_db()
    assert (reported.established_year, reported.closed_year) == (2016, 2020)


def test_close_form_refuses_closing_before_reported_years(client, staff, reported):
    client.force_login(staff)
    response = client.post(reverse("facilities:close", args=[reported.pk]), {"closed_year": 2017})
    assert response.status_code == 200
    assert response.context["form"].errors == {"closed_year": [AFTER_CLOSING]}
    reported.refresh_from_db()
    assert (reported.status, reported.closed_year) == ("active", None)


def test_close_form_accepts_the_last_reported_year(client, staff, reported):
    client.force_login(staff)
    response = client.post(reverse("facilities:close", args=[reported.pk]), {"closed_year": 2020})
    assert response.status_code == 302
    reported.refresh_from_db()
    assert (reported.status, reported.closed_year) == ("closed", 2020)
