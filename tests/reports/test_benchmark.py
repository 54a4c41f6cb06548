"""The benchmark score of DESIGN §4 (assessments.benchmark): its boundaries, the one-query year
computation against the per-facility one, the API (scoped like the web), the pages, and the
messy samples against an independent computation from the CSV files."""

import csv
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import tokens
from assessments.benchmark import band_of, facility_benchmark, score_of, year_scores
from assessments.models import ConversionFactor
from facilities.models import Facility
from facilities.reference import load_admin_units
from tests.samples import SAMPLES

from ..factories import FacilityFactory, IndustryCodeFactory
from .indicator_helpers import YEAR, report

pytestmark = pytest.mark.django_db
MESSY = SAMPLES / "messy"


def _api(pk, year=YEAR):
    return reverse("api:facility_benchmark", args=[pk]) + f"?year={year}"


def peers_with(coal_tonnes, *, division="23", unit="tấn", year=YEAR, **fields):
    """One facility per coal figure (0.60 TOE/t, output 1000): intensity = coal × 0.0006."""
    industry = IndustryCodeFactory(code=division)
    made = []
    for coal in coal_tonnes:
        facility = FacilityFactory(industry=industry)
        report(facility, year, coal_t=Decimal(coal), product_unit=unit, **fields)
        made.append(facility)
    return made


def check(facility, year=YEAR):
    """The facility's Benchmark, after checking the year query gives the same."""
    one = facility_benchmark(facility, year)
    assert year_scores(year).get(facility.pk, one) == one
    return one


def test_score_is_the_share_of_peers_with_a_higher_intensity():
    facilities = peers_with(range(10, 110, 10))  # 10 peers, intensities all different
    best, worst, third = facilities[0], facilities[-1], facilities[2]
    assert (check(best).score, check(worst).score) == (100, 0)
    # 7 of the other 9 are higher: 700 / 9 = 77.78 -> 78
    assert check(third).score == 78
    assert check(third).peers == 10


def test_nine_peers_give_no_score_ten_do():
    nine = peers_with(range(10, 100, 10))
    result = check(nine[0])
    assert (result.peers, result.score) == (9, None)
    another = peers_with([5], division="23")[0]
    assert (check(another).peers, check(another).score) == (10, 100)


def test_equal_intensities_do_not_count_as_higher():
    # Same intensity by other numbers: 50 t for 1000 and 100 t for 2000 units.
    facilities = peers_with([50] * 5 + [100] * 5)
    twin = FacilityFactory(industry=facilities[0].industry)
    report(twin, YEAR, coal_t=Decimal(100), output=Decimal(2000))
    # 11 peers; the 5 at 100 t are higher than a 50 t one: 500 / 10 = 50.
    assert check(facilities[0]).score == 50
    assert check(twin).score == 50
    # Nobody is higher than a 100 t one.
    assert check(facilities[-1]).score == 0


def test_half_rounds_up():
    # 17 peers: one with 8 higher -> 8 × 100 / 16 = 50; with 1 higher: 6.25 -> 6.
    assert score_of(1, 17) == 6
    assert score_of(5, 9) == 63  # 62.5 -> 63
    assert score_of(3, 9) == 38  # 37.5 -> 38


def test_unit_compared_trimmed_and_case_insensitive_other_units_excluded():
    same = peers_with(range(10, 90, 10))  # 8 in "tấn"
    # The same unit after trimming and lowering (ASCII capitals: SQLite lowers no others).
    peers_with([200], unit=" TấN ", division="23")
    peers_with([300], unit="Tấn", division="23")
    peers_with([1, 2, 3], unit="m2", division="23")  # another unit: not peers
    result = check(same[0])
    assert (result.peers, result.score) == (10, 100)
    assert check(same[-1]).score == 22  # 2 of 9 higher: 22.2


def test_empty_unit_matches_only_empty():
    empty = peers_with(range(10, 100, 10), unit="")
    peers_with([500], unit="tấn", division="23")
    assert (check(empty[0]).peers, check(empty[0]).score) == (9, None)


