"""The cell parsers shared by every import (core/cells.py); the facility and annual-report
imports test them column by column, these tests the parts no single import shows."""

from decimal import Decimal

import pytest

from core.cells import (
    CellError,
    cell_text,
    choices,
    clean_text,
    parse_boolean,
    parse_decimal,
    parse_decimal_or_none,
    parse_int,
)
from core.sheet_files import Number
from core.spreadsheets import FORMULA_START, escape_formula


def test_cell_text_pads_only_numeric_cells_of_padded_columns():
    row = {"tax_code": Number("100109106"), "name": Number("42"), "typed": "0042"}
    assert cell_text(row, "tax_code", padded={"tax_code": 10}) == "0100109106"
    assert cell_text(row, "tax_code") == "100109106"
    assert cell_text(row, "name", padded={"tax_code": 10}) == "42"
    assert cell_text(row, "typed", padded={"typed": 10}) == "0042"  # text: as typed
    assert cell_text(row, "absent") == ""


@pytest.mark.parametrize("start", FORMULA_START)
def test_clean_text_undoes_the_exports_quote(start):
    value = f"{start}SUM(A1)"
    assert clean_text(escape_formula(value)) == value.strip()
    assert clean_text("'quoted") == "'quoted"  # not an export's quote


def test_clean_text_is_nfc_and_stripped():
    assert clean_text("  Ha\u0309i  ") == "Hải"
    assert clean_text(None) == ""


@pytest.mark.parametrize(
    ("text", "value"),
    [("29,4", Decimal("29.4")), ("1.234.567,5", Decimal("1234567.5")), ("1 000", Decimal(1000))],
)
def test_parse_decimal(text, value):
    assert parse_decimal(text) == value


@pytest.mark.parametrize(
    "text", ["100000000000", "99999999999,9999", "1" + "0" * 27, "1" + "0" * 300]
)
def test_parse_decimal_refuses_too_large_a_number_whatever_its_digits(text):
    # 26 digits or more once overflowed the rounding (InvalidOperation, an import's 500).
    with pytest.raises(CellError, match="Số quá lớn."):
        parse_decimal(text)


def test_parse_decimal_or_none_refuses_ambiguous_grouping():
    assert parse_decimal_or_none("1,234.567,8") is None


@pytest.mark.parametrize("text", ["-1", "abc", "1e3"])
def test_parse_decimal_rejects(text):
    with pytest.raises(CellError):
        parse_decimal(text)


def test_parse_int_accepts_a_spreadsheet_float_only_when_whole():
    assert parse_int("2017,0") == 2017
    with pytest.raises(CellError):
        parse_int("2017,5")


def test_choices_compare_as_headers():
    parse = choices({"Đồng ý": 1}, "no")
    assert parse("ĐỒNG Ý") == 1
    assert parse_boolean("X") is True
    with pytest.raises(CellError, match="no"):
        parse("khác")
