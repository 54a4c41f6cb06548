"""The most a money or quantity field can hold before its figure is a typing error, and the one
check of it (`amount_errors`): refused on the field, the limit in Vietnamese notation."""

from decimal import Decimal

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.numbers import format_amount

# The most an option can save a year (or cost), per field: about the yearly use of the largest
# single industrial plant of the country, rounded up (a whole steel works or paper mill saving all
# it uses), far inside the fields' limits (DECIMAL 18,3; BIGINT). Beyond it the figure is a typing
# error (999 999 999 999 kWh), and one such option would swamp the province's physical results.
OPTION_AMOUNT_MAX = {
    "annual_saving_vnd": 10_000_000_000_000,  # 10.000 tỷ đồng
    "investment_vnd": 100_000_000_000_000,  # 100.000 tỷ đồng
    "electricity_saving_kwh": Decimal(10_000_000_000),  # 10 tỷ kWh = 10 TWh
    "coal_saving_t": Decimal(10_000_000),
    "diesel_saving_l": Decimal(1_000_000_000),
    "fuel_oil_saving_t": Decimal(1_000_000),
    "lpg_saving_t": Decimal(1_000_000),
    "natural_gas_saving_1000m3": Decimal(10_000_000),  # 10 tỷ m³
    "water_saving_m3": Decimal(1_000_000_000),
    "material_saving_t": Decimal(100_000_000),
}

# The most a programme activity (per source of its budget) or a CP assessment (its consultancy)
# costs: 100 tỷ đồng, thousands of times a province's yearly SXSH budget. Beyond it the figure is a
# typing error (5.000.000.000.000.000.000 đồng) that the year's document would print. (The
# support an assessment gets is held to 50 triệu đồng already: Assessment._support_error.)
PROGRAMME_MONEY_MAX = 100_000_000_000  # 100 tỷ đồng
ACTIVITY_AMOUNT_MAX = dict.fromkeys(
    ("budget_province_vnd", "budget_national_vnd", "budget_enterprise_vnd", "budget_other_vnd"),
    PROGRAMME_MONEY_MAX,
)
ASSESSMENT_AMOUNT_MAX = {"total_cost_vnd": PROGRAMME_MONEY_MAX}


def amount_error(instance, name: str, limit) -> str | None:
    """Why the value of field `name` of `instance` cannot be (more than `limit`), or None."""
    value = getattr(instance, name)
    if value is None or value <= limit:
        return None
    label = capfirst(instance._meta.get_field(name).verbose_name)
    return _("%(field)s không được vượt quá %(max)s.") % {
        "field": label,
        "max": format_amount(limit),
    }


def amount_errors(instance, limits: dict) -> dict[str, list[str]]:
    """Field -> [message] for each field of `limits` (name -> most allowed) `instance` exceeds."""
    errors = {}
    for name, limit in limits.items():
        message = amount_error(instance, name, limit)
        if message:
            errors[name] = [message]
    return errors
