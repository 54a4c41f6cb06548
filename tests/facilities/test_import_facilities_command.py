"""`python manage.py import_facilities FILE [--dry-run]` (DESIGN §5 "Commands")."""

import io
import os
import re
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import connection

from facilities.import_columns import COLUMN_KEYS
from facilities.models import Facility

from ..factories import IndustryCodeFactory, make_tax_code
from .import_helpers import (
    EXPECTED,
    SAMPLES,
    csv_bytes,
    good_row,
    make_references,
    xlsx_bytes,
)

LINE = re.compile(r"^row (\d+), column (\w+): .+$")
PROJECT_ROOT = Path(django_settings.BASE_DIR)


@pytest.fixture
def references(db, settings):
    settings.PORTAL_PROVINCE_CODE = 27
    make_references()


@pytest.fixture
def sample_references(db, settings):
    """Province 27 from vietnam-provinces and the VSIC divisions the samples use."""
    from facilities.reference import load_admin_units

    settings.PORTAL_PROVINCE_CODE = 27
    load_admin_units(27)
    for code in ("10", "11", "13", "14", "15", "16", "17", "20", "23", "24", "25", "26"):
        IndustryCodeFactory(code=code, name=f"Ngành {code}", level=2)


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_facilities", *map(str, args), stdout=out, stderr=err)
    return out.getvalue()


def run_failing(*args):
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_facilities", *map(str, args), stdout=out, stderr=io.StringIO())
    assert caught.value.returncode == 1
    return out.getvalue().splitlines()


def write(tmp_path, rows, name="co-so.csv"):
    path = tmp_path / name
    path.write_bytes(csv_bytes(rows))
    return path


def test_valid_file_is_imported(references, tmp_path):
    output = run(write(tmp_path, [good_row(1), good_row(2)]))
    assert "thêm mới 2, cập nhật 0, giữ nguyên 0" in output
    assert Facility.objects.count() == 2
    record = Facility.history.first()
    assert record.history_change_reason == "Nhập từ tệp co-so.csv"


def test_dry_run_writes_nothing(references, tmp_path):
    output = run(write(tmp_path, [good_row(1), good_row(2)]), "--dry-run")
    assert "thêm mới 2" in output
    assert not Facility.objects.exists()


def test_problems_are_printed_one_per_line_and_nothing_is_written(references, tmp_path):
    rows = [good_row(1), good_row(2, contact_email="x", employees="-3"), good_row(3)]
    lines = run_failing(write(tmp_path, rows))
    assert lines == [
        "row 3, column employees: Phải là số nguyên ≥ 0.",
        "row 3, column contact_email: Địa chỉ e-mail không hợp lệ.",
    ]
    assert not Facility.objects.exists()


def test_dry_run_of_a_bad_file_fails_too(references, tmp_path):
    lines = run_failing(write(tmp_path, [good_row(1, tax_code="0100109107")]), "--dry-run")
    assert lines == ["row 2, column tax_code: Mã số thuế không hợp lệ (sai chữ số kiểm tra)."]


def test_unreadable_file(references, tmp_path):
    path = tmp_path / "co-so.pdf"
    path.write_bytes(b"%PDF")
    assert run_failing(path) == ["Chỉ chấp nhận tệp .csv hoặc .xlsx."]
    with pytest.raises(CommandError):
        run(tmp_path / "khong-co.csv")


