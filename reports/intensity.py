"""A facility's energy intensity (TOE per unit of output) year by year, against the saving target
(DESIGN §4: baseline = the earliest approved report, with output and energy above zero)."""

from dataclasses import dataclass
from decimal import Decimal

from assessments.factors import toe_factors

from .indicators import SAVING, indicator_for, round_pct

DEFAULT_TARGET = (Decimal(8), Decimal(13))


@dataclass
class IntensityRow:
    year: int
    output: Decimal | None
    unit: str
    toe: Decimal
    intensity: Decimal | None
    saving_pct: Decimal | None


def intensity_rows(facility) -> list[IntensityRow]:
    """One row per approved report of `facility`, oldest first (two queries)."""
    factors = toe_factors()
    reports = list(facility.annual_reports.approved().order_by("year"))
    baseline = _baseline_intensity(reports, factors)
    rows = []
    for report in reports:
        intensity = report.energy_intensity(factors)
        saving = None
        if baseline and intensity is not None and report is not reports[0]:
            saving = round_pct((baseline - intensity) * 100 / baseline)
        rows.append(
            IntensityRow(
                report.year,
                report.output,
                report.product_unit,
                report.total_toe(factors),
                intensity,
                saving,
            )
        )
    return rows


def _baseline_intensity(reports, factors) -> Decimal | None:
    if not reports:
        return None
    first = reports[0]
    intensity = first.energy_intensity(factors)
    return intensity if intensity and first.total_toe(factors) > 0 else None


def saving_target(year: int | None) -> tuple[Decimal, Decimal]:
    """The SAVING_PCT target range of the plan covering `year` (8–13% by default)."""
    indicator = indicator_for(SAVING, year) if year else None
    if indicator is None or indicator.target_min is None:
        return DEFAULT_TARGET
    return indicator.target_min, indicator.target_max or indicator.target_min
