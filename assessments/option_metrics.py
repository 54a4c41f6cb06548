"""What an option saves in TOE and tCO₂, read from the factor tables staff maintain.

Load the factors once per page (`load_factors()`, two queries) and pass them to the functions
below, so a list of options costs no query per option.
"""

from dataclasses import dataclass
from decimal import Decimal

from .factors import KWH_PER_MWH, Factors
from .models import OPTION_ENERGY_FIELDS, Option


def load_factors() -> Factors:
    return Factors.load()


def _savings(option: Option):
    """(carrier, amount) for each energy saving the option declares."""
    for field, carrier in OPTION_ENERGY_FIELDS.items():
        amount = getattr(option, field)
        if amount:
            yield carrier, Decimal(amount)


def toe_saved(option: Option, factors: Factors) -> Decimal:
    """Σ saving × TOE per unit, over electricity and the fuels."""
    return sum(
        (
            amount * factors.toe[carrier]
            for carrier, amount in _savings(option)
            if carrier in factors.toe
        ),
        Decimal(0),
    )


def tco2_avoided(option: Option, factors: Factors) -> Decimal:
    """Electricity (MWh) × the grid factor of the implementation year + Σ fuel × tCO₂ per unit."""
    total = Decimal(0)
    for carrier, amount in _savings(option):
        if carrier == "electricity":
            grid = factors.grid_factor(option.implementation_year)
            if grid is not None:
                total += amount / KWH_PER_MWH * grid
        elif carrier in factors.co2:
            total += amount * factors.co2[carrier]
    return total


@dataclass(frozen=True)
class OptionRow:
    """An option with its computed values, ready for a template."""

    option: Option
    payback_years: Decimal | None
    toe: Decimal
    tco2: Decimal


@dataclass(frozen=True)
class Totals:
    investment_vnd: int
    annual_saving_vnd: int
    toe: Decimal
    tco2: Decimal


def option_rows(options, factors: Factors) -> list[OptionRow]:
    return [
        OptionRow(o, o.payback_years(), toe_saved(o, factors), tco2_avoided(o, factors))
        for o in options
    ]


def totals(rows: list[OptionRow]) -> Totals:
    """The sums over the options still pursued (Option.is_pursued)."""
    rows = [r for r in rows if r.option.is_pursued()]
    return Totals(
        investment_vnd=sum(r.option.investment_vnd for r in rows),
        annual_saving_vnd=sum(r.option.annual_saving_vnd for r in rows),
        toe=sum((r.toe for r in rows), Decimal(0)),
        tco2=sum((r.tco2 for r in rows), Decimal(0)),
    )
