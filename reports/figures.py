"""The computed indicators' codes and the figures they are given as (DESIGN §4): `Counts` of
one group of facilities (the province, or one group of a grouping) and the `Figure` of each code,
with its numerator and denominator. No queries here: `reports.facts` fills the counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from core.numbers import round_pct

AWARE = "AWARE_PCT"
APPLY = "APPLY_PCT"
SAVING = "SAVING_PCT"
ENT_UNIT = "ENT_UNIT_PCT"
# Computed from data the reports already collect (issue 14): staff may add them to a period.
TRAINED = "TRAINED_PCT"
WATER_SAVING = "WATER_SAVING_PCT"
COMPUTED_CODES = (AWARE, APPLY, SAVING, ENT_UNIT, TRAINED, WATER_SAVING)
# The plan's own four, shown in every table of groups (the others are there for the API).
TABLE_CODES = (AWARE, APPLY, SAVING, ENT_UNIT)
# DESIGN §4: "also report how many of them reach 8%" (the low end of the 2020 target).
SAVING_REACH_PCT = 8  # an int: SQLite compares a Decimal parameter as text
PARTS = ("numerator", "denominator")


def share(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return round_pct(Decimal(numerator) * 100 / Decimal(denominator))


@dataclass(frozen=True)
class Figure:
    """One computed (or manual) value. For SAVING_PCT the numerator is the number of facilities
    reaching 8% and the denominator the number of facilities in the mean."""

    actual: Decimal | None
    numerator: int | None = None
    denominator: int | None = None
    reaching_8: int | None = None


@dataclass
class Counts:
    """Counts for one group of facilities (the province, or one group of a grouping)."""

    operating: int = 0
    aware: int = 0
    applies: int = 0
    big: int = 0
    has_unit: int = 0
    saving_n: int = 0
    saving_sum: Decimal = Decimal(0)
    reaching_8: int = 0
    trained: int = 0
    water_n: int = 0
    water_sum: Decimal = Decimal(0)
    reported: int = 0  # with an approved report of the year (the reporting rate's numerator)

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def values(self) -> dict[str, Figure]:
        saving = round_pct(self.saving_sum / self.saving_n) if self.saving_n else None
        water = round_pct(self.water_sum / self.water_n) if self.water_n else None
        return {
            AWARE: Figure(share(self.aware, self.operating), self.aware, self.operating),
            APPLY: Figure(share(self.applies, self.operating), self.applies, self.operating),
            SAVING: Figure(saving, self.reaching_8, self.saving_n, self.reaching_8),
            ENT_UNIT: Figure(share(self.has_unit, self.big), self.has_unit, self.big),
            TRAINED: Figure(share(self.trained, self.operating), self.trained, self.operating),
            # As SAVING: the numerator is unused (no threshold), the denominator the mean's n.
            WATER_SAVING: Figure(water, None, self.water_n),
        }


def shown_saving(saving, *, reaching: bool | None = None) -> Decimal | None:
    """A facility's saving (%) as documents and pages write it: one decimal, half up (DESIGN
    §4), except that a facility below the 8 % line (not `reaching`, as SAVING_PCT's numerator
    says; by default the value itself compared with the line) is never shown at it: 7.9796 is
    written 7.9, not 8.0, so no page or sheet can be read to count more facilities reaching the
    line than the indicator does. (Two decimals would only move the edge: 7.996 -> 8.00.) A
    reaching value already rounds to the line or above."""
    if reaching is None:
        reaching = saving is not None and saving >= SAVING_REACH_PCT
    shown = round_pct(saving)
    if shown is not None and not reaching and shown >= SAVING_REACH_PCT:
        shown = Decimal(str(saving)).quantize(Decimal("0.1"), rounding=ROUND_FLOOR)
    return shown
