"""The 2016–2020 plan and its indicators (DOMAIN.md; QĐ 1419/QĐ-TTg targets adopted by the
provincial plan), seeded by a data migration. Staff edit targets and add indicators afterwards.
Names, units and notes are marked for translation: Indicator.display_unit /
display_baseline_note and reports.models.period_name / period_basis show them in the reader's
language while they are still the shipped wording."""

from django.utils.translation import gettext_noop

PERIOD_2016_2020 = {
    "code": "2016-2020",
    "name": gettext_noop(
        "Kế hoạch hành động Sản xuất sạch hơn trong công nghiệp giai đoạn 2016–2020"
    ),
    "start_year": 2016,
    "end_year": 2020,
    "basis": gettext_noop("QĐ 1419/QĐ-TTg ngày 07/9/2009"),
}

# The demo's 2021–2030 period (ops.demo_reports adds it; staff edit it to the approved plan),
# here so that its wording is shipped wording too.
PERIOD_2021_2030 = {
    "code": "2021-2030",
    "name": gettext_noop(
        "Kế hoạch hành động Sản xuất sạch hơn trong công nghiệp giai đoạn 2021–2030"
    ),
    "start_year": 2021,
    "end_year": 2030,
    "basis": gettext_noop("QĐ 889/QĐ-TTg ngày 24/6/2020 (chỉ tiêu trình diễn)"),
}
BASELINE_2021_2030 = gettext_noop("Năm gốc: kết quả năm 2020")
SHIPPED_PERIODS = {period["code"]: period for period in (PERIOD_2016_2020, PERIOD_2021_2030)}

# code, vi, en, unit, target min, target max, 2015 target as baseline note, method
INDICATORS_2016_2020 = [
    (
        "AWARE_PCT",
        "Tỷ lệ cơ sở SXCN nhận thức được lợi ích của SXSH",
        "Industrial facilities aware of the benefits of cleaner production",
        "%",
        "90",
        None,
        gettext_noop("Mục tiêu đến 2015: 50%"),
        "computed",
    ),
    (
        "APPLY_PCT",
        "Tỷ lệ cơ sở SXCN áp dụng SXSH",
        "Industrial facilities applying cleaner production",
        "%",
        "50",
        None,
        gettext_noop("Mục tiêu đến 2015: 25%"),
        "computed",
    ),
    (
        "SAVING_PCT",
        "Mức tiết kiệm năng lượng, nhiên liệu, nguyên vật liệu trên đơn vị sản phẩm "
        "tại các cơ sở áp dụng SXSH",
        "Saving of energy, fuel and materials per unit of product at applying facilities",
        "%",
        "8",
        "13",
        gettext_noop("Mục tiêu đến 2015: 5–8%"),
        "computed",
    ),
    (
        "ENT_UNIT_PCT",
        "Tỷ lệ doanh nghiệp vừa và lớn có bộ phận chuyên trách về SXSH",
        "Medium and large enterprises with a dedicated cleaner-production unit",
        "%",
        "90",
        None,
        "",
        "computed",
    ),
    (
        "DOIT_STAFF",
        "Số cán bộ Sở Công Thương được đào tạo, có đủ năng lực hướng dẫn SXSH",
        "Department staff trained and able to guide cleaner production",
        gettext_noop("người"),
        None,
        None,
        # xgettext:no-python-format
        gettext_noop("Mục tiêu 2020: Sở có cán bộ chuyên trách (90% các Sở Công Thương)"),
        "manual",
    ),
]


def seed_plan(period_model, indicator_model, milestone_model=None) -> None:
    """The 2016–2020 plan and its indicators (and their milestones, given the model)."""
    period, _ = period_model.objects.get_or_create(
        code=PERIOD_2016_2020["code"], defaults=PERIOD_2016_2020
    )
    for order, row in enumerate(INDICATORS_2016_2020, start=1):
        code, vi, en, unit, low, high, note, method = row
        indicator_model.objects.get_or_create(
            period=period,
            code=code,
            defaults={
                "name_vi": vi,
                "name_en": en,
                "unit": unit,
                "target_min": low,
                "target_max": high,
                "baseline_note": note,
                "method": method,
                "order": order,
            },
        )
    if milestone_model is not None:
        seed_milestones(indicator_model, milestone_model)


# The 2015 values the plan starts from (QĐ 1419/QĐ-TTg's targets for 2015, as in the notes
# above): the seeded milestones follow the straight line from them to the 2020 targets.
START_2015 = {"AWARE_PCT": ("50", None), "APPLY_PCT": ("25", None), "SAVING_PCT": ("5", "8")}


def linear_milestones(start, end, start_year: int, end_year: int) -> dict[int, tuple]:
    """{year: (low, high)} on the straight line from `start` (at start_year) to `end` (at
    end_year), for the years after start_year; values rounded half-up to one decimal."""
    from decimal import ROUND_HALF_UP, Decimal

    def point(a, b, year):
        if a is None or b is None:
            return None
        a, b = Decimal(a), Decimal(b)
        value = a + (b - a) * (year - start_year) / (end_year - start_year)
        return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    return {
        year: (point(start[0], end[0], year), point(start[1], end[1], year))
        for year in range(start_year + 1, end_year + 1)
    }


def seed_milestones(indicator_model, milestone_model) -> None:
    """Milestones 2016–2020 for the indicators with a 2015 starting value; existing ones stay."""
    for indicator in indicator_model.objects.filter(
        period__code=PERIOD_2016_2020["code"], code__in=START_2015
    ):
        end = (indicator.target_min, indicator.target_max)
        path = linear_milestones(START_2015[indicator.code], end, 2015, 2020)
        for year, (low, high) in path.items():
            if low is None:
                continue
            milestone_model.objects.get_or_create(
                indicator=indicator, year=year, defaults={"target_min": low, "target_max": high}
            )
