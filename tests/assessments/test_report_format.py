"""The vn_amount filter: reported quantities with just the decimals they have."""

from decimal import Decimal

import pytest
from django.template import Context, Template


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Decimal("1250.500"), 3, "1.250,5"),
        (Decimal("600000.000"), 3, "600.000"),
        (Decimal("0.0963614"), 3, "0,096"),
        (Decimal("0.0963614"), 6, "0,096361"),
        (Decimal("0"), 3, "0"),
        (None, 3, "—"),
    ],
)
def test_vn_amount(value, places, expected):
    template = Template("{% load report_format %}{{ value|vn_amount:places }}")
    assert template.render(Context({"value": value, "places": places})) == expected
