"""One formula-injection test for every export (core/spreadsheets.py: looks_like_formula): the
facility export quotes the value, the report workbook marks the cell as quoted text."""

from decimal import Decimal

import pytest
from openpyxl import Workbook

from core.spreadsheets import FORMULA_START, escape_formula, looks_like_formula
from reports.files.xlsx import cell


@pytest.mark.parametrize("start", FORMULA_START)
def test_both_exports_guard_the_same_text(start):
    value = f"{start}1+1"
    assert looks_like_formula(value)
    assert escape_formula(value) == "'" + value
    written = cell(Workbook(write_only=True).create_sheet(), value)
    assert written.quotePrefix and written.value == value


@pytest.mark.parametrize("value", ["Công ty = ", "", None, -5, Decimal("-1.5")])
def test_other_values_are_left_alone(value):
    assert not looks_like_formula(value)
    assert escape_formula(value) == value
