"""The staff's view of the benchmark score (issue 17 point 4): for a year, per VSIC division and
product unit (the peer groups of DESIGN §4, `assessments.benchmark.year_scores`), the
distribution of the scores — how many facilities, minimum, quartiles, median, maximum and the
count per band (`BANDS`) — and the target list for assessments: the facilities flagged at high
pollution risk (`Facility.high_pollution_risk`), not closed, in the bottom band of `BANDS`
(the least efficient quarter). Bands are read from the tie-aware position
(`Benchmark.position`), not the score: facilities tied for the best are not the least
efficient, though the score counts only the peers strictly above them. Without ties the
position is the score (bottom band: score 0–24).

Whose facilities (issue 18): the groups, their counts, distributions and the target list are
over the facilities the user sees (`Facility.objects.visible_to`): in a national installation a
province's staff and officials see their province's, the Ministry every province's; a
one-province installation everyone's. The scores themselves are not scoped: a facility's peers
(DESIGN §4) are every facility of the country with the same VSIC division and unit and an
approved report for the year, so that a province with few facilities of a sector still gets a
score, and the same facility has the same score on every page and for every user.

Only groups with a score (at least `MIN_PEERS` peers) have a distribution; the others are
counted. Quartiles are interpolated between the sorted scores as Excel's QUARTILE.INC does
(`statistics.quantiles(method="inclusive")`), in Decimal so that a quarter stays exact."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from assessments.benchmark import BANDS, Benchmark, band_index, year_scores
from assessments.models import AnnualReport
from facilities.models import Facility, IndustryCode
from facilities.territory import province_for, territory_name

BOTTOM_QUARTILE_MAX = 24  # the target list: the bottom band of BANDS (position 0–24)
BOTTOM_BAND = len(BANDS) - 1
DIVISION_LEVEL = 2


@dataclass(frozen=True)
class Distribution:
    division: str
    division_name: str
    priority: bool  # a plan priority sector (IndustryCode.is_priority)
    unit: str  # as compared: trimmed, lower case
    facilities: int  # the user's facilities in the group
    minimum: int
    q1: Decimal
    median: Decimal
    q3: Decimal
    maximum: int
    bands: tuple[int, ...]  # facilities per band (by position), in the order of BANDS (best first)
    peers: int  # the group's facilities in the whole installation: the peers each score is over


@dataclass(frozen=True)
class Target:
    facility: Facility
    division: str
    unit: str
    score: int
    peers: int
    intensity: Decimal


@dataclass(frozen=True)
class SectorScores:
    year: int
    groups: list[Distribution]
    unscored_groups: int  # the user's peer groups with fewer than MIN_PEERS facilities in all
    unscored_facilities: int  # the user's facilities in them
    targets: list[Target]


def band_labels() -> list[str]:
    return [str(text) for _floor, text in BANDS]


def band_ranges() -> list[str]:
    """The scores of each band, best first: "75–100", "50–74", …"""
    ranges, top = [], 100
    for floor, _text in BANDS:
        ranges.append(f"{floor}–{top}")
        top = floor - 1
    return ranges


def scope_name(user) -> str | None:
    """In a national installation the name of the territory whose facilities `user` is shown
    ("Tỉnh Bắc Ninh", or "cả nước" for the Ministry); None in a one-province installation."""
    if settings.PORTAL_SCOPE != "national":
        return None
    return territory_name(province_for(user))


def score_years() -> list[int]:
    """The years with approved annual reports, latest first (one query). `order_by()` drops
    Meta.ordering (facility, year), which DISTINCT would otherwise also be on: a year per report."""
    years = AnnualReport.objects.approved().order_by().values_list("year", flat=True).distinct()
    return sorted(years, reverse=True)


def quartile(ordered: list[int], k: int) -> Decimal:
    """The k-th quartile (1, 2, 3) of sorted scores, interpolated as QUARTILE.INC."""
    position = Decimal(len(ordered) - 1) * k / 4
    low = int(position)
    if low + 1 >= len(ordered):
        return Decimal(ordered[low])
    fraction = position - low
    return ordered[low] + (ordered[low + 1] - ordered[low]) * fraction


def band_counts(positions: list[int]) -> tuple[int, ...]:
    """Facilities per band, best first, of their positions (`Benchmark.position`)."""
    counts = [0] * len(BANDS)
    for position in positions:
        counts[band_index(position)] += 1
    return tuple(counts)


def sector_scores(year: int, user) -> SectorScores:
    """The distribution and the target list of `year` over the facilities `user` may see, each
    scored among its peers in the whole installation, in a handful of queries."""
    visible = Facility.objects.visible_to(user)
    benchmarks = year_scores(year)  # every facility's: the peers are nation-wide
    shown = _shown(benchmarks, visible, year)
    groups: dict[tuple[str, str], list[Benchmark]] = {}
    for pk in shown:
        benchmark = benchmarks[pk]
        groups.setdefault((benchmark.division, benchmark.unit), []).append(benchmark)
    divisions = _divisions({division for division, _unit in groups})
    scored = {key: rows for key, rows in groups.items() if rows[0].score is not None}
    distributions = [
        _distribution(division, unit, rows, divisions)
        for (division, unit), rows in sorted(scored.items())
    ]
    return SectorScores(
        year=year,
        groups=distributions,
        unscored_groups=len(groups) - len(scored),
        unscored_facilities=sum(len(rows) for key, rows in groups.items() if key not in scored),
        targets=_targets(benchmarks, visible),
    )


def _shown(benchmarks: dict[int, Benchmark], visible, year: int) -> list[int]:
    """The facilities of `benchmarks` among `visible` (one query: those reporting for `year`)."""
    reporting = visible.filter(annual_reports__year=year).order_by().values_list("pk", flat=True)
    return [pk for pk in reporting if pk in benchmarks]


def _divisions(codes: set[str]) -> dict[str, tuple[str, bool]]:
    """division code -> (name, priority) (one query)."""
    rows = IndustryCode.objects.filter(level=DIVISION_LEVEL, code__in=codes).order_by("-version")
    result = {}
    for code, name, priority in rows.values_list("code", "name", "is_priority"):
        result.setdefault(code, (name, priority))
    return result


def _distribution(division, unit, rows, divisions) -> Distribution:
    scores = sorted(row.score for row in rows)
    name, priority = divisions.get(division, ("", False))
    return Distribution(
        division=division,
        division_name=name,
        priority=priority,
        unit=unit,
        facilities=len(scores),
        minimum=scores[0],
        q1=quartile(scores, 1),
        median=quartile(scores, 2),
        q3=quartile(scores, 3),
        maximum=scores[-1],
        bands=band_counts([row.position for row in rows]),
        peers=rows[0].peers,
    )


def _targets(benchmarks: dict[int, Benchmark], visible) -> list[Target]:
    """High-pollution-risk facilities in the least efficient band (two queries), worst first;
    not a closed facility, which no assessment can help (it stays a peer of the years it
    reported)."""
    risky = visible.filter(high_pollution_risk=True).exclude(status=Facility.Status.CLOSED)
    low = {
        pk
        for pk in risky.values_list("pk", flat=True)
        if pk in benchmarks
        and benchmarks[pk].position is not None
        and band_index(benchmarks[pk].position) == BOTTOM_BAND
    }
    targets = []
    for facility in risky.filter(pk__in=low).select_related("industry"):
        mark = benchmarks[facility.pk]
        targets.append(
            Target(facility, mark.division, mark.unit, mark.score, mark.peers, mark.intensity)
        )
    targets.sort(key=lambda t: (t.division, t.unit, t.score, t.facility.name, t.facility.pk))
    return targets
