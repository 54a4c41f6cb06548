"""Issue 13 acceptance: a department of a merged 2025 province (Hải Phòng = old Hải Dương 30 +
old Hải Phòng 31), configured either by its old code or by its 2025 code, imports facilities of
both old parts (some by 2025 ward only, one in a split commune) with the documented commands,
and gets indicators per old province, per ward and overall equal to a count by hand (DESIGN §4).
"""

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from facilities.models import Facility

from .factories import make_tax_code

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2019

# name, commune_code (pre-2025), ward_code (2025), reports {year: flags}
FACILITIES = [
    ("HD Cẩm Thượng", "10507", "", {2018: "aware", 2019: "applies_cp"}),
    ("HD Bình Hàn", "10510", "", {2019: "aware"}),
    ("HD Lê Lợi (xã bị chia)", "11041", "", {2019: ""}),  # → Gia Lộc and Yết Kiêu
    ("HP Quán Toan", "11296", "", {2019: "applies_cp"}),  # applying, hence aware
    ("HP Hùng Vương", "11299", "", {}),
    ("Chỉ có xã mới Tân Kỳ", "", "11113", {2019: "aware"}),
    ("HP Sở Dầu, hai mã khớp nhau", "11302", "11311", {2019: ""}),
]


def _write(path: Path, header: list[str], rows: list[list]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def files(tmp_path):
    tax = {name: make_tax_code(7000 + n) for n, (name, *_) in enumerate(FACILITIES)}
    facilities = _write(
        tmp_path / "facilities.csv",
        ["tax_code", "name", "address", "commune_code", "ward_code", "vsic_code"],
        [[tax[name], name, "Số 1", old, new, "2392"] for name, old, new, _ in FACILITIES],
    )
    report_rows = []
    for name, _old, _new, reports in FACILITIES:
        for year, flag in reports.items():
            report_rows.append(
                [
                    tax[name],
                    year,
                    "1000",
                    "100",
                    "có" if flag == "aware" else "",
                    "có" if flag == "applies_cp" else "",
                ]
            )
    reports = _write(
        tmp_path / "reports.csv",
        ["tax_code", "year", "output", "coal_t", "aware", "applies_cp"],
        report_rows,
    )
    return facilities, reports, tax


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("setting", [("PORTAL_PROVINCE_CODE", "30"), ("PORTAL_PROVINCE", "31")])
def test_a_merged_province_end_to_end(files, setting, settings, client, staff):
    name, value = setting
    settings.PORTAL_PROVINCE, settings.PORTAL_PROVINCE_CODE = None, None
    setattr(settings, name, int(value))
    db = django_settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_PROVINCE")}
    env |= {"DATABASE_URL": url, name: value}
    facilities_csv, reports_csv, tax = files

    loaded = manage(env, "load_admin_units")
    assert loaded.returncode == 0, loaded.stderr
    assert "Thành phố Hải Phòng (mã 31)" in loaded.stdout

    imported = manage(env, "import_facilities", str(facilities_csv))
    assert imported.returncode == 0, imported.stdout + imported.stderr
    # Row 4 (header = row 1) is the split commune: imported, with a warning naming the row.
    assert "row 4, column commune_code:" in imported.stdout
    reports = manage(env, "import_annual_reports", str(reports_csv))
    assert reports.returncode == 0, reports.stdout + reports.stderr

    wards = dict(Facility.objects.values_list("name", "ward__code"))
    assert wards["HD Cẩm Thượng"] == "10507"  # old code only, one successor: filled in
    assert wards["HP Quán Toan"] == "11602"
    assert wards["HD Lê Lợi (xã bị chia)"] is None
    assert Facility.objects.get(name="Chỉ có xã mới Tân Kỳ").commune is None

    client.force_login(staff)
    needs_ward = client.get(reverse("facilities:needs_ward")).content.decode()
    assert "HD Lê Lợi (xã bị chia)" in needs_ward and "HD Bình Hàn" not in needs_ward

    api = "/api/v1/indicators/"  # DESIGN §5
    overall = _figures(client.get(api, {"year": YEAR}).json()["indicators"])
    # 7 operating; aware: Cẩm Thượng (2018), Bình Hàn, Quán Toan (applies), Tân Kỳ = 4;
    # applying: Cẩm Thượng, Quán Toan = 2.
    assert overall == {"AWARE_PCT": (4, 7, 57.1), "APPLY_PCT": (2, 7, 28.6)}

    by_old = _groups(client.get(api, {"year": YEAR, "group": "old_province"}).json())
    assert by_old == {
        "30": {"AWARE_PCT": (2, 3, 66.7), "APPLY_PCT": (1, 3, 33.3)},
        "31": {"AWARE_PCT": (1, 3, 33.3), "APPLY_PCT": (1, 3, 33.3)},
        "none": {"AWARE_PCT": (1, 1, 100.0), "APPLY_PCT": (0, 1, 0.0)},
    }
    by_ward = _groups(client.get(api, {"year": YEAR, "group": "ward"}).json())
    assert {key: group["AWARE_PCT"][:2] for key, group in by_ward.items()} == {
        "10507": (2, 2),  # Cẩm Thượng and Bình Hàn became Phường Thành Đông
        "11602": (1, 1),
        "11311": (0, 2),
        "11113": (1, 1),
        "none": (0, 1),  # the split commune, until staff choose its ward
    }


def _figures(items) -> dict:
    return {
        item["code"]: (item["numerator"], item["denominator"], item["actual"])
        for item in items
        if item["code"] in ("AWARE_PCT", "APPLY_PCT")
    }


def _groups(body) -> dict:
    return {group["key"]: _figures(group["indicators"]) for group in body["groups"]}