def test_drafts_zero_energy_zero_output_and_other_divisions_are_not_peers():
    facilities = peers_with(range(10, 100, 10))
    industry = facilities[0].industry
    draft = FacilityFactory(industry=industry)
    report(draft, YEAR, state="draft")
    submitted = FacilityFactory(industry=industry)
    report(submitted, YEAR, state="submitted")
    no_energy = FacilityFactory(industry=industry)
    report(no_energy, YEAR, coal_t=Decimal(0))
    no_output = FacilityFactory(industry=industry)
    report(no_output, YEAR, output=Decimal(0))
    peers_with([1], division="24")
    peers_with([1], division="23", year=YEAR - 1)
    assert check(facilities[0]).peers == 9
    assert check(facilities[0]).score is None
    # Those without a qualifying report have no score and no peers.
    for facility in (draft, submitted, no_energy, no_output):
        result = check(facility)
        assert (result.intensity, result.peers, result.score) == (None, None, None)


def test_division_is_the_first_two_digits_of_the_code():
    four_digit = IndustryCodeFactory(code="2392", level=4)
    facilities = peers_with(range(10, 100, 10), division="23")
    other = FacilityFactory(industry=four_digit)
    report(other, YEAR, coal_t=Decimal(1))
    assert (check(other).peers, check(other).score) == (10, 100)
    assert check(facilities[0]).division == "23"


def test_bands():
    assert band_of(None) is None
    assert band_of(100) == band_of(75) == "thuộc nhóm 25% hiệu quả nhất"
    assert band_of(74) != band_of(75)
    assert band_of(0) == band_of(24) == "thuộc nhóm 25% kém hiệu quả nhất"


# --- the API -------------------------------------------------------------------------------


def test_api_answers_the_design_shape(client, official):
    facilities = peers_with(range(10, 110, 10))
    client.force_login(official)
    body = client.get(_api(facilities[2].pk)).json()
    assert body == {
        "year": YEAR,
        "division": "23",
        "unit": "tấn",
        "intensity": 0.018,
        "peers": 10,
        "score": 78,
    }


def test_api_without_a_report_gives_nulls(client, staff, facility):
    client.force_login(staff)
    body = client.get(_api(facility.pk)).json()
    assert body == {
        "year": YEAR,
        "division": "10",
        "unit": None,
        "intensity": None,
        "peers": None,
        "score": None,
    }


def test_facility_user_sees_its_own_and_gets_404_for_another(client, facility_user, facility):
    facilities = peers_with(range(10, 110, 10))
    report(facility, YEAR)
    _token, key = tokens.issue(facility_user, "thử")
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    assert client.get(_api(facility.pk), **auth).status_code == 200
    other = client.get(_api(facilities[0].pk), **auth)
    assert other.status_code == 404
    assert other["Content-Type"].startswith("application/problem+json")
    client.force_login(facility_user)
    assert client.get(_api(facilities[0].pk)).status_code == 404
    assert client.get(_api(facility.pk)).status_code == 200


@pytest.mark.parametrize("query", ["", "?year=", "?year=1999", "?year=2101", "?year=abc"])
def test_api_refuses_a_bad_year(client, staff, facility, query):
    client.force_login(staff)
    url = reverse("api:facility_benchmark", args=[facility.pk]) + query
    response = client.get(url)
    assert response.status_code == 400
    assert "year" in response.json()["detail"] or "year" in str(response.json())


def test_api_needs_a_login(client, facility):
    assert client.get(_api(facility.pk)).status_code in (401, 403)


def test_api_queries_are_bounded(client, official, django_assert_max_num_queries):
    facilities = peers_with(range(10, 310, 10))
    client.force_login(official)
    # The session, the user and its devices, then the facility, the factors, the facility's own
    # report and one count of its peers, whatever their number.
    with django_assert_max_num_queries(9):
        assert client.get(_api(facilities[0].pk)).json()["score"] == 100


def test_year_scores_is_one_query(django_assert_max_num_queries):
    peers_with(range(10, 310, 10))
    peers_with(range(10, 110, 10), division="24")
    toe = {"coal": Decimal("0.60")}
    with django_assert_max_num_queries(1):
        scores = year_scores(YEAR, toe)
    assert len(scores) == 40
    assert sorted(b.score for b in scores.values() if b.division == "24") == [
        0, 11, 22, 33, 44, 56, 67, 78, 89, 100
    ]  # fmt: skip


# --- the pages -----------------------------------------------------------------------------


