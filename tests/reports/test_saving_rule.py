"""The energy-saving rule of DESIGN §4 has one definition, assessments.energy.intensity_fall_pct;
the indicators run it in SQL (reports.fact_sql.FACTS_SQL, built from the fragments next to it).
Each case has its fall worked out by hand; the Python rule, the SQL and the facility trend page
must all give it. Coal is 0.60 TOE/t, electricity 0.0001543 TOE/kWh (seeded factors)."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection

from assessments.energy import baseline_report, intensity_fall_pct
from assessments.factors import toe_factors
from assessments.models import AnnualReport
from reports.fact_sql import facts_sql
from reports.indicators import compute_indicators
from reports.intensity import intensity_rows

from .indicator_helpers import YEAR, facility, report

pytestmark = pytest.mark.django_db
D = Decimal

# name -> (baseline fields or None, year of the baseline, fields of the YEAR report or None,
#          hand-computed % fall, or None when the rule gives no saving)
CASES = {
    # 100 t coal / 1000 = 0.06 TOE per unit -> 90 t: 0.054; (0.06 − 0.054) ÷ 0.06 = 10 %
    "falls 10%": ({}, YEAR - 2, {"coal_t": 90}, D("10")),
    "rises 10%": ({}, YEAR - 2, {"coal_t": 110}, D("-10")),
    # 0.06 -> 54.55 × 0.6 / 1000 = 0.03273: (0.06 − 0.03273) ÷ 0.06 = 45.45 %
    "falls 45.45%": ({}, YEAR - 2, {"coal_t": D("54.55")}, D("45.45")),
    # output grows with energy: 0.06 -> 120 × 0.6 / 1500 = 0.048: 20 %
    "more output": ({}, YEAR - 2, {"coal_t": 120, "output": 1500}, D("20")),
    # electricity: 400 000 × 0.0001543 / 1000 = 0.06172 -> 300 000: 0.04629; 25 %
    "electricity": (
        {"coal_t": None, "electricity_kwh": 400_000},
        YEAR - 1,
        {"coal_t": None, "electricity_kwh": 300_000},
        D("25"),
    ),
    # other fuel: 50 × 1.2 / 1000 = 0.06 -> 100 t coal: 0.06; 0 %
    "other fuel": (
        {"coal_t": None, "other_fuel_amount": 50, "other_fuel_toe_factor": D("1.2")},
        YEAR - 2,
        {},
        D("0"),
    ),
    "baseline in the year itself": (None, YEAR, {}, None),
    "no output in the baseline": ({"output": None}, YEAR - 2, {}, None),
    "zero output in the baseline": ({"output": 0}, YEAR - 2, {}, None),
    "zero energy in the baseline": ({"coal_t": 0}, YEAR - 2, {}, None),
    "no energy in the baseline": ({"coal_t": None}, YEAR - 2, {}, None),
    "zero output in the year": ({}, YEAR - 2, {"output": 0}, None),
    "no output in the year": ({}, YEAR - 2, {"output": None}, None),
    "no report for the year": ({}, YEAR - 2, None, None),
    # DESIGN §4: output without energy, or another product unit, is never a saving.
    "zero energy in the year": ({}, YEAR - 2, {"coal_t": 0}, None),
    "no energy in the year": ({}, YEAR - 2, {"coal_t": None}, None),
    "other unit": ({"product_unit": "tấn"}, YEAR - 2, {"product_unit": "hộp", "coal_t": 90}, None),
    "unit given in the year only": (
        {"product_unit": ""},
        YEAR - 2,
        {"product_unit": "tấn", "coal_t": 90},
        None,
    ),
    "same unit, other case and spaces": (
        {"product_unit": "Tan"},
        YEAR - 2,
        {"product_unit": " tan ", "coal_t": 90},
        D("10"),
    ),
}


@pytest.fixture
def cases():
    built = {}
    for name, (baseline, baseline_year, current, _) in CASES.items():
        f = facility(name=name)
        report(f, YEAR - 3, state="draft", coal_t=500)  # a draft is never the baseline
        if baseline is not None:
            report(f, baseline_year, **baseline)
        if current is not None:
            report(f, YEAR, **current)
        built[name] = f
    return built


def _sql_falls() -> dict[int, Decimal | None]:
    sql, params = facts_sql([YEAR])
    with connection.cursor() as cursor:
        cursor.execute(sql + " SELECT facility_id, fall_pct FROM facts", params)
        return {pk: None if fall is None else D(str(fall)) for pk, fall in cursor.fetchall()}


def _python_fall(f) -> Decimal | None:
    current = AnnualReport.objects.approved().filter(facility=f, year=YEAR).first()
    if current is None:
        return None
    return intensity_fall_pct(current, baseline_report(current), toe_factors())


def _close(value):
    return None if value is None else value.quantize(D("0.0001"))


@pytest.mark.parametrize("name", list(CASES))
def test_python_rule_gives_the_hand_computed_fall(cases, name):
    assert _close(_python_fall(cases[name])) == _close(CASES[name][3])


def test_sql_and_python_agree_on_every_case(cases):
    sql = _sql_falls()
    for name, f in cases.items():
        assert _close(sql[f.pk]) == _close(CASES[name][3]), name
        assert _close(sql[f.pk]) == _close(_python_fall(f)), name


def test_the_trend_page_rows_use_the_same_rule(cases):
    for name, f in cases.items():
        rows = {row.year: row.saving_pct for row in intensity_rows(f)}
        expected = CASES[name][3]
        if expected is not None:
            expected = expected.quantize(D("0.1"), rounding=ROUND_HALF_UP)
        assert rows.get(YEAR) == expected, name


def test_the_45_45_fall_rounds_half_up_on_the_trend_page(cases):
    rows = {row.year: row.saving_pct for row in intensity_rows(cases["falls 45.45%"])}
    assert rows[YEAR] == D("45.5")


def test_an_exact_8_percent_fall_reaches_8():
    """60 TOE for 7 t, then 55.2 TOE for 7 t: exactly 8 %. Dividing by 7 first gave 7.999…
    (a cut quotient), shown as 7,9 % and not counted as reaching 8 %."""
    f = facility(name="exactly 8")
    report(f, YEAR - 2, output=7, coal_t=100)
    report(f, YEAR, output=7, coal_t=92, applies_cp=True)
    assert _python_fall(f) == 8
    assert _sql_falls()[f.pk] == 8
    saving = compute_indicators(YEAR).value("SAVING_PCT")
    assert saving.reaching_8 == 1
    rows = {row.year: row.saving_pct for row in intensity_rows(f)}
    assert rows[YEAR] == D("8.0")
