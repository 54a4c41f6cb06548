import random
from decimal import Decimal

import pytest

from facilities.models import Facility, size_class, size_class_q
from tests.factories import FacilityFactory


@pytest.mark.parametrize(
    ("employees", "revenue", "capital", "expected"),
    [
        (10, 3, 100, "micro"),  # revenue within micro
        (10, 100, 3, "micro"),  # capital within micro
        (11, 3, 3, "small"),
        (10, 4, 4, "small"),
        (100, 50, 500, "small"),
        (101, 1, 1, "medium"),
        (200, 200, 500, "medium"),
        (200, 500, 100, "medium"),
        (201, 1, 1, "large"),
        (150, 300, 150, "large"),
        (5, None, None, "micro"),  # money unknown: employees decide
        (None, 250, 150, "large"),
        (None, None, None, None),
    ],
)
def test_size_class_follows_decree_80(employees, revenue, capital, expected):
    assert size_class(employees, revenue, capital) == expected


def test_database_condition_matches_python(db):
    rng = random.Random(80)
    for _ in range(120):
        FacilityFactory(
            employees=rng.choice([None, 5, 10, 11, 60, 100, 101, 200, 201, 900]),
            revenue_bn_vnd=rng.choice([None, Decimal("2.5"), 3, 40, 50, 150, 200, 201, 900]),
            capital_bn_vnd=rng.choice([None, Decimal("1.5"), 3, 15, 20, 90, 100, 101, 500]),
        )
    expected = {}
    for facility in Facility.objects.all():
        expected.setdefault(facility.size_class(), set()).add(facility.pk)
    for name in ("micro", "small", "medium", "large"):
        found = set(Facility.objects.filter(size_class_q(name)).values_list("pk", flat=True))
        assert found == expected.get(name, set()), name