def test_facility_page_shows_score_peers_and_band_without_other_names(client, facility_user):
    facility = facility_user.facilities.get()
    facility.industry = IndustryCodeFactory(code="23")
    facility.save()
    report(facility, YEAR, coal_t=Decimal(5))
    others = peers_with(range(10, 100, 10))
    client.force_login(facility_user)
    html = client.get(reverse("facilities:detail", args=[facility.pk])).content.decode()
    assert 'id="benchmark-score">100<' in html
    assert "So với 10 cơ sở ngành VSIC 23" in html
    assert "thuộc nhóm 25% hiệu quả nhất" in html
    for other in others:
        assert other.name not in html
        assert other.tax_code not in html
    page = client.get(facility.annual_reports.get().get_absolute_url()).content.decode()
    assert 'id="benchmark-score">100<' in page
    assert not any(other.name in page for other in others)


def test_report_page_of_a_draft_shows_no_score(client, staff, facility):
    draft = report(facility, YEAR, state="draft")
    client.force_login(staff)
    html = client.get(draft.get_absolute_url()).content.decode()
    assert "benchmark-card" not in html


def test_pages_without_enough_peers_say_so(client, official, facility):
    report(facility, YEAR)
    client.force_login(official)
    html = client.get(reverse("facilities:detail", args=[facility.pk])).content.decode()
    assert "Chưa có điểm: chỉ 1 cơ sở" in html


# --- the messy samples against an independent computation -----------------------------------


def _independent(year: int) -> dict[str, int | None]:
    """tax code -> score for `year` straight from the CSV files, with exact fractions."""
    factors = {
        c: Fraction(str(v))
        for c, v in ConversionFactor.objects.values_list("carrier", "toe_per_unit")
    }
    fields = {
        "electricity_kwh": "electricity",
        "coal_t": "coal",
        "diesel_l": "diesel_l",
        "fuel_oil_t": "fuel_oil",
        "lpg_t": "lpg",
        "natural_gas_1000m3": "natural_gas",
    }
    with open(MESSY / "facilities.csv", encoding="utf-8") as file:
        division = {row["tax_code"]: row["vsic_code"][:2] for row in csv.DictReader(file)}
    rows = {}
    with open(MESSY / "annual_reports.csv", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            if int(row["year"]) != year or not row["output"].strip():
                continue
            output = Fraction(row["output"])
            toe = sum(
                (Fraction(row[f]) * factors[c] for f, c in fields.items() if row[f].strip()),
                Fraction(0),
            )
            if output > 0 and toe > 0:
                key = (division[row["tax_code"]], row["product_unit"].strip().lower())
                rows[row["tax_code"]] = (key, toe / output)
    scores = {}
    for tax_code, (key, mine) in rows.items():
        peers = [value for other_key, value in rows.values() if other_key == key]
        higher = sum(1 for value in peers if value > mine)
        n = len(peers)
        scores[tax_code] = int(Fraction(100 * higher, n - 1) + Fraction(1, 2)) if n >= 10 else None
    return scores


def test_messy_samples_equal_the_independent_computation(client, official, settings):
    settings.PORTAL_PROVINCE_CODE = 27
    load_admin_units(27)
    call_command("import_facilities", str(MESSY / "facilities.csv"))
    call_command("import_annual_reports", str(MESSY / "annual_reports.csv"))
    client.force_login(official)
    scored = 0
    for year in range(2016, 2021):
        wanted = _independent(year)
        by_query = year_scores(year)
        for facility in Facility.objects.all():
            body = client.get(_api(facility.pk, year)).json()
            assert body["score"] == wanted.get(facility.tax_code), (year, facility.tax_code)
            in_year = by_query.get(facility.pk)
            assert (in_year.score if in_year else None) == body["score"]
            scored += body["score"] is not None
    assert scored >= 10  # some groups do reach ten peers


@pytest.mark.django_db(transaction=True)
def test_a_groups_ranks_are_cached_until_approved_data_change():
    """Ranking a group reads every peer's report: the facility page and the API ask on each
    view of any of its facilities, so the ranks are kept until approved data change."""
    facilities = peers_with(range(10, 110, 10))
    third = facilities[2]
    assert facility_benchmark(third, YEAR).score == 78
    with CaptureQueriesContext(connection) as queries:
        assert facility_benchmark(third, YEAR).score == 78
        assert facility_benchmark(facilities[0], YEAR).score == 100
    assert queries.captured_queries
    assert not [q for q in queries.captured_queries if "RANK()" in q["sql"].upper()]

    peers_with([1000])  # a new, more intense peer's approved report

    again = facility_benchmark(third, YEAR)
    assert (again.peers, again.score) == (11, 80)  # 8 of the other 10 higher
