"""The SAVING rule's SQL fragments on SQLite, the embedded default of `make run`: a whole decimal is
stored there as an INTEGER, so a plain `toe / output` divides as integers (540 / 600 = 0, a 100 %
"fall"); and SQLite's own LOWER() leaves "TẤN" unlike "tấn". The suite's database is PostgreSQL,
so these run the fragments on a real SQLite connection prepared as Django prepares its own
(core.collation.register_sqlite_collation)."""

import sqlite3
from types import SimpleNamespace

import pytest

from assessments.energy import BASELINE_INTENSITY_SQL, FALL_PCT_SQL
from core.collation import register_sqlite_collation


@pytest.fixture
def sqlite():
    raw = sqlite3.connect(":memory:")
    register_sqlite_collation(None, SimpleNamespace(vendor="sqlite", connection=raw))
    raw.execute("CREATE TABLE r (year INTEGER, output NUMERIC, toe NUMERIC, unit TEXT)")
    yield raw
    raw.close()


def _fall(sqlite, before, after):
    """% fall from the `before` (year, output, toe, unit) report to the `after` one."""
    sqlite.execute("DELETE FROM r")
    sqlite.executemany("INSERT INTO r VALUES (?, ?, ?, ?)", [before, after])
    base = BASELINE_INTENSITY_SQL.format(output="b.output", toe="b.toe")
    fall = FALL_PCT_SQL.format(
        base_year="b.year",
        year="y.year",
        base=base,
        base_output="b.output",
        base_amount="b.toe",
        output="y.output",
        toe="y.toe",
        unit="LOWER(TRIM(y.unit))",
        base_unit="LOWER(TRIM(b.unit))",
    )
    query = f"SELECT {fall} FROM r AS b JOIN r AS y ON b.year < y.year"  # nosec B608
    return sqlite.execute(query).fetchone()[0]


def test_whole_numbers_divide_as_decimals(sqlite):
    # 600 TOE for 600 t, then 540 TOE for 600 t: intensity 1 -> 0.9, a 10 % fall.
    fall = _fall(sqlite, (2016, 600, 600, "tấn"), (2017, 600, 540, "tấn"))
    assert fall == pytest.approx(10)
    assert sqlite.execute("SELECT typeof(toe) FROM r").fetchall() == [("integer",), ("integer",)]


def test_the_baseline_intensity_is_not_cut_to_a_whole_number(sqlite):
    # 1543 TOE for 1000 m3 (1.543), then 1543 for 1100 (1.4027): a 9.09 % fall.
    fall = _fall(sqlite, (2016, 1000, 1543, "m3"), (2017, 1100, 1543, "m3"))
    assert fall == pytest.approx(9.0909, abs=1e-3)


def test_units_in_capitals_with_vietnamese_letters_are_the_same_unit(sqlite):
    fall = _fall(sqlite, (2016, 600, 600, "tấn"), (2017, 600, 540, " TẤN "))
    assert fall == pytest.approx(10)
    assert sqlite.execute("SELECT LOWER('ĐIỆN TẤN'), LOWER(NULL)").fetchone() == ("điện tấn", None)


def test_an_exact_fall_is_exact(sqlite):
    # 60 TOE for 7 t, then 55.2 TOE for 7 t: exactly 8 %, whatever 60 / 7 rounds to.
    assert _fall(sqlite, (2017, 7, 60, "tấn"), (2020, 7, 55.2, "tấn")) == pytest.approx(8)
