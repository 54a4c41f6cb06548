"""What an option saves in TOE and tCO₂, read from the factor tables staff maintain.

Load the factors once per page (`load_factors()`, two queries) and pass them to the functions
below, so a list of options costs no query per option.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .factors import KWH_PER_MWH, Factors, grid_factor_gap
from .models import OPTION_ENERGY_FIELDS, ConversionFactor, Option


def load_factors() -> Factors:
    return Factors.load()


def _savings(option: Option):
    """(carrier, amount) for each energy saving the option declares."""
    for _field, carrier, amount in _saved_fields(option):
        yield carrier, amount


def _saved_fields(option: Option):
    """(field, carrier, amount) for each energy saving the option declares."""
    for field, carrier in OPTION_ENERGY_FIELDS.items():
        amount = getattr(option, field)
        if amount:
            yield field, carrier, Decimal(amount)


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


def tco2_avoided(option: Option, factors: Factors) -> Decimal | None:
    """Electricity (MWh) × the grid factor of the implementation year + Σ fuel × tCO₂ per unit;
    None when the option saves electricity and that year has no grid factor (or the option no
    year), or saves a fuel the factor table gives no tCO₂ per unit: no figure rather than one
    computed with another year's factor or counting the fuel as 0 (`tco2_gap` says why)."""
    total = Decimal(0)
    for carrier, amount in _savings(option):
        if carrier == "electricity":
            grid = factors.grid_factor(option.implementation_year)
            if grid is None:
                return None
            total += amount / KWH_PER_MWH * grid
        elif carrier in factors.co2:
            total += amount * factors.co2[carrier]
        else:
            return None
    return total


def tco2_gap(option: Option, factors: Factors) -> str | None:
    """Why `tco2_avoided` is None, for the reader (the first saving without its factor); None
    when it has a figure."""
    for _field, carrier, _amount in _saved_fields(option):
        if carrier == "electricity":
            if factors.grid_factor(option.implementation_year) is None:
                return grid_factor_gap(option.implementation_year)
        elif carrier not in factors.co2:
            return _("Chưa có hệ số phát thải CO₂ của %(fuel)s.") % {"fuel": _fuel_name(carrier)}
    return None


def _fuel_name(carrier: str) -> str:
    """The factor table's name of `carrier`, with its unit ("Dầu diesel (lít)")."""
    found = ConversionFactor.objects.filter(carrier=carrier).values_list("name", "unit").first()
    return f"{found[0]} ({found[1]})" if found else carrier


@dataclass(frozen=True)
class OptionRow:
    """An option with its computed values, ready for a template."""

    option: Option
    payback_years: Decimal | None
    toe: Decimal
    tco2: Decimal | None  # None: no grid factor for the implementation year (tco2_gap says why)
    tco2_gap: str | None = None


@dataclass(frozen=True)
class Totals:
    investment_vnd: int
    annual_saving_vnd: int
    toe: Decimal
    tco2: Decimal | None  # over the options with a figure; None when none of them has one
    tco2_left_out: int = 0  # options pursued without a tCO₂ figure, left out of `tco2`

    @property
    def tco2_note(self) -> str | None:
        """Says that the tCO₂ total leaves options out (rows say why for each)."""
        if not self.tco2_left_out:
            return None
        return ngettext(
            "Tổng giảm phát thải chưa tính %(count)s giải pháp chưa tính được giảm phát thải "
            "(lý do ghi ở từng giải pháp).",
            "Tổng giảm phát thải chưa tính %(count)s giải pháp chưa tính được giảm phát thải "
            "(lý do ghi ở từng giải pháp).",
            self.tco2_left_out,
        ) % {"count": self.tco2_left_out}


def option_rows(options, factors: Factors) -> list[OptionRow]:
    return [
        OptionRow(
            o,
            o.payback_years(),
            toe_saved(o, factors),
            tco2_avoided(o, factors),
            tco2_gap(o, factors),
        )
        for o in options
    ]


def totals(rows: list[OptionRow]) -> Totals:
    """The sums over the options still pursued (Option.is_pursued); tCO₂ over those with a
    figure, counting the ones left out (None when every one is)."""
    rows = [r for r in rows if r.option.is_pursued()]
    tco2, left_out = tco2_sum(r.tco2 for r in rows)
    return Totals(
        investment_vnd=sum(r.option.investment_vnd for r in rows),
        annual_saving_vnd=sum(r.option.annual_saving_vnd for r in rows),
        toe=sum((r.toe for r in rows), Decimal(0)),
        tco2=tco2,
        tco2_left_out=left_out,
    )


def tco2_sum(values) -> tuple[Decimal | None, int]:
    """(Σ of the tCO₂ figures, how many were None and left out); the sum is None when every
    one was (no figure rather than 0)."""
    values = list(values)
    known = [value for value in values if value is not None]
    left_out = len(values) - len(known)
    return (sum(known, Decimal(0)) if known or not left_out else None), left_out


def tco2_whole(values) -> Decimal | None:
    """Σ of the tCO₂ figures, None when any is None: a total shown without a note saying what
    it leaves out (a report file's row) is the whole or nothing."""
    values = list(values)
    return None if None in values else sum(values, Decimal(0))
