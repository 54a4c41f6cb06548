from decimal import Decimal

import pytest
from django.template import Context, Template

from assessments.money import format_decimal, format_million, format_number, format_vnd


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


def test_format_million():
    assert format_million(12_345_678) == "12,3"
    assert format_million(1_500_000_000, 0) == "1.500"


def test_format_decimal():
    assert format_decimal(Decimal("0.000154300")) == "0,0001543"
    assert format_decimal(Decimal("10.000")) == "10"
    assert format_decimal(Decimal("0.9130")) == "0,913"


def test_filters():
    template = Template(
        "{% load vnd %}{{ a|vnd }}|{{ a|million_vnd }}|{{ b|vn_number:2 }}|{{ c|vnd }}"
        "|{{ a|million }}"
    )
    text = template.render(Context({"a": 1_234_567, "b": Decimal("47.19"), "c": None}))
    assert text == "1.234.567 đồng|1,2 triệu đồng|47,19|—|1,2"
