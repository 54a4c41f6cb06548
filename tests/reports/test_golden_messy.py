"""shared/samples/messy: reports that leave energy blank, switch product units and say
`applies_cp` without `aware` import (exit 0) and give the DESIGN §4 values of expected.json,
computed independently: a blank energy or a new unit is never a saving, and an applying facility
is aware."""

import json

import pytest
from django.core.management import call_command

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
