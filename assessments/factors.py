"""Default conversion and emission factors (DOMAIN.md), seeded by a data migration and then
editable by staff. Computations always read the database, never these constants: `Factors.load()`
(annual-report figures, option savings) or `toe_factors()`."""

from dataclasses import dataclass
from decimal import Decimal

MOIT = "Bộ Công Thương, CV 3505/BCT-KHCN"
IPCC = "IPCC 2006, hệ số mặc định"

# carrier, name, unit, TOE per unit, fuel tCO2 per unit (None for electricity: grid factor), source
CONVERSION_FACTORS = [
    ("electricity", "Điện", "kWh", "0.0001543", None, MOIT),
    (
        "coal",
        "Than cám (loại 3–4)",
        "tấn",
        "0.60",
        "2.469",
        MOIT + "; CO₂: 98,3 t/TJ (antraxit), " + IPCC,
    ),
    ("diesel_l", "Dầu diesel", "lít", "0.00088", "0.002752", MOIT + "; CO₂: 3,19 t/t, " + IPCC),
    ("fuel_oil", "Dầu FO", "tấn", "0.99", "3.13", MOIT + "; CO₂: " + IPCC),
    ("lpg", "LPG", "tấn", "1.09", "2.99", MOIT + "; CO₂: " + IPCC),
    (
        "natural_gas",
        "Khí thiên nhiên",
        "1000 m³",
        "0.90",
        "2.114",
        MOIT + "; CO₂: 56,1 t/TJ, " + IPCC,
    ),
    ("diesel_t", "Dầu diesel (theo tấn)", "tấn", "1.02", "3.19", MOIT + "; CO₂: " + IPCC),
    ("petrol_t", "Xăng (theo tấn)", "tấn", "1.05", "3.07", MOIT + "; CO₂: " + IPCC),
    ("coke", "Than cốc", "tấn", "0.70", None, MOIT),
    ("coal_1_2", "Than cám (loại 1–2)", "tấn", "0.70", None, MOIT),
    ("coal_5_6", "Than cám (loại 5–6)", "tấn", "0.50", None, MOIT),
]

GRID = "Bộ Tài nguyên và Môi trường, hệ số phát thải lưới điện Việt Nam"
GRID_EMISSION_FACTORS = {
    2014: "0.6612",
    2015: "0.8154",
    2016: "0.9185",
    2017: "0.8649",
    2018: "0.9130",
    2019: "0.8458",
    2020: "0.8041",
    2021: "0.7221",
    2022: "0.6766",
    2023: "0.6592",
}


def seed_factors(conversion_model, grid_model) -> None:
    """Create the default factors that are missing; never overwrite a staff edit."""
    for carrier, name, unit, toe, co2, source in CONVERSION_FACTORS:
        conversion_model.objects.get_or_create(
            carrier=carrier,
            defaults={
                "name": name,
                "unit": unit,
                "toe_per_unit": Decimal(toe),
                "co2_t_per_unit": Decimal(co2) if co2 else None,
                "source": source,
            },
        )
    for year, value in GRID_EMISSION_FACTORS.items():
        grid_model.objects.get_or_create(
            year=year, defaults={"t_co2_per_mwh": Decimal(value), "source": GRID}
        )


def toe_factors() -> dict[str, Decimal]:
    from .models import ConversionFactor

    return dict(ConversionFactor.objects.values_list("carrier", "toe_per_unit"))


KWH_PER_MWH = Decimal(1000)


@dataclass(frozen=True)
class Factors:
    """The factor tables in memory, so that many figures cost no query each."""

    toe: dict[str, Decimal]  # carrier -> TOE per unit
    co2: dict[str, Decimal]  # carrier -> tCO₂ per unit (fuels that have one)
    grid: dict[int, Decimal]  # year -> tCO₂ per MWh

    @classmethod
    def load(cls) -> "Factors":
        """All factors in two queries."""
        from .models import ConversionFactor, GridEmissionFactor

        rows = ConversionFactor.objects.values_list("carrier", "toe_per_unit", "co2_t_per_unit")
        toe = {carrier: value for carrier, value, _co2 in rows}
        co2 = {carrier: value for carrier, _toe, value in rows if value is not None}
        grid = dict(GridEmissionFactor.objects.values_list("year", "t_co2_per_mwh"))
        return cls(toe=toe, co2=co2, grid=grid)

    def grid_factor(self, year: int | None) -> Decimal | None:
        """The grid factor of `year`; for a year without one, the nearest earlier year (else the
        earliest known); without a year, the latest known. (An annual report's CO₂ takes the
        factor of its own year only: `self.grid.get(year)`.)"""
        if not self.grid:
            return None
        years = sorted(self.grid)
        if year is None:
            return self.grid[years[-1]]
        earlier = [y for y in years if y <= year]
        return self.grid[earlier[-1] if earlier else years[0]]
