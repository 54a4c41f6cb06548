"""A write that fails part-way through an import leaves the database exactly as it was (issue 20):
the facility and annual-report imports from the web page (confirm, with its integrity-error
message), the management commands, and the Celery import job.

Real PostgreSQL, real commits (a transactional test database): each file creates two rows and then
changes an existing one; a trigger made by the test refuses that change as a concurrent unique key
would (SQLSTATE 23505), after the new rows have been written. Without the import's transaction the
new rows would stay. The trigger is dropped afterwards: the flush of the test database keeps it."""

import io
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection
from django.urls import reverse

from assessments.models import AnnualReport
from facilities import import_jobs
from facilities.models import AdminUnit, Facility, ImportJob

from .assessments.import_helpers import csv_bytes as report_csv
from .assessments.import_helpers import report_row
from .facilities.import_helpers import (
    COMMUNE,
    confirm_import,
    csv_bytes,
    good_row,
    make_references,
)
from .facilities.import_job_helpers import stored_job
from .factories import AnnualReportFactory, FacilityFactory

pytestmark = pytest.mark.django_db(transaction=True)

CONCURRENT = "Dữ liệu vừa bị thay đổi đồng thời; vui lòng nhập lại tệp."
COMMAND_CONCURRENT = (
    "Dữ liệu vừa bị thay đổi đồng thời; không có dữ liệu nào được ghi. Hãy chạy lại lệnh."
)
# Every table an import writes (rows and their history), compared row by row.
WRITTEN = (
    "facilities_facility",
    "facilities_historicalfacility",
    "assessments_annualreport",
    "assessments_historicalannualreport",
    "assessments_workflowevent",
)


def snapshot() -> dict:
    tables = {}
    with connection.cursor() as cursor:
        for table in WRITTEN:
            cursor.execute(f"SELECT * FROM {table} ORDER BY id")
            tables[table] = cursor.fetchall()
    return tables


def refuse_update(table: str, condition: str):
    """A BEFORE UPDATE trigger on `table` that raises unique_violation for rows matching
    `condition` (SQL over NEW)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            CREATE OR REPLACE FUNCTION test_refuse_update() RETURNS trigger AS $$
            BEGIN
                IF {condition} THEN
                    RAISE EXCEPTION 'duplicate key value (a concurrent change)'
                        USING ERRCODE = 'unique_violation';
                END IF;
                RETURN NEW;
            END $$ LANGUAGE plpgsql;
            CREATE TRIGGER test_refuse_update BEFORE UPDATE ON {table}
                FOR EACH ROW EXECUTE FUNCTION test_refuse_update();
            """
        )


@pytest.fixture
def triggers():
    yield refuse_update
    with connection.cursor() as cursor:
        for table in ("facilities_facility", "assessments_annualreport"):
            cursor.execute(f"DROP TRIGGER IF EXISTS test_refuse_update ON {table}")
        cursor.execute("DROP FUNCTION IF EXISTS test_refuse_update()")


# --- facilities -----------------------------------------------------------------------------------


@pytest.fixture
def facility_file(settings, triggers):
    """Two new facilities, then a change of an existing one that the database refuses."""
    settings.PORTAL_PROVINCE_CODE = 27
    make_references()
    commune = AdminUnit.objects.get(code=COMMUNE, level=AdminUnit.Level.COMMUNE)
    existing = FacilityFactory(tax_code=good_row(3)["tax_code"], name="Tên cũ", commune=commune)
    csv_rows = [good_row(1), good_row(2), good_row(3, name="Tên mới")]
    triggers("facilities_facility", f"NEW.id = {existing.pk}")
    return csv_bytes(csv_rows)


def assert_facilities_unchanged(before):
    assert snapshot() == before
    assert list(Facility.objects.values_list("name", flat=True)) == ["Tên cũ"]


def test_facility_import_page_rolls_back_and_says_why(client, staff, facility_file):
    client.force_login(staff)
    upload = SimpleUploadedFile("co-so.csv", facility_file)
    preview = client.post(reverse("facilities:import"), {"file": upload})
    assert preview.context["plan"].is_valid
    assert (preview.context["plan"].to_create, preview.context["plan"].to_update) == (2, 1)
    before = snapshot()

    response = confirm_import(client)

    assert response.status_code == 302
    assert response.url == reverse("facilities:import")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [CONCURRENT]
    assert_facilities_unchanged(before)


def test_facility_import_command_rolls_back(tmp_path, facility_file):
    path = tmp_path / "co-so.csv"
    path.write_bytes(facility_file)
    before = snapshot()

    with pytest.raises(CommandError) as refused:
        call_command("import_facilities", str(path), stdout=io.StringIO())
    # The command's own line and exit status, not a traceback (the cause is kept).
    assert refused.value.returncode == 1
    assert str(refused.value) == COMMAND_CONCURRENT
    assert isinstance(refused.value.__cause__, IntegrityError)

    assert_facilities_unchanged(before)


def test_facility_import_job_rolls_back(settings, staff, facility_file):
    job = stored_job(settings, facility_file, by=staff, name="co-so.csv")
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.IMPORTING)
    before = snapshot()

    assert import_jobs.import_job_run(job_id=job.pk) == import_jobs.Outcome.FAILED

    job.refresh_from_db()
    assert (job.state, job.error) == (ImportJob.State.FAILED, "Dữ liệu vừa bị thay đổi đồng thời.")
    assert_facilities_unchanged(before)


# --- annual reports -------------------------------------------------------------------------------


@pytest.fixture
def report_file(triggers):
    """Two new reports, then the replacement of an existing one that the database refuses."""
    first, second = FacilityFactory(), FacilityFactory()
    existing = AnnualReportFactory(facility=first, year=2018, output=777, state="submitted")
    rows = [
        report_row(first, year=2019),
        report_row(second, year=2019),
        report_row(first, year=2018, output="999"),
    ]
    triggers("assessments_annualreport", f"NEW.id = {existing.pk}")
    return report_csv(rows)


def assert_reports_unchanged(before):
    assert snapshot() == before
    assert list(AnnualReport.objects.values_list("year", "output", "state")) == [
        (2018, 777, "submitted")
    ]


def test_report_import_page_rolls_back_and_says_why(client, staff, report_file):
    client.force_login(staff)
    before = snapshot()

    response = client.post(
        reverse("assessments:report_import"),
        {"file": SimpleUploadedFile("bao-cao.csv", report_file, content_type="text/csv")},
    )

    assert response.status_code == 302
    assert response.url == reverse("assessments:report_import")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [CONCURRENT]
    assert_reports_unchanged(before)


def test_report_import_command_rolls_back(tmp_path, report_file):
    path = Path(tmp_path) / "bao-cao.csv"
    path.write_bytes(report_file)
    before = snapshot()

    with pytest.raises(CommandError) as refused:
        call_command("import_annual_reports", str(path), stdout=io.StringIO())
    # The command's own line and exit status, not a traceback (the cause is kept).
    assert refused.value.returncode == 1
    assert str(refused.value) == COMMAND_CONCURRENT
    assert isinstance(refused.value.__cause__, IntegrityError)

    assert_reports_unchanged(before)
