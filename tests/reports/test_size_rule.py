"""The size class (NĐ 80/2021) has one table of limits, facilities.size.SIZE_LIMITS, read three
ways: the model (`Facility.size_class`), the registry filter (`size_class_q`) and the indicators'
SQL (ENT_UNIT_PCT's "medium or large"). All three agree on every boundary, with the expected
class written out by hand from the decree (≤ is within; revenue or capital is enough)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from facilities.models import Facility
from facilities.size import INDUSTRY, SIZE_LIMITS, size_at_least_q, size_class_q
from reports.facts import indicator_facilities

from ..facilities.test_size_class import EXACT_LIMITS
from .indicator_helpers import YEAR, facility

pytestmark = pytest.mark.django_db

# (employees, revenue bn VND, capital bn VND, class by NĐ 80/2021 for industry): every limit of
# the decree, exactly on it and just above (EXACT_LIMITS), and the cases with unknown figures.
BOUNDARIES = [
    *EXACT_LIMITS,
    (None, "3", None, "micro"),
    (None, "50.001", "20.001", "medium"),
    (None, "200.001", None, "large"),
    (None, None, "100.001", "large"),
    (0, None, None, "micro"),
    (None, None, None, None),
]


def _build():
    built = []
    for employees, revenue, capital, expected in BOUNDARIES:
        f = facility(
            employees=employees,
            revenue_bn_vnd=None if revenue is None else Decimal(revenue),
            capital_bn_vnd=None if capital is None else Decimal(capital),
        )
        built.append((f, expected))
    return built


def test_model_filter_and_indicators_agree_on_every_boundary():
    built = _build()
    big_in_indicators = set(
        indicator_facilities("ENT_UNIT_PCT", YEAR, "denominator").values_list("pk", flat=True)
    )
    for name in ("micro", "small", "medium", "large"):
        in_filter = set(Facility.objects.filter(size_class_q(name)).values_list("pk", flat=True))
        assert in_filter == {f.pk for f, expected in built if expected == name}, name
    for f, expected in built:
        assert f.size_class() == expected, (f.employees, f.revenue_bn_vnd, f.capital_bn_vnd)
        assert (f.pk in big_in_indicators) is (expected in ("medium", "large")), expected


def test_at_least_conditions():
    built = _build()
    at_least = {
        name: set(Facility.objects.filter(size_at_least_q(name)).values_list("pk", flat=True))
        for name in ("micro", "small", "medium", "large")
    }
    order = ["micro", "small", "medium", "large"]
    for f, expected in built:
        for name in order:
            wanted = expected is not None and order.index(expected) >= order.index(name)
            assert (f.pk in at_least[name]) is wanted, (expected, name)


def test_the_limits_grow_class_by_class():
    # size_at_least_q relies on it: fitting a class means fitting every larger one.
    rows = SIZE_LIMITS[INDUSTRY]
    assert [row[0] for row in rows] == ["micro", "small", "medium"]
    for smaller, larger in zip(rows, rows[1:], strict=False):
        assert all(a <= b for a, b in zip(smaller[1:], larger[1:], strict=True))


def test_the_registry_filter_uses_the_same_rule(client, staff):
    on_limit = facility(name="Cơ sở 200 lao động", employees=200)
    facility(name="Cơ sở 201 lao động", employees=201)
    client.force_login(staff)
    medium = client.get(reverse("facilities:list"), {"size": "medium"})
    assert list(medium.context["page"].object_list) == [on_limit]
