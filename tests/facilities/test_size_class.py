import random
from decimal import Decimal

import pytest
from django.urls import reverse

from facilities.models import Facility
from facilities.size import size_class, size_class_q
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


# Exactly on each limit of NĐ 80/2021 (≤ is within), and the smallest step above it
# (revenue and capital are stored with three decimals).
EXACT_LIMITS = [
    (10, 3, 3, "micro"),
    (11, 3, 3, "small"),
    (10, "3.001", "3.001", "small"),
    (10, "3.001", 3, "micro"),  # revenue above but capital within the micro limit
    (10, 3, "3.001", "micro"),
    (100, 50, 20, "small"),
    (101, 50, 20, "medium"),
    (100, "50.001", "20.001", "medium"),
    (100, "50.001", 20, "small"),
    (100, 50, "20.001", "small"),
    (200, 200, 100, "medium"),
    (201, 200, 100, "large"),
    (200, "200.001", "100.001", "large"),
    (200, "200.001", 100, "medium"),
    (200, 200, "100.001", "medium"),
    (10, None, None, "micro"),
    (11, None, None, "small"),
    (100, None, None, "small"),
    (101, None, None, "medium"),
    (200, None, None, "medium"),
    (201, None, None, "large"),
]


@pytest.mark.parametrize(("employees", "revenue", "capital", "expected"), EXACT_LIMITS)
def test_size_class_exactly_on_each_limit(employees, revenue, capital, expected):
    revenue = None if revenue is None else Decimal(revenue)
    capital = None if capital is None else Decimal(capital)
    assert size_class(employees, revenue, capital) == expected


def test_database_condition_exactly_on_each_limit(db):
    expected = {}
    for employees, revenue, capital, size in EXACT_LIMITS:
        facility = FacilityFactory(
            employees=employees,
            revenue_bn_vnd=None if revenue is None else Decimal(revenue),
            capital_bn_vnd=None if capital is None else Decimal(capital),
        )
        expected.setdefault(size, set()).add(facility.pk)
    for name in ("micro", "small", "medium", "large"):
        found = set(Facility.objects.filter(size_class_q(name)).values_list("pk", flat=True))
        assert found == expected[name], name


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


def test_the_list_filter_puts_a_facility_on_the_limit_in_the_smaller_class(client, staff):
    on_limit = FacilityFactory(name="Cơ sở đúng 100 lao động", employees=100)
    above = FacilityFactory(name="Cơ sở 101 lao động", employees=101)
    client.force_login(staff)

    small = client.get(reverse("facilities:list"), {"size": "small"})
    medium = client.get(reverse("facilities:list"), {"size": "medium"})

    assert list(small.context["page"].object_list) == [on_limit]
    assert list(medium.context["page"].object_list) == [above]
    assert on_limit.name in small.text and above.name not in small.text
