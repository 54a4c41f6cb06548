"""Figures computed from an annual report with the factors in the database (never constants):

- total TOE = Σ amount × ConversionFactor.toe_per_unit (+ other fuel × its own factor);
- energy intensity = TOE ÷ output (TOE per unit of product);
- specific consumption (suất tiêu hao) of each carrier and of water = amount ÷ output;
- the energy-saving rule of DESIGN §4 (SAVING_PCT), written once here: the baseline is the
  facility's earliest approved report, earlier than the year; the fall = (baseline intensity −
  intensity) ÷ baseline intensity × 100, with output > 0 and energy > 0 in both years and the
  same product unit (`same_unit`: trimmed, case-insensitive; empty matches only empty)
  (`intensity_fall_pct`). The indicators run the same rule in SQL for speed
  (`toe_sql`, `BASELINE_INTENSITY_SQL`, `FALL_PCT_SQL`, used by reports.fact_sql.FACTS_SQL);
  tests/reports/test_saving_rule.py holds the two to the same answers;
- tCO₂ = electricity MWh × grid factor of the report's year + Σ fuel × co2_t_per_unit.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, Value
from django.db.models.functions import Coalesce, Lower, Trim
from django.utils.translation import gettext as _

from .factors import KWH_PER_MWH, Factors
from .models import ENERGY_FIELDS, AnnualReport

HUNDRED = Decimal(100)
NUMERIC = DecimalField(max_digits=40, decimal_places=12)
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
    for _name, tonnes in _co2_terms(report, factors):
        if tonnes is None:
            return None
        total += tonnes
    return total


def co2_gap(report: AnnualReport, factors: Factors) -> str | None:
    """Why co2_tonnes is None, for the reader (the first carrier used without its factor)."""
    for name, tonnes in _co2_terms(report, factors):
        if tonnes is not None:
            continue
        if ENERGY_FIELDS[name] in GRID_CARRIERS:
            return _("Chưa có hệ số phát thải lưới điện năm %(year)s.") % {"year": report.year}
        label = AnnualReport._meta.get_field(name).verbose_name
        return _("Chưa có hệ số phát thải CO₂ của %(fuel)s.") % {"fuel": label}
    return None


def _co2_terms(report: AnnualReport, factors: Factors):
    """(field, tCO₂) of each carrier the report uses; tCO₂ None when its factor is missing."""
    for name, carrier in ENERGY_FIELDS.items():
        amount = getattr(report, name)
        if not amount:
            continue
        if carrier in GRID_CARRIERS:
            per_mwh = factors.grid.get(report.year)
            per_unit = None if per_mwh is None else Decimal(amount) / KWH_PER_MWH * per_mwh
            yield name, per_unit
        elif carrier in factors.co2:
            yield name, Decimal(amount) * factors.co2[carrier]
        else:
            yield name, None


def baseline_report(report: AnnualReport) -> AnnualReport | None:
    """The facility's earliest approved report (its baseline year)."""
    approved = AnnualReport.objects.approved().filter(facility_id=report.facility_id)
    return approved.order_by("year").first()


def baseline_intensity(baseline: AnnualReport, toe: dict[str, Decimal]) -> Decimal | None:
    """The baseline's energy intensity when it can serve as one: output > 0 and energy > 0."""
    if not baseline.output or baseline.output <= 0:
        return None
    energy = baseline.total_toe(toe)
    return energy / baseline.output if energy > 0 else None


def unit_key(unit: str | None) -> str:
    """A product unit as SAVING compares it: trimmed and case-insensitive (SQL: UNIT_KEY_SQL)."""
    return (unit or "").strip().lower()


def same_unit(report: AnnualReport, baseline: AnnualReport) -> bool:
    return unit_key(report.product_unit) == unit_key(baseline.product_unit)


def intensity_fall_pct(
    report: AnnualReport, baseline: AnnualReport | None, toe: dict[str, Decimal]
) -> Decimal | None:
    """% fall of energy intensity (TOE per unit of output) from `baseline` to `report`, unrounded
    (positive: intensity fell; DESIGN §4 SAVING_PCT). None when the baseline is missing or not
    earlier than the report, gives no usable intensity, or the report has no output > 0, no
    energy > 0 or another product unit than the baseline's (data-quality findings, never a
    saving).
    `toe` maps ConversionFactor.carrier -> TOE per unit (Factors.toe, toe_factors())."""
    if baseline is None:
        return None
    return _fall_pct(report, baseline, baseline.total_toe(toe), report.total_toe(toe))


