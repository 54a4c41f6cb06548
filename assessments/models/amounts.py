"""The most a money or quantity field can hold before its figure is a typing error, and the one
check of it (`amount_errors`): refused on the field, the limit in Vietnamese notation. And the
State support an assessment may get (TTLT 221/2012/TTLT-BTC-BCT: `support_error`)."""

from decimal import Decimal

from django.db.models import Sum
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.numbers import format_amount, format_vnd

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
# support an assessment gets is held to 50 triệu đồng already: `support_error`.)
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


# TTLT 221/2012/TTLT-BTC-BCT: the State pays at most half the consultancy cost of an assessment,
# and at most 50 million VND to a facility, over all its assessments together.
SUPPORT_MAX_VND = 50_000_000


def facility_support_used(facility_id, *, besides=None) -> int:
    """The support (VND) the stored assessments of facility `facility_id` have, but the
    assessment `besides` as stored (the one being checked: its amount replaces the stored one),
    nor, for a new one, the record its creation form already stored when sent before (the same
    `form_token`: store_once then leads to that record, saving nothing)."""
    from .assessment import Assessment

    if not facility_id:
        return 0
    others = Assessment.objects.filter(facility_id=facility_id)
    if besides is not None and besides.pk:
        others = others.exclude(pk=besides.pk)
    elif besides is not None and besides.form_token:
        others = others.exclude(form_token=besides.form_token)
    return others.aggregate(total=Sum("supported_amount_vnd"))["total"] or 0


def max_support(total_cost_vnd: int, used_vnd: int = 0) -> int:
    """The most an assessment costing `total_cost_vnd` may get when its facility's other
    assessments have `used_vnd`: half the cost (integer halving: exactly 50% is allowed, 50.1%
    is not), and no more than what is left of the facility's 50 million."""
    return max(0, min((total_cost_vnd or 0) // 2, SUPPORT_MAX_VND - used_vnd))


def support_error(assessment) -> str | None:
    """Why `assessment` may not get its `supported_amount_vnd`, or None. The message names the
    cap that binds: half the cost, or what is left of the 50 million its facility at most gets
    (the support of its other assessments stored counted, that of this one as stored not)."""
    supported, total = assessment.supported_amount_vnd or 0, assessment.total_cost_vnd or 0
    if not supported:
        return None
    used = facility_support_used(assessment.facility_id, besides=assessment)
    if supported <= max_support(total, used):
        return None
    half, left = total // 2, max(0, SUPPORT_MAX_VND - used)
    if half <= left:
        return _(
            "Kinh phí hỗ trợ không được vượt quá 50%% tổng chi phí tư vấn "
            "(tối đa %(max)s đồng) theo TTLT 221/2012/TTLT-BTC-BCT."
        ) % {"max": format_vnd(half)}
    if not used:
        return _(
            "Kinh phí hỗ trợ không được vượt quá %(max)s đồng cho một cơ sở "
            "theo TTLT 221/2012/TTLT-BTC-BCT."
        ) % {"max": format_vnd(SUPPORT_MAX_VND)}
    return _(
        "Kinh phí hỗ trợ không được vượt quá %(max)s đồng cho một cơ sở, tính chung mọi đánh giá "
        "của cơ sở, theo TTLT 221/2012/TTLT-BTC-BCT: các đánh giá khác của cơ sở đã đề nghị hoặc "
        "được hỗ trợ %(used)s đồng, còn lại %(left)s đồng."
    ) % {
        "max": format_vnd(SUPPORT_MAX_VND),
        "used": format_vnd(used),
        "left": format_vnd(left),
    }
