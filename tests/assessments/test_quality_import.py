"""The data-quality rules in the annual-report import (issue 14): warnings are printed as
`row N, column C: message` and the file is imported (exit 0); a rule set to `error` refuses the
file (exit 1, nothing written); the web page lists the warnings."""

import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments.models import AnnualReport, QualityFinding, QualityRule
from facilities.reference import load_admin_units
from tests.samples import SAMPLES

from ..factories import FacilityFactory
from .import_helpers import csv_bytes, report_row

pytestmark = pytest.mark.django_db

MESSY = SAMPLES / "messy"
LINE = re.compile(r"^row (\d+), column (\w+): (.+)$")
NO_ENERGY_TEXT = "Sản lượng có nhưng không khai năng lượng tiêu thụ"


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_annual_reports", *map(str, args), stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def messy_registry(settings):
    settings.PORTAL_PROVINCE_CODE = 27
    load_admin_units(27)
    call_command("import_facilities", str(MESSY / "facilities.csv"), stdout=io.StringIO())
    return json.loads((MESSY / "expected.json").read_text(encoding="utf-8"))


def test_the_messy_file_imports_with_its_warnings(messy_registry):
    output = run(MESSY / "annual_reports.csv")  # no CommandError: exit 0
    lines = [LINE.match(line) for line in output.splitlines()]
    warned = [m for m in lines if m]
    no_energy = sorted(int(m[1]) for m in warned if m[3].startswith(NO_ENERGY_TEXT))
    assert no_energy == messy_registry["blank_energy_rows"]
    assert all(m[2] == "electricity_kwh" for m in warned if m[3].startswith(NO_ENERGY_TEXT))
    assert any("Đơn vị sản phẩm" in m[3] for m in warned)  # the file also switches units
    assert "cảnh báo; các dòng đó vẫn được nhập" in output
    assert AnnualReport.objects.approved().count() == len(
        (MESSY / "annual_reports.csv").read_text(encoding="utf-8").splitlines()[1:]
    )
    stored = QualityFinding.objects.open().filter(rule__code="OUTPUT_NO_ENERGY")
    assert stored.count() == len(messy_registry["blank_energy_rows"])
    # applies_cp without aware: for the reviewer only (info), stored, not printed
    assert QualityFinding.objects.open().filter(rule__code="APPLIES_NOT_AWARE").exists()
    assert not any("Nhận thức" in m[3] for m in warned)


def test_an_error_rule_refuses_the_file(messy_registry):
    QualityRule.objects.filter(code="OUTPUT_NO_ENERGY").update(severity="error")
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(
            "import_annual_reports", str(MESSY / "annual_reports.csv"), stdout=out, stderr=out
        )
    assert caught.value.returncode == 1
    rows = sorted(
        int(m[1])
        for m in map(LINE.match, out.getvalue().splitlines())
        if m and m[3].startswith(NO_ENERGY_TEXT)
    )
    assert rows == messy_registry["blank_energy_rows"]
    assert not AnnualReport.objects.exists() and not QualityFinding.objects.exists()


def test_rows_of_the_file_are_each_others_baseline(tmp_path):
    facility = FacilityFactory()
    rows = [
        report_row(facility, year=2016, product_unit="tấn"),
        report_row(facility, year=2017, product_unit="m²"),
    ]
    path = tmp_path / "bao-cao.csv"
    path.write_bytes(csv_bytes(rows))
    output = run(path)
    assert re.search(r"^row 3, column product_unit: Đơn vị sản phẩm “m²”", output, re.M)


def test_the_web_import_lists_the_warnings(client, staff):
    facility = FacilityFactory()
    content = csv_bytes([report_row(facility, electricity_kwh="", coal_t="")])
    client.force_login(staff)
    url = reverse("assessments:report_import")

    upload = SimpleUploadedFile("bao-cao.csv", content)
    response = client.post(url, {"file": upload, "dry_run": "on"})
    assert 'id="import-warnings"' in response.text and NO_ENERGY_TEXT in response.text
    assert not AnnualReport.objects.exists()

    upload = SimpleUploadedFile("bao-cao.csv", content)
    response = client.post(url, {"file": upload})
    assert response.status_code == 200
    assert 'id="import-warnings"' in response.text and NO_ENERGY_TEXT in response.text
    assert AnnualReport.objects.approved().count() == 1
    assert QualityFinding.objects.open().get().rule.code == "OUTPUT_NO_ENERGY"
