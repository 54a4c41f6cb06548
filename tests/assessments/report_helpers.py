"""Shared bits of the annual-report view tests."""

from assessments.models import WorkflowEvent


def report_data(**overrides) -> dict:
    """A valid POST of the annual-report form."""
    data = {
        "year": "2019",
        "product": "Giấy bao bì",
        "product_unit": "tấn",
        "output": "1200",
        "electricity_kwh": "600000",
        "coal_t": "120,5",
        "diesel_l": "",
        "fuel_oil_t": "",
        "lpg_t": "",
        "natural_gas_1000m3": "",
        "other_fuel_name": "",
        "other_fuel_amount": "",
        "other_fuel_toe_factor": "",
        "water_m3": "40000",
        "employees": "80",
        "revenue_bn_vnd": "45,5",
        "capital_bn_vnd": "12",
        "aware": "on",
        "trained_staff": "2",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def events(report) -> list[tuple]:
    return list(
        WorkflowEvent.objects.filter(report=report).values_list(
            "action", "from_state", "to_state", "comment"
        )
    )
