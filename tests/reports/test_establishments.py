"""The statistics office's count of industrial establishments (DESIGN §4, honest denominators):
staff record it per year with its source; corrections keep history; coverage is measured
against it."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from reports.models import EstablishmentCount

URL = "reports:establishments"


def post(client, **overrides):
    data = {
        "year": 2020,
        "count": "1.234",
        "source": "Niên giám thống kê tỉnh Bắc Ninh 2020",
        "source_date": "2021-06-30",
        "note": "",
    } | overrides
    return client.post(reverse(URL), data)


def test_staff_record_a_count_typed_the_vietnamese_way(client, staff):
    client.force_login(staff)

    assert post(client).status_code == 302

    entry = EstablishmentCount.objects.get(year=2020)
    assert (entry.count, entry.source_date, entry.author) == (1234, date(2021, 6, 30), staff)
    page = client.get(reverse(URL)).content.decode()
    assert "1.234" in page and "Niên giám thống kê tỉnh Bắc Ninh 2020" in page


def test_a_correction_keeps_the_history(client, staff):
    client.force_login(staff)
    post(client)
    post(client, count="1.250", source="Cục Thống kê, số liệu điều chỉnh")

    assert EstablishmentCount.objects.get(year=2020).count == 1250
    assert EstablishmentCount.history.filter(year=2020).count() == 2
    page = client.get(reverse(URL)).content.decode()
    assert "Cục Thống kê, số liệu điều chỉnh" in page and "1.234" in page


@pytest.mark.parametrize(
    ("field", "value"),
    [("count", "0"), ("count", "12.3"), ("source", ""), ("source_date", "")],
)
def test_bad_input_is_refused_and_nothing_saved(client, staff, field, value):
    client.force_login(staff)
    response = post(client, **{field: value})
    assert response.status_code == 400
    assert not EstablishmentCount.objects.exists()


@pytest.mark.parametrize("who", ["official", "facility_user"])
def test_only_staff_enter_counts(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert post(client).status_code == 403
    assert not EstablishmentCount.objects.exists()


def test_coverage_is_rounded_half_up(db):
    entry = EstablishmentCount(year=2020, count=2000, source="x", source_date=date(2021, 1, 1))
    assert entry.coverage_pct(909) == Decimal("45.5")  # 45.45 → 45,5 (half-even would give 45,4)
    assert entry.coverage_pct(2100) == Decimal("105.0")  # a registry larger than the count shows
