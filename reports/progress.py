"""A facility's own progress (issue 17 point 3): its energy intensity year by year against its
baseline with the fall in % (the saving rule of DESIGN §4, `reports.intensity.intensity_rows`:
the baseline is the earliest approved report), its benchmark score per year
(`assessments.benchmark.facility_benchmarks`), its CP options with their status and measured
effect, and the 8% line the indicators count as reaching the saving target
(`reports.figures.SAVING_REACH_PCT`). Only approved annual reports count; the options are
those of the facility's own assessments, and only done options of approved assessments add up
to the totals.

The progress page, its chart and the one-page PDF summary (`reports/files/progress_pdf.py`) all
read one `FacilityProgress`."""

from dataclasses import dataclass
from decimal import Decimal

from assessments.benchmark import Benchmark, facility_benchmarks
from assessments.factors import Factors
from assessments.models import Option, WorkflowState
from assessments.option_metrics import tco2_avoided, tco2_whole, toe_saved

from .figures import SAVING_REACH_PCT
from .intensity import intensity_rows

TARGET_PCT = Decimal(SAVING_REACH_PCT)


@dataclass(frozen=True)
class ProgressYear:
    year: int
    output: Decimal | None
    unit: str
    toe: Decimal
    intensity: Decimal | None
    # figures.shown_saving: one decimal, half up, never at the 8 % line when below it; None for
    # the baseline year
    fall_pct: Decimal | None
    benchmark: Benchmark

    @property
    def score(self) -> int | None:
        return self.benchmark.score

    @property
    def band(self) -> str | None:
        return self.benchmark.band

    @property
    def reaches_target(self) -> bool | None:
        """Whether the fall reaches the 8% line (None without a fall)."""
        return None if self.fall_pct is None else self.fall_pct >= TARGET_PCT


@dataclass(frozen=True)
class OptionEffect:
    """An option of one of the facility's assessments, with what it saves a year."""

    option: Option
    payback_years: Decimal | None
    toe: Decimal
    tco2: Decimal | None  # None: no grid factor of its implementation year

    @property
    def counts(self) -> bool:
        """Done, in an approved assessment, in a year the facility operated (as the province's
        physical results count them): only these add up to the measured effect."""
        option = self.option
        year = option.implementation_year
        return (
            option.status == Option.Status.DONE
            and option.assessment.state == WorkflowState.APPROVED
            and not (year and option.assessment.facility.not_operating_reason(year))
        )


@dataclass(frozen=True)
class FacilityProgress:
    facility: object
    years: list[ProgressYear]
    options: list[OptionEffect]
    target_pct: Decimal = TARGET_PCT

    @property
    def has_approved_report(self) -> bool:
        return bool(self.years)

    @property
    def baseline_year(self) -> int | None:
        return self.years[0].year if self.years else None

    @property
    def latest(self) -> ProgressYear | None:
        return self.years[-1] if self.years else None

    @property
    def done_options(self) -> list[OptionEffect]:
        return [effect for effect in self.options if effect.counts]

    @property
    def saving_vnd(self) -> int:
        return sum(effect.option.annual_saving_vnd for effect in self.done_options)

    @property
    def investment_vnd(self) -> int:
        return sum(effect.option.investment_vnd for effect in self.done_options)

    @property
    def toe_saved(self) -> Decimal:
        return sum((effect.toe for effect in self.done_options), Decimal(0))

    @property
    def tco2_avoided(self) -> Decimal | None:
        """None when a done option has no figure (no grid factor of its year): the page's
        total is the whole or nothing."""
        return tco2_whole(effect.tco2 for effect in self.done_options)

    def chart(self) -> dict:
        """The chart's data, JSON-ready (rendered with json_script)."""
        return {
            "years": [row.year for row in self.years],
            "intensity": [_number(row.intensity) for row in self.years],
            "fall": [_number(row.fall_pct) for row in self.years],
            "score": [row.score for row in self.years],
            "target": float(self.target_pct),
        }


def _number(value) -> float | None:
    return None if value is None else float(value)


def facility_progress(facility) -> FacilityProgress:
    """`facility`'s progress: a handful of queries, the same for any number of approved years
    (the scores of every year in two)."""
    factors = Factors.load()
    rows = intensity_rows(facility, factors.toe)
    benchmarks = facility_benchmarks(facility, [row.year for row in rows], factors.toe)
    years = [
        ProgressYear(
            row.year,
            row.output,
            row.unit,
            row.toe,
            row.intensity,
            row.saving_pct,
            benchmarks[row.year],
        )
        for row in rows
    ]
    return FacilityProgress(facility, years, option_effects(facility, factors))


def option_effects(facility, factors: Factors) -> list[OptionEffect]:
    """The options of `facility`'s assessments (one query), oldest assessment first."""
    options = (
        Option.objects.filter(assessment__facility_id=facility.pk)
        .select_related("assessment__facility")
        .order_by("assessment__start_date", "assessment_id", "category", "id")
    )
    return [
        OptionEffect(o, o.payback_years(), toe_saved(o, factors), tco2_avoided(o, factors))
        for o in options
    ]