def test_a_tab_separated_file_says_which_separators_are_read(references, tmp_path):
    # Semicolons, as Excel set to Vietnamese writes them, are read (test_import_unseen_files).
    path = tmp_path / "co-so.csv"
    row = good_row(1)
    lines = ["\t".join(row), "\t".join(row.values())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first = run_failing(path)[0]
    assert first.startswith("row 1, column ")
    assert first.endswith(
        "tệp CSV phải dùng dấu phẩy (,) hoặc dấu chấm phẩy (;) để phân cách các cột, không trộn "
        "lẫn hai loại, không dùng dấu tab."
    )
    assert not Facility.objects.exists()


def test_sample_bad_file_names_the_expected_rows(sample_references):
    lines = run_failing(SAMPLES / "facilities_bad.csv")
    assert all(LINE.match(line) for line in lines), lines
    named = {(int(m[1]), m[2]) for m in map(LINE.match, lines)}
    for rows, column in EXPECTED["bad_rows"].items():
        candidates = {(int(row), column) for row in rows.split("|")}
        assert named & candidates, f"row {rows} / {column} not named in {lines}"
    assert len(lines) == len(EXPECTED["bad_rows"])
    assert not Facility.objects.exists()


@pytest.mark.parametrize("name", ["facilities.csv", "facilities.xlsx"])
def test_sample_files_import_all_40_facilities(sample_references, name):
    output = run(SAMPLES / name)
    assert f"thêm mới {EXPECTED['facilities']}" in output
    assert Facility.objects.count() == EXPECTED["facilities"] == 40
    first = Facility.objects.get(tax_code="0890830160")
    assert first.revenue_bn_vnd == Decimal("29.4")
    assert first.key_energy_user is True
    assert first.commune.parent.parent.code == "27"
    assert Facility.objects.filter(tax_code__contains="-").exists()
    assert Facility.objects.filter(status="closed", closed_year__isnull=False).exists()
    # Importing the same file again changes nothing.
    assert "giữ nguyên 40" in run(SAMPLES / name)


def test_csv_and_xlsx_samples_give_the_same_registry(sample_references):
    run(SAMPLES / "facilities.csv")
    assert "giữ nguyên 40" in run(SAMPLES / "facilities.xlsx")


def _formula_file(tmp_path, *, stored: str | None, recalculate: bool) -> Path:
    """An XLSX whose `employees` cell holds the formula =1+1 with `stored` as the value the file
    keeps for it (None: none, as openpyxl writes it) and, with `recalculate`, the workbook's
    request to be recalculated when opened (`fullCalcOnLoad`, as openpyxl and XlsxWriter set)."""
    row = good_row(1, employees="=1+1")
    data = xlsx_bytes([[row[key] for key in COLUMN_KEYS]])
    source, target = io.BytesIO(data), io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as patched:
        for item in original.infolist():
            content = original.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b"<f>1+1</f><v></v>" in content
                value = f"<v>{stored}</v>" if stored is not None else "<v></v>"
                content = content.replace(b"<f>1+1</f><v></v>", f"<f>1+1</f>{value}".encode())
            if item.filename == "xl/workbook.xml" and not recalculate:
                assert b' fullCalcOnLoad="1"' in content
                content = content.replace(b' fullCalcOnLoad="1"', b"")
            patched.writestr(item, content)
    path = tmp_path / "cong-thuc.xlsx"
    path.write_bytes(target.getvalue())
    return path


@pytest.mark.parametrize(
    ("stored", "recalculate"),
    [(None, True), (None, False), ("0", True)],
    ids=["openpyxl", "no-value", "xlsxwriter"],
)
def test_a_formula_without_a_computed_value_is_refused_not_read_as_empty(
    references, tmp_path, stored, recalculate
):
    run(write(tmp_path, [good_row(1)]))
    lines = run_failing(_formula_file(tmp_path, stored=stored, recalculate=recalculate))
    assert len(lines) == 1 and lines[0].startswith("row 2, column employees: "), lines
    assert "=1+1" in lines[0]
    assert Facility.objects.get().employees == int(good_row(1)["employees"])


def test_a_formula_with_its_computed_value_is_read_as_that_value(references, tmp_path):
    run(write(tmp_path, [good_row(1)]))
    assert "cập nhật 1" in run(_formula_file(tmp_path, stored="2", recalculate=False))
    assert Facility.objects.get().employees == 2


def _subprocess_env() -> dict:
    db = connection.settings_dict
    url = "postgres://{user}{password}@{host}:{port}/{name}".format(
        user=db["USER"],
        password=f":{db['PASSWORD']}" if db["PASSWORD"] else "",
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        name=db["NAME"],
    )
    return {**os.environ, "DATABASE_URL": url, "PORTAL_PROVINCE_CODE": "27"}


@pytest.mark.django_db(transaction=True)
def test_real_process_exit_codes(settings, tmp_path):
    settings.PORTAL_PROVINCE_CODE = 27
    make_references()
    command = [sys.executable, "manage.py", "import_facilities"]
    good = write(tmp_path, [good_row(1), good_row(2)], "tot.csv")
    bad = write(tmp_path, [good_row(3), good_row(4, tax_code=make_tax_code(3))], "loi.csv")
    options = {"cwd": PROJECT_ROOT, "env": _subprocess_env(), "capture_output": True}

    failed = subprocess.run([*command, str(bad)], text=True, timeout=120, **options)
    assert failed.returncode == 1, failed.stderr
    assert failed.stdout.splitlines() == [
        f"row 3, column tax_code: Mã số thuế {make_tax_code(3)} trùng với dòng 2."
    ]
    assert not Facility.objects.exists()

    dry = subprocess.run([*command, str(good), "--dry-run"], text=True, timeout=120, **options)
    assert dry.returncode == 0, dry.stderr
    assert not Facility.objects.exists()

    done = subprocess.run([*command, str(good)], text=True, timeout=120, **options)
    assert done.returncode == 0, done.stderr
    assert "thêm mới 2" in done.stdout
    assert Facility.objects.count() == 2
