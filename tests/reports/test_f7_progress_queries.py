"""A facility's progress page reads the benchmark of all its approved years at once: a facility
with nine approved years costs no more queries than one with two, and each year's benchmark is the
one `facility_benchmark` gives for that year alone."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.benchmark import facility_benchmark, year_scores
from assessments.factors import toe_factors
from reports.progress import facility_progress

from ..factories import FacilityFactory, IndustryCodeFactory
from .indicator_helpers import report

pytestmark = pytest.mark.django_db

FIRST_YEAR = 2012
PEERS = 10


def url(facility):
    return reverse("reports:facility_progress", args=[facility.pk])


@pytest.fixture
def industry():
    return IndustryCodeFactory()


def with_years(industry, name: str, count: int):
    """A facility with `count` approved years from FIRST_YEAR, its coal falling year by year."""
    facility = FacilityFactory(name=name, industry=industry)
    for n in range(count):
        report(facility, FIRST_YEAR + n, coal_t=Decimal(100 - 3 * n))
    return facility


@pytest.fixture
def peers(industry):
    """Ten peers of the division and unit with an approved report each year, so that every year
    of the facilities below has a score."""
    for n in range(PEERS):
        peer = FacilityFactory(name=f"Cơ sở cùng ngành {n}", industry=industry)
        for year in range(FIRST_YEAR, FIRST_YEAR + 9):
            report(peer, year, coal_t=Decimal(60 + 8 * n))


def queries_of(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_nine_years_cost_no_more_queries_than_two(
    client, staff, industry, peers, django_assert_max_num_queries
):
    warm = with_years(industry, "Cơ sở làm nóng", 1)
    two = with_years(industry, "Cơ sở hai năm", 2)
    nine = with_years(industry, "Cơ sở chín năm", 9)
    client.force_login(staff)
    client.get(url(warm))  # the session and what any page reads once

    with_two = queries_of(client, url(two))

    with django_assert_max_num_queries(with_two):
        response = client.get(url(nine))
    years = response.context["progress"].years
    assert [row.year for row in years] == list(range(FIRST_YEAR, FIRST_YEAR + 9))
    assert all(row.score is not None for row in years)


def test_each_years_benchmark_is_that_years_alone(industry, peers):
    facility = with_years(industry, "Cơ sở nhiều năm", 6)
    # A year without output (no intensity, no score) and a year in another unit (its own group).
    report(facility, FIRST_YEAR + 6, output=Decimal(0))
    report(facility, FIRST_YEAR + 7, product_unit="m²")
    toe = toe_factors()

    years = facility_progress(facility).years

    assert {row.year for row in years} >= set(range(FIRST_YEAR, FIRST_YEAR + 6))
    for row in years:
        assert row.benchmark == facility_benchmark(facility, row.year, toe)
        ranked = year_scores(row.year, toe).get(facility.pk)
        if ranked is not None:
            assert row.benchmark == ranked
