"""`python manage.py import_annual_reports FILE [--dry-run]` (DESIGN §5 "Commands")."""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import connection

from assessments.models import AnnualReport

from ..factories import FacilityFactory, make_tax_code
from ..import_commands import run_import_failing
from .import_helpers import SAMPLES, csv_bytes, load_sample_facilities, report_row

LINE = re.compile(r"^row (\d+), column (\w+): .+$")
PROJECT_ROOT = Path(django_settings.BASE_DIR)


def run(*args):
    out = io.StringIO()
    call_command("import_annual_reports", *map(str, args), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def run_failing(*args):
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_annual_reports", *map(str, args), stdout=out, stderr=io.StringIO())
    assert caught.value.returncode == 1
    return out.getvalue().splitlines()


def write(tmp_path, rows, name="bao-cao.csv"):
    path = tmp_path / name
    path.write_bytes(csv_bytes(rows))
    return path


def test_the_sample_file(db, settings):
    settings.PORTAL_PROVINCE_CODE = 27
    load_sample_facilities()
    output = run(SAMPLES / "annual_reports.csv")
    assert "thêm mới 110, thay thế 0 báo cáo" in output
    assert AnnualReport.objects.approved().count() == 110
    assert "thêm mới 0, thay thế 110" in run(SAMPLES / "annual_reports.csv")


def test_dry_run_writes_nothing(db, tmp_path):
    facility = FacilityFactory()
    output = run(write(tmp_path, [report_row(facility)]), "--dry-run")
    assert "Tệp hợp lệ (chạy thử, không ghi): thêm mới 1" in output
    assert not AnnualReport.objects.exists()


def test_problems_one_per_line_and_nothing_written(db, tmp_path):
    facility = FacilityFactory()
    rows = [
        report_row(facility, year=2017),
        report_row(facility, year=2013, output="-2"),
        report_row(facility, tax_code=make_tax_code(777), aware="có thể"),
    ]
    lines = run_failing(write(tmp_path, rows))
    assert all(LINE.match(line) for line in lines), lines
    assert [LINE.match(line).groups() for line in lines] == [
        ("3", "year"),
        ("3", "output"),
        ("4", "aware"),
    ]
    # the unknown tax code of row 4 is reported once its cells are valid
    assert not AnnualReport.objects.exists()


def test_unknown_tax_code(db, tmp_path):
    facility = FacilityFactory()
    rows = [report_row(facility), report_row(facility, tax_code=make_tax_code(777))]
    assert run_failing(write(tmp_path, rows)) == [
        f"row 3, column tax_code: Không có cơ sở mã số thuế {make_tax_code(777)} trong sổ đăng ký."
    ]
    assert not AnnualReport.objects.exists()


def test_thousands_in_an_integer_column_are_refused(db, tmp_path):
    # `1.000` employees is a thousand written the Vietnamese way: read as the float 1.000 it
    # would be lost silently. Refused, with what to write instead; nothing changes.
    facility = FacilityFactory()
    run(write(tmp_path, [report_row(facility)]))
    stored = AnnualReport.objects.get().employees
    lines = run_failing(write(tmp_path, [report_row(facility, employees="1.000")]))
    assert len(lines) == 1 and lines[0].startswith("row 2, column employees: "), lines
    assert "1000" in lines[0]
    assert AnnualReport.objects.get().employees == stored


def test_dry_run_with_problems_fails_too(db, tmp_path):
    facility = FacilityFactory()
    lines = run_failing(write(tmp_path, [report_row(facility, year="abc")]), "--dry-run")
    assert lines == ["row 2, column year: Năm báo cáo phải là một năm gồm 4 chữ số, ví dụ 2018."]
    lines = run_failing(write(tmp_path, [report_row(facility, year="2031")]), "--dry-run")
    assert len(lines) == 1
    assert lines[0].startswith("row 2, column year: Năm 2031 không thuộc kỳ kế hoạch nào. ")


def test_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="Không mở được tệp"):
        run(tmp_path / "khong-co.csv")


def _subprocess_env() -> dict:
    db = connection.settings_dict
    url = "postgres://{user}@{host}:{port}/{name}".format(
        user=db["USER"] or "postgres",
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        name=db["NAME"],
    )
    return {**os.environ, "DATABASE_URL": url, "PORTAL_PROVINCE_CODE": "27"}


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_exit_status_of_the_real_command(tmp_path):
    """Real processes against the test database: exit 1 with the problem lines, exit 0 when
    the file is valid (nothing written with --dry-run)."""
    facility = FacilityFactory()
    bad = write(tmp_path, [report_row(facility), report_row(facility)], "bad.csv")
    good = write(tmp_path, [report_row(facility)], "good.csv")
    command = [sys.executable, "manage.py", "import_annual_reports"]
    options = {"cwd": PROJECT_ROOT, "env": _subprocess_env(), "capture_output": True}

    failed = subprocess.run([*command, str(bad)], text=True, timeout=120, **options)
    assert failed.returncode == 1, failed.stderr
    assert failed.stdout.splitlines() == [
        f"row 3, column year: Cơ sở {facility.tax_code} đã có báo cáo năm 2019 ở dòng 2."
    ]
    dry = subprocess.run([*command, str(good), "--dry-run"], text=True, timeout=120, **options)
    assert dry.returncode == 0, dry.stderr
    assert not AnnualReport.objects.exists()
    done = subprocess.run([*command, str(good)], text=True, timeout=120, **options)
    assert done.returncode == 0, done.stderr
    assert AnnualReport.objects.get().state == "approved"


@pytest.mark.django_db
def test_a_number_of_thirty_digits_is_a_row_problem(tmp_path):
    # Once a decimal.InvalidOperation traceback: now the contract's line, exit 1, nothing written.
    path = tmp_path / "bao-cao.csv"
    path.write_bytes(csv_bytes([report_row(FacilityFactory(), output="1" + "0" * 29)]))
    assert run_import_failing("import_annual_reports", path) == [
        "row 2, column output: Số quá lớn."
    ]
    assert not AnnualReport.objects.exists()
