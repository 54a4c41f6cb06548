"""core.numbers: the one rule for rounding (half up) and Vietnamese notation."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from core.numbers import (
    format_amount,
    format_decimal,
    format_million,
    format_number,
    format_vnd,
    round_half_up,
    round_pct,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0"),
        (999, "999"),
        (1000, "1.000"),
        (1_234_567, "1.234.567"),
        (50_000_000, "50.000.000"),
        (-1_234_567, "-1.234.567"),
        (None, ""),
    ],
)
def test_format_vnd(value, expected):
    assert format_vnd(value) == expected


def test_format_number_rounds_half_up():
    assert format_number(Decimal("1234.565"), 2) == "1.234,57"
    assert format_number(Decimal("0.05"), 1) == "0,1"
    assert format_number(2.5, 0) == "3"
    assert format_number(Decimal("1234567.5"), 1) == "1.234.567,5"


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Decimal("45.45"), 1, Decimal("45.5")),  # half-even would give 45.4
        (Decimal("45.44999"), 1, Decimal("45.4")),
        (Decimal("0.25"), 1, Decimal("0.3")),  # half-even would give 0.2
        (Decimal("-45.45"), 1, Decimal("-45.5")),  # away from zero
        (45.45, 1, Decimal("45.5")),  # a float is read through its shortest text
        (Decimal("2.5"), 0, Decimal("3")),
        (Decimal("3.5"), 0, Decimal("4")),
        (7, 1, Decimal("7.0")),
        (None, 1, None),
        ("", 1, None),
        # More digits than Decimal's default 28-digit context keeps.
        (Decimal("9" * 40), 0, Decimal("9" * 40)),
        (Decimal("1" * 30 + ".25"), 1, Decimal("1" * 30 + ".3")),
    ],
)
def test_round_half_up(value, places, expected):
    assert round_half_up(value, places) == expected


def test_round_pct_is_one_decimal_half_up():
    assert round_pct(Decimal("45.45")) == Decimal("45.5")
    assert round_pct(Decimal("12.05")) == Decimal("12.1")
    assert str(round_pct(8)) == "8.0"


def test_the_empty_placeholder():
    assert format_number(None, 1, empty="–") == "–"
    assert format_number(Decimal("45.45"), 1, empty="–") == "45,5"


def test_format_million():
    assert format_million(12_345_678) == "12,3"
    assert format_million(1_500_000_000, 0) == "1.500"
    assert format_million(12_350_000) == "12,4"  # half up


def test_format_decimal():
    assert format_decimal(Decimal("0.000154300")) == "0,0001543"
    assert format_decimal(Decimal("10.000")) == "10"
    assert format_decimal(Decimal("0.9130")) == "0,913"


def test_format_amount():
    assert format_amount(Decimal("1250.500")) == "1.250,5"
    assert format_amount(Decimal("600000.000")) == "600.000"
    assert format_amount(Decimal("0.0963614")) == "0,096"
    assert format_amount(Decimal("0.0005")) == "0,001"  # half up
    assert format_amount(None) == ""


def test_filters():
    template = Template(
        "{% load vnd %}{{ a|vnd }}|{{ a|million_vnd }}|{{ b|vn_number:2 }}|{{ c|vnd }}"
        "|{{ a|million }}|{{ d|vn_number:1 }}"
    )
    context = {"a": 1_234_567, "b": Decimal("47.19"), "c": None, "d": Decimal("45.45")}
    text = template.render(Context(context))
    assert text == "1.234.567 đồng|1,2 triệu đồng|47,19|—|1,2|45,5"


def test_amount_filter():
    template = Template("{% load report_format %}{{ a|vn_amount }}|{{ b|vn_amount:1 }}")
    text = template.render(Context({"a": Decimal("1250.500"), "b": Decimal("45.45")}))
    assert text == "1.250,5|45,5"
