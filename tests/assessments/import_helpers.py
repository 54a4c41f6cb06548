"""Shared bits of the annual-report import tests: the sample files and small CSV files."""

import csv
import io

from assessments.importing import COLUMN_KEYS
from facilities.importing import apply_import as apply_facility_import
from facilities.importing import plan_file as plan_facility_file

from ..facilities.import_helpers import EXPECTED, SAMPLES
from ..factories import IndustryCodeFactory

__all__ = ["EXPECTED", "SAMPLES", "csv_bytes", "load_sample_facilities", "report_row"]

SAMPLE_DIVISIONS = ("10", "11", "13", "14", "15", "16", "17", "20", "23", "24", "25", "26")


def load_sample_facilities():
    """Province 27 from vietnam-provinces, the VSIC divisions, then samples/facilities.csv."""
    from facilities.reference import load_admin_units

    load_admin_units(27)
    for code in SAMPLE_DIVISIONS:
        IndustryCodeFactory(code=code, name=f"Ngành {code}", level=2)
    with (SAMPLES / "facilities.csv").open("rb") as handle:
        plan = plan_facility_file(handle, "facilities.csv")
    assert plan.is_valid, plan.problems
    apply_facility_import(plan, user=None)


def report_row(facility, year=2019, **overrides) -> dict:
    row = {
        "tax_code": facility.tax_code,
        "year": str(year),
        "product": "Giấy bao bì",
        "product_unit": "tấn",
        "output": "1.200,5",
        "electricity_kwh": "600000",
        "coal_t": "120,5",
        "diesel_l": "",
        "fuel_oil_t": "",
        "lpg_t": "",
        "natural_gas_1000m3": "",
        "water_m3": "40000",
        "employees": "80",
        "revenue_bn_vnd": "45.5",
        "capital_bn_vnd": "12",
        "aware": "có",
        "applies_cp": "x",
        "has_cp_unit": "",
        "trained_staff": "2",
    }
    row.update(overrides)
    return row


def csv_bytes(rows: list[dict], header=None) -> bytes:
    header = list(header or (rows[0].keys() if rows else COLUMN_KEYS))
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(key, "") for key in header])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
