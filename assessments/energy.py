"""Figures computed from an annual report with the factors in the database (never constants):

- total TOE = Σ amount × ConversionFactor.toe_per_unit (+ other fuel × its own factor);
- energy intensity = TOE ÷ output (TOE per unit of product);
- specific consumption (suất tiêu hao) of each carrier and of water = amount ÷ output;
- change against the baseline = (intensity − baseline intensity) ÷ baseline intensity × 100, the
  baseline being the facility's earliest approved report (negative: intensity fell);
- tCO₂ = electricity MWh × grid factor of the report's year + Σ fuel × co2_t_per_unit.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from .factors import KWH_PER_MWH, Factors
from .models import ENERGY_FIELDS, AnnualReport

HUNDRED = Decimal(100)
# Carriers whose CO₂ comes from the grid factor rather than from ConversionFactor.co2_t_per_unit.
GRID_CARRIERS = ("electricity",)
SPECIFIC_FIELDS = (*ENERGY_FIELDS, "water_m3")


def total_toe(report: AnnualReport, factors: Factors) -> Decimal:
    return report.total_toe(factors.toe)


def energy_intensity(report: AnnualReport, factors: Factors) -> Decimal | None:
    return report.energy_intensity(factors.toe)


def specific_consumption(report: AnnualReport) -> dict[str, Decimal]:
    """Field -> amount per unit of output, for the carriers (and water) the report gives."""
    if not report.output:
        return {}
    result = {}
    for name in SPECIFIC_FIELDS:
        amount = getattr(report, name)
        if amount is not None:
            result[name] = Decimal(amount) / Decimal(report.output)
    return result


def co2_tonnes(report: AnnualReport, factors: Factors) -> Decimal | None:
    """tCO₂ of the year; None when a carrier used lacks its factor (e.g. no grid factor yet)."""
    total = Decimal(0)
    for name, carrier in ENERGY_FIELDS.items():
        amount = getattr(report, name)
        if not amount:
            continue
        if carrier in GRID_CARRIERS:
            per_mwh = factors.grid.get(report.year)
            if per_mwh is None:
                return None
            total += Decimal(amount) / KWH_PER_MWH * per_mwh
        elif carrier in factors.co2:
            total += Decimal(amount) * factors.co2[carrier]
        else:
            return None
    return total


def baseline_report(report: AnnualReport) -> AnnualReport | None:
    """The facility's earliest approved report (its baseline year)."""
    approved = AnnualReport.objects.approved().filter(facility_id=report.facility_id)
    return approved.order_by("year").first()


def intensity_change_pct(
    report: AnnualReport, baseline: AnnualReport | None, factors: Factors
) -> Decimal | None:
    """% change of energy intensity from the baseline to `report` (negative = fall); None when
    there is no earlier baseline, no output in either year or no energy in the baseline."""
    if baseline is None or baseline.year >= report.year:
        return None
    before = energy_intensity(baseline, factors)
    after = energy_intensity(report, factors)
    if not before or after is None:
        return None
    return (after - before) / before * HUNDRED


@dataclass
class ReportFigures:
    """Everything the report page shows, computed once."""

    toe: Decimal
    intensity: Decimal | None
    co2: Decimal | None
    specific: dict[str, Decimal] = field(default_factory=dict)
    baseline_year: int | None = None
    change_pct: Decimal | None = None

    @classmethod
    def of(cls, report: AnnualReport, factors: Factors | None = None) -> "ReportFigures":
        factors = factors or Factors.load()
        baseline = baseline_report(report)
        return cls(
            toe=total_toe(report, factors),
            intensity=energy_intensity(report, factors),
            co2=co2_tonnes(report, factors),
            specific=specific_consumption(report),
            baseline_year=baseline.year if baseline else None,
            change_pct=intensity_change_pct(report, baseline, factors),
        )
