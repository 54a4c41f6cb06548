"""The 2016–2020 plan and its indicators (DOMAIN.md; QĐ 1419/QĐ-TTg targets adopted by the
provincial plan), seeded by a data migration. Staff edit targets and add indicators afterwards."""

PERIOD_2016_2020 = {
    "code": "2016-2020",
    "name": "Kế hoạch hành động Sản xuất sạch hơn trong công nghiệp giai đoạn 2016–2020",
    "start_year": 2016,
    "end_year": 2020,
    "basis": "QĐ 1419/QĐ-TTg ngày 07/9/2009",
}

# code, vi, en, unit, target min, target max, 2015 target as baseline note, method
INDICATORS_2016_2020 = [
    (
        "AWARE_PCT",
        "Tỷ lệ cơ sở SXCN nhận thức được lợi ích của SXSH",
        "Industrial facilities aware of the benefits of cleaner production",
        "%",
        "90",
        None,
        "Mục tiêu đến 2015: 50%",
        "computed",
    ),
    (
        "APPLY_PCT",
        "Tỷ lệ cơ sở SXCN áp dụng SXSH",
        "Industrial facilities applying cleaner production",
        "%",
        "50",
        None,
        "Mục tiêu đến 2015: 25%",
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
        "Mục tiêu đến 2015: 5–8%",
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
        "người",
        None,
        None,
        "Mục tiêu 2020: Sở có cán bộ chuyên trách (90% các Sở Công Thương)",
        "manual",
    ),
]


def seed_plan(period_model, indicator_model) -> None:
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
