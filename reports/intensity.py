"""A facility's energy intensity (TOE per unit of output) year by year, against the saving target.
The saving is the rule of the indicators, assessments.energy.intensity_fall_pct (DESIGN §4)."""

from dataclasses import dataclass
from decimal import Decimal

from assessments.energy import intensity_fall_pct
from assessments.factors import toe_factors

from .figures import SAVING, shown_saving
from .indicators import indicator_for

DEFAULT_TARGET = (Decimal(8), Decimal(13))


@dataclass
class IntensityRow:
    year: int
    output: Decimal | None
    unit: str
    toe: Decimal
    intensity: Decimal | None
    saving_pct: Decimal | None


def intensity_rows(facility, toe: dict[str, Decimal] | None = None) -> list[IntensityRow]:
    """One row per approved report of `facility`, oldest first (two queries; one with `toe`,
    the factors of `toe_factors()`)."""
    factors = toe_factors() if toe is None else toe
    reports = list(facility.annual_reports.approved().order_by("year"))
    baseline = reports[0] if reports else None  # the earliest approved report
    return [
        IntensityRow(
            report.year,
            report.output,
            report.product_unit,
            report.total_toe(factors),
            report.energy_intensity(factors),
            shown_saving(intensity_fall_pct(report, baseline, factors)),
        )
        for report in reports
    ]


def saving_target(year: int | None) -> tuple[Decimal, Decimal]:
    """The SAVING_PCT target range of the plan covering `year` (8–13% by default)."""
    indicator = indicator_for(SAVING, year) if year else None
    if indicator is None or indicator.target_min is None:
        return DEFAULT_TARGET
    return indicator.target_min, indicator.target_max or indicator.target_min
