"""shared/samples/messy: reports that leave energy blank, switch product units and say
`applies_cp` without `aware` import (exit 0) and give the DESIGN §4 values of expected.json,
computed independently: a blank energy or a new unit is never a saving, and an applying facility
is aware."""

import json

import pytest
from django.core.management import call_command

from assessments.models import AnnualReport
from facilities.reference import load_admin_units
from reports.indicators import compute_indicators
from tests.reports.test_golden_samples import _computed
from tests.samples import SAMPLES

MESSY = SAMPLES / "messy"


@pytest.fixture
def expected(db, settings):
    settings.PORTAL_PROVINCE_CODE = 27
    load_admin_units(27)
    call_command("import_facilities", str(MESSY / "facilities.csv"))
    call_command("import_annual_reports", str(MESSY / "annual_reports.csv"))
    return json.loads((MESSY / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("year", range(2016, 2021))
def test_messy_reports_give_the_independent_values(expected, year):
    assert _computed(compute_indicators(year)) == expected["indicators"][str(year)]


@pytest.mark.parametrize("grouping", ["high_pollution_risk", "key_energy_user"])
@pytest.mark.parametrize("year", range(2016, 2021))
def test_priority_groups_give_the_independent_values(expected, year, grouping):
    """The two priority groups (DESIGN §4), numerators and denominators exact."""
    groups = compute_indicators(year).groups[grouping]
    computed = {row.key: _computed(row) for row in groups}
    assert computed == expected["groups"][grouping][str(year)]


def _api_figures(items) -> dict:
    """The API's items in expected.json's shape (SAVING's numerator = facilities reaching 8 %)."""
    values = {}
    for item in items:
        code = item["code"]
        if code == "SAVING_PCT":
            values[code] = {
                "denominator": item["denominator"],
                "actual": item["actual"],
                "reaching_8": item["numerator"],
            }
        elif code in ("AWARE_PCT", "APPLY_PCT", "ENT_UNIT_PCT"):
            values[code] = {k: item[k] for k in ("numerator", "denominator", "actual")}
    return values


@pytest.mark.parametrize("year", range(2016, 2021))
def test_the_api_gives_the_independent_values_overall_and_by_priority_group(
    expected, year, client, official
):
    client.force_login(official)
    body = client.get("/api/v1/indicators/", {"year": year}).json()
    wanted = {k: v for k, v in expected["indicators"][str(year)].items() if k != "operating"}
    assert _api_figures(body["indicators"]) == wanted
    for grouping in ("high_pollution_risk", "key_energy_user"):
        body = client.get("/api/v1/indicators/", {"year": year, "group": grouping}).json()
        got = {group["key"]: _api_figures(group["indicators"]) for group in body["groups"]}
        wanted = {
            key: {k: v for k, v in figures.items() if k != "operating"}
            for key, figures in expected["groups"][grouping][str(year)].items()
        }
        assert got == wanted


def test_the_command_prints_the_blank_energy_warnings_and_imports(db, settings, capsys):
    settings.PORTAL_PROVINCE_CODE = 27
    load_admin_units(27)
    call_command("import_facilities", str(MESSY / "facilities.csv"))
    expected = json.loads((MESSY / "expected.json").read_text(encoding="utf-8"))
    capsys.readouterr()

    call_command("import_annual_reports", str(MESSY / "annual_reports.csv"))  # no SystemExit

    out = capsys.readouterr().out
    for row in expected["blank_energy_rows"]:
        assert f"row {row}, column " in out
    assert AnnualReport.objects.count() == expected["reports"]
