"""The sample files of shared/samples give the values of expected.json (computed independently)."""

import json

import pytest
from django.core.management import call_command

from facilities.reference import load_admin_units
from reports.facts import indicator_facilities
from reports.indicators import compute_indicators
from tests.samples import SAMPLES

# The repository and shared/ sit side by side (here and in CI).
YEARS = range(2016, 2021)
RATIOS = ("AWARE_PCT", "APPLY_PCT", "ENT_UNIT_PCT")


@pytest.fixture
def samples(db, settings):
    if not SAMPLES.is_dir():
        pytest.fail(f"sample files not found at {SAMPLES}")
    settings.PORTAL_PROVINCE_CODE = 27
    load_admin_units(27)
    call_command("import_facilities", str(SAMPLES / "facilities.csv"))
    call_command("import_annual_reports", str(SAMPLES / "annual_reports.csv"))
    return json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))["indicators"]


def _actual(figure):
    return float(figure.actual) if figure.actual is not None else None


def _computed(results) -> dict:
    values = {"operating": results.operating}
    for code in RATIOS:
        figure = results.value(code)
        values[code] = {
            "numerator": figure.numerator,
            "denominator": figure.denominator,
            "actual": _actual(figure),
        }
    saving = results.value("SAVING_PCT")
    values["SAVING_PCT"] = {
        "denominator": saving.denominator,
        "actual": _actual(saving),
        "reaching_8": saving.reaching_8,
    }
    return values


@pytest.mark.parametrize("year", YEARS)
def test_indicators_equal_expected_values(samples, year):
    assert _computed(compute_indicators(year)) == samples[str(year)]


def test_breakdowns_add_up_to_the_province(samples):
    results = compute_indicators(2020)
    for rows in (results.by_district, results.by_division):
        assert sum(row.operating for row in rows) == results.operating
        for code in RATIOS:
            assert sum(row.values[code].numerator for row in rows) == (
                results.value(code).numerator
            )


@pytest.mark.parametrize("year", [2017, 2020])
def test_facility_lists_match_the_counts(samples, year):
    results = compute_indicators(year)
    for code in (*RATIOS, "SAVING_PCT"):
        figure = results.value(code)
        for part in ("numerator", "denominator"):
            listed = indicator_facilities(code, year, part).count()
            assert listed == getattr(figure, part), (code, part)
