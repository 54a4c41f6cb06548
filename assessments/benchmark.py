"""The benchmark score (DESIGN §4), written once here.

For facility F and year Y, its peers are the facilities with an approved report for Y having
output > 0 and energy > 0 (TOE, `energy.toe_sql`), the same VSIC division (first two digits of the
facility's industry code) as F and the same product unit (`energy.unit_key_sql`, as SAVING
compares units: trimmed, case-insensitive; empty matches only empty), F included. With n ≥ 10
peers, score = 100 × (number of peers whose energy intensity — TOE per unit of output — is strictly
higher than F's) ÷ (n − 1), rounded half up to an integer; 100 is the most efficient. Otherwise, or
when F has no such report, there is no score.

The band (`band_of`, words such as "among the most efficient 25%") and the staff's target list
read the facility's tie-aware position (`Benchmark.position`), not the score: the score counts
only peers strictly higher, so facilities tied for the best would score low and be called the
least efficient. The position counts the peers not more efficient than F (strictly lower
intensity), which is the score itself when no peer shares F's intensity.

`year_scores(year)` computes every facility of a year in one query (window functions: the rank of
each report in descending intensity within its division and unit is 1 + the number of peers with
a higher intensity, and in ascending intensity 1 + the number with a lower one; PostgreSQL and
SQLite); `facility_benchmark(facility, year)` one facility's
from its own report and its group's ranks (cached). Intensities are compared at a fixed scale of 30
decimals, so that equal quotients (2/6 and 1/3) compare equal whatever the operands' sizes
(PostgreSQL; SQLite divides in floating point, and lowers ASCII letters only in units).
"""

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Count,
    DecimalField,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Cast, Coalesce, Rank, Round, Substr
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.data_version import cached_committed
from core.numbers import round_half_up

from .energy import toe_sql, unit_key_sql
from .factors import toe_factors
from .models import AnnualReport

MIN_PEERS = 10
INTENSITY_PLACES = 30
WIDE = DecimalField(max_digits=65, decimal_places=INTENSITY_PLACES)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Benchmark:
    """A facility's place among its peers for a year. `unit` is the unit as compared (trimmed,
    lower case); `peers` (F included) and `intensity` are None when F has no qualifying report."""

    year: int
    division: str
    unit: str | None
    intensity: Decimal | None
    peers: int | None
    higher: int | None = None  # peers with a strictly higher intensity
    lower: int | None = None  # peers with a strictly lower intensity (more efficient)

    @property
    def score(self) -> int | None:
        if self.peers is None or self.peers < MIN_PEERS or self.higher is None:
            return None
        return score_of(self.higher, self.peers)

    @property
    def position(self) -> int | None:
        """Where F stands with ties counted in its favour: 100 × (peers other than F that are
        not more efficient than it) ÷ (n − 1), rounded as the score; None without a score. The
        score when no peer shares F's intensity; higher than it for a tie, so that facilities
        tied for the best are all the most efficient, not the least."""
        if self.score is None or self.lower is None:
            return None
        return score_of(self.peers - 1 - self.lower, self.peers)

    @property
    def band(self) -> str | None:
        return band_of(self.position)

    @property
    def no_score_reason(self) -> str | None:
        """Why there is no score, in words (None with a score): too few peers, or no report of
        the year with output and energy above 0 (F then has no peers at all)."""
        if self.score is not None:
            return None
        if self.peers:
            return ngettext(
                "Chưa có điểm: chỉ %(peers)s cơ sở cùng ngành, cùng đơn vị sản phẩm có báo cáo "
                "đã duyệt (cần ít nhất 10).",
                "Chưa có điểm: chỉ %(peers)s cơ sở cùng ngành, cùng đơn vị sản phẩm có báo cáo "
                "đã duyệt (cần ít nhất 10).",
                self.peers,
            ) % {"peers": self.peers}
        return gettext(
            "Chưa có điểm: cần báo cáo năm đã duyệt có sản lượng và năng lượng tiêu thụ lớn hơn 0."
        )


def score_of(higher: int, peers: int) -> int:
    """100 × higher ÷ (peers − 1), rounded half up (peers ≥ 2)."""
    return int(round_half_up(Decimal(higher) * HUNDRED / Decimal(peers - 1)))


# The "%" is text, not a placeholder: tell xgettext.
BANDS = (
    # xgettext:no-python-format
    (75, _("thuộc nhóm 25% hiệu quả nhất")),
    (50, _("thuộc nhóm hiệu quả hơn một nửa số cơ sở cùng ngành")),
    (25, _("thuộc nhóm kém hiệu quả hơn một nửa số cơ sở cùng ngành")),
    # xgettext:no-python-format
    (0, _("thuộc nhóm 25% kém hiệu quả nhất")),
)


def band_of(position: int | None) -> str | None:
    """Where a position (`Benchmark.position`, on the score's 0–100 scale) places the facility
    among its peers, in words (None without a score)."""
    if position is None:
        return None
    return next(str(text) for floor, text in BANDS if position >= floor)


def band_index(position: int) -> int:
    """The index in `BANDS` (0 the most efficient) of a position."""
    return next(i for i, (floor, _text) in enumerate(BANDS) if position >= floor)


def division_of(code: str | None) -> str:
    return (code or "")[:2]


def _wide():
    """The type the TOE is divided in: NUMERIC(65, 30); on SQLite REAL, whose CAST to NUMERIC
    would turn a whole number into an INTEGER and the division into an integer one."""
    return FloatField() if connection.vendor == "sqlite" else WIDE


