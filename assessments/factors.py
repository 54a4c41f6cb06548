"""Default conversion and emission factors (DOMAIN.md), seeded by a data migration and then
editable by staff. Computations always read the database, never these constants: `Factors.load()`
(annual-report figures, option savings) or `toe_factors()`."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext, gettext_noop

# The shipped wording is marked for translation (gettext_noop): pages show it in the reader's
# language while the stored value is still the shipped one (ConversionFactor.display_name, …);
# each string is written out whole so that makemessages finds it.
MOIT = gettext_noop("Bộ Công Thương, CV 3505/BCT-KHCN")
MOIT_IPCC = gettext_noop("Bộ Công Thương, CV 3505/BCT-KHCN; CO₂: IPCC 2006, hệ số mặc định")
TONNE = gettext_noop("tấn")

# carrier, name, unit, TOE per unit, fuel tCO2 per unit (None for electricity: grid factor), source
CONVERSION_FACTORS = [
    ("electricity", gettext_noop("Điện"), "kWh", "0.0001543", None, MOIT),
    (
        "coal",
        gettext_noop("Than cám (loại 3–4)"),
        TONNE,
        "0.60",
        "2.469",
        gettext_noop(
            "Bộ Công Thương, CV 3505/BCT-KHCN; CO₂: 98,3 t/TJ (antraxit), IPCC 2006, hệ số mặc định"
        ),
    ),
    (
        "diesel_l",
        gettext_noop("Dầu diesel"),
        gettext_noop("lít"),
        "0.00088",
        "0.002752",
        gettext_noop("Bộ Công Thương, CV 3505/BCT-KHCN; CO₂: 3,19 t/t, IPCC 2006, hệ số mặc định"),
    ),
    ("fuel_oil", gettext_noop("Dầu FO"), TONNE, "0.99", "3.13", MOIT_IPCC),
    ("lpg", "LPG", TONNE, "1.09", "2.99", MOIT_IPCC),
    (
        "natural_gas",
        gettext_noop("Khí thiên nhiên"),
        "1000 m³",
        "0.90",
        "2.114",
        gettext_noop("Bộ Công Thương, CV 3505/BCT-KHCN; CO₂: 56,1 t/TJ, IPCC 2006, hệ số mặc định"),
    ),
    ("diesel_t", gettext_noop("Dầu diesel (theo tấn)"), TONNE, "1.02", "3.19", MOIT_IPCC),
    ("petrol_t", gettext_noop("Xăng (theo tấn)"), TONNE, "1.05", "3.07", MOIT_IPCC),
    ("coke", gettext_noop("Than cốc"), TONNE, "0.70", None, MOIT),
    ("coal_1_2", gettext_noop("Than cám (loại 1–2)"), TONNE, "0.70", None, MOIT),
    ("coal_5_6", gettext_noop("Than cám (loại 5–6)"), TONNE, "0.50", None, MOIT),
]

GRID = gettext_noop("Bộ Tài nguyên và Môi trường, hệ số phát thải lưới điện Việt Nam")
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


SHIPPED_CONVERSION = {
    row[0]: {"name": row[1], "unit": row[2], "source": row[5]} for row in CONVERSION_FACTORS
}


def display_conversion(carrier: str, field: str, stored: str) -> str:
    """A conversion factor's `field` ("name", "unit" or "source") as the reader should see it:
    the shipped wording in the active language while `stored` is still that wording, else what
    staff wrote."""
    shipped = SHIPPED_CONVERSION.get(carrier, {}).get(field)
    return gettext(shipped) if shipped and stored == shipped else stored


def display_grid_source(stored: str) -> str:
    """A grid emission factor's source: the shipped one in the active language, else as written."""
    return gettext(GRID) if stored == GRID else stored


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
        """The grid factor of `year` itself (DOMAIN.md: the factor of the year the saving
        happened), the one rule for every tCO₂ of electricity; None without a year or without
        that year's factor: then there is no tCO₂ figure (`grid_factor_gap` says why), never
        one computed with another year's factor."""
        return None if year is None else self.grid.get(year)


def grid_factor_gap(year: int | None) -> str:
    """Why electricity saved in `year` has no tCO₂ figure (Factors.grid_factor is None), in the
    words the annual report uses."""
    if year is None:
        return gettext("Chưa có năm thực hiện để chọn hệ số phát thải lưới điện.")
    return gettext("Chưa có hệ số phát thải lưới điện năm %(year)s.") % {"year": year}