def water_fall_pct(report: AnnualReport, baseline: AnnualReport | None) -> Decimal | None:
    """% fall of water use per unit of output (m³ per unit), by SAVING's method: the same
    baseline, output > 0 and water > 0 in both years, the same product unit."""
    if baseline is None:
        return None
    return _fall_pct(report, baseline, baseline.water_m3, report.water_m3)


def _fall_pct(report, baseline, before_amount, after_amount) -> Decimal | None:
    """(before − after) ÷ before × 100 of amount per unit of output, when both years qualify."""
    if baseline.year >= report.year or not same_unit(report, baseline):
        return None
    outputs = (baseline.output, report.output)
    amounts = (before_amount, after_amount)
    if any(not value or value <= 0 for value in (*outputs, *amounts)):
        return None
    # One division, of exact products: an exact 8 % fall is 8, not the 7.999… two rounded
    # quotients (amount ÷ output, each cut to 28 digits) would give, and would miss the line.
    ratio = (Decimal(after_amount) * Decimal(baseline.output)) / (
        Decimal(before_amount) * Decimal(report.output)
    )
    return (1 - ratio) * HUNDRED


# --- the same rule in SQL, for the indicators (reports.fact_sql.FACTS_SQL) ---------------------


def toe_sql(toe: dict[str, Decimal]) -> ExpressionWrapper:
    """`AnnualReport.total_toe` as an SQL expression over the report's fields."""
    total = Coalesce(
        F("other_fuel_amount") * F("other_fuel_toe_factor"),
        Value(Decimal(0)),
        output_field=NUMERIC,
    )
    for name, carrier in ENERGY_FIELDS.items():
        amount = Coalesce(F(name), Value(Decimal(0)), output_field=NUMERIC)
        total = total + amount * Value(toe.get(carrier, Decimal(0)), output_field=NUMERIC)
    return ExpressionWrapper(total, output_field=NUMERIC)


def unit_key_sql() -> Lower:
    """`unit_key` in SQL: LOWER(TRIM(product_unit)) (on SQLite the LOWER of
    core.collation.register_sqlite_collation, which lowers Vietnamese letters too)."""
    return Lower(Trim(Coalesce(F("product_unit"), Value(""))))


# `baseline_intensity`: {output} and {toe} are the baseline report's columns. "* 1.0" before
# each division: SQLite stores a whole decimal as an INTEGER and would divide 540 / 600 to 0
# (PostgreSQL's numeric is unchanged by it).
BASELINE_INTENSITY_SQL = "CASE WHEN {output} > 0 AND {toe} > 0 THEN {toe} * 1.0 / {output} END"

# `intensity_fall_pct`: {base} is BASELINE_INTENSITY_SQL (NULL unless the baseline's output and
# amount are > 0), {base_output} and {base_amount} the baseline's output and amount, {output},
# {toe} and {unit} the year's report, {base_unit} the baseline's unit (both `unit_key_sql`). One
# division of exact products, as `_fall_pct`: an exact 8 % fall is 8 (PostgreSQL's numeric
# cuts each quotient, and two of them made it 7.9999999999999999).
FALL_PCT_SQL = """CASE WHEN {base_year} < {year} AND {base} IS NOT NULL
                     AND {output} > 0 AND {toe} > 0 AND {unit} = {base_unit}
                THEN 100 - {toe} * {base_output} * 100.0
                     / ({base_amount} * {output}) END"""


@dataclass
class ReportFigures:
    """Everything the report page shows, computed once."""

    toe: Decimal
    intensity: Decimal | None
    co2: Decimal | None
    co2_gap: str | None = None  # why co2 is None (co2_gap())
    specific: dict[str, Decimal] = field(default_factory=dict)
    baseline_year: int | None = None
    change_pct: Decimal | None = None  # −fall: negative when intensity fell

    @classmethod
    def of(cls, report: AnnualReport, factors: Factors | None = None) -> "ReportFigures":
        factors = factors or Factors.load()
        baseline = baseline_report(report)
        return cls(
            toe=total_toe(report, factors),
            intensity=energy_intensity(report, factors),
            co2=co2_tonnes(report, factors),
            co2_gap=co2_gap(report, factors),
            specific=specific_consumption(report),
            baseline_year=baseline.year if baseline else None,
            change_pct=_negated(intensity_fall_pct(report, baseline, factors.toe)),
        )


def _negated(value: Decimal | None) -> Decimal | None:
    return None if value is None else -value