def qualifying(year: int, toe: dict[str, Decimal] | None = None):
    """The approved reports of `year` that can be ranked (output > 0, energy > 0), annotated with
    `division`, `unit` (as compared) and `intensity` (TOE per unit of output, 30 decimals)."""
    return _qualifying(toe).filter(year=year)


def _qualifying(toe: dict[str, Decimal] | None = None):
    """`qualifying` of every year."""
    toe = toe_factors() if toe is None else toe
    return (
        AnnualReport.objects.approved()
        .filter(output__gt=0)
        .annotate(b_toe=toe_sql(toe))
        .filter(b_toe__gt=0)
        .annotate(
            division=Coalesce(Substr(F("facility__industry__code"), 1, 2), Value("")),
            unit=unit_key_sql(),
            intensity=Round(
                Cast(F("b_toe"), _wide()) / F("output"), INTENSITY_PLACES, output_field=WIDE
            ),
        )
    )


def year_scores(year: int, toe: dict[str, Decimal] | None = None) -> dict[int, Benchmark]:
    """facility id -> Benchmark of every facility with a qualifying report for `year`, in one
    query (besides the factors)."""
    group = [F("division"), F("unit")]
    rows = (
        qualifying(year, toe)
        .annotate(
            b_rank=Window(Rank(), partition_by=group, order_by=F("intensity").desc()),
            b_low=Window(Rank(), partition_by=group, order_by=F("intensity").asc()),
            b_peers=Window(Count("pk"), partition_by=group),
        )
        .values_list("facility_id", "division", "unit", "intensity", "b_peers", "b_rank", "b_low")
    )
    return {
        facility_id: Benchmark(year, division, unit, intensity, peers, rank - 1, low - 1)
        for facility_id, division, unit, intensity, peers, rank, low in rows.iterator(
            chunk_size=5000
        )
    }


def facility_benchmark(facility, year: int, toe: dict[str, Decimal] | None = None) -> Benchmark:
    """`facility`'s Benchmark for `year` (the same answer as `year_scores(year)[facility.pk]`):
    its own report, then the ranks of its group (division and unit). With the stored factors
    (no `toe` given) the group's ranks are cached until approved data or the factors change:
    they read every peer's report, about 0.2 s for a division of 10,000 facilities, and the
    facility page and the API ask on each view of any of them."""
    cache = toe is None
    toe = toe_factors() if toe is None else toe
    division = division_of(facility.industry.code if facility.industry_id else "")
    own = qualifying(year, toe).filter(facility_id=facility.pk).values("unit", "intensity").first()
    if own is None:
        unit = (
            AnnualReport.objects.approved()
            .filter(facility_id=facility.pk, year=year)
            .values_list("product_unit", flat=True)
            .first()
        )
        unit = None if unit is None else unit.strip().lower()
        return Benchmark(year, division, unit, None, None)
    unit = own["unit"]
    if cache:
        digest = hashlib.sha256(unit.encode()).hexdigest()[:16]
        name = f"benchmark-ranks:{year}:{division}:{digest}"
        counts = cached_committed(name, lambda: _counts(year, division, unit, toe))
    else:
        counts = _counts(year, division, unit, toe)
    higher, lower = counts[facility.pk]
    return Benchmark(year, division, unit, own["intensity"], len(counts), higher, lower)


def facility_benchmarks(facility, years, toe: dict[str, Decimal]) -> dict[int, Benchmark]:
    """year -> `facility`'s Benchmark of each of `years`, the same as `facility_benchmark` gives
    for each year alone (uncached, as with `toe` given), in two queries whatever the number of
    years: its own qualifying reports with their group's counts (correlated subqueries on the
    year, division and unit), then the unit of the years without one."""
    years = sorted(set(years))
    if not years:
        return {}
    division = division_of(facility.industry.code if facility.industry_id else "")
    group = _qualifying(toe).filter(
        year=OuterRef("year"), division=OuterRef("division"), unit=OuterRef("unit")
    )
    own = (
        _qualifying(toe)
        .filter(facility_id=facility.pk, year__in=years)
        .annotate(
            b_peers=_count(group),
            b_higher=_count(group.filter(intensity__gt=OuterRef("intensity"))),
            b_lower=_count(group.filter(intensity__lt=OuterRef("intensity"))),
        )
        .values_list("year", "unit", "intensity", "b_peers", "b_higher", "b_lower")
    )
    result = {
        year: Benchmark(year, division, unit, intensity, peers, higher, lower)
        for year, unit, intensity, peers, higher, lower in own
    }
    if missing := [year for year in years if year not in result]:
        units = dict(
            AnnualReport.objects.approved()
            .filter(facility_id=facility.pk, year__in=missing)
            .values_list("year", "product_unit")
        )
        for year in missing:
            unit = units.get(year)
            unit = None if unit is None else unit.strip().lower()
            result[year] = Benchmark(year, division, unit, None, None)
    return result


def _count(reports) -> Subquery:
    """The number of `reports` (a correlated subquery), 0 when none."""
    counted = reports.order_by().values("year").annotate(b_n=Count("pk")).values("b_n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _counts(year: int, division: str, unit: str, toe: dict[str, Decimal]) -> dict:
    """facility id -> (the number of its peers (the group `division`, `unit`) with a higher
    intensity, the number with a lower one): its rank in descending and in ascending intensity,
    less one (equal intensities share a rank)."""
    rows = (
        qualifying(year, toe)
        .filter(division=division, unit=unit)
        .annotate(
            b_rank=Window(Rank(), order_by=F("intensity").desc()),
            b_low=Window(Rank(), order_by=F("intensity").asc()),
        )
        .values_list("facility_id", "b_rank", "b_low")
    )
    return {facility_id: (rank - 1, low - 1) for facility_id, rank, low in rows}
