"""The data-quality rules as shipped (DESIGN §4 "Data-quality rules"), seeded by a data migration
and then editable by staff (assessments.models.QualityRule). No model import here, so that the
migration can use it. What each rule checks is in assessments/quality.py."""

from decimal import Decimal

from django.utils.translation import gettext, gettext_noop

OUTPUT_NO_ENERGY = "OUTPUT_NO_ENERGY"
UNIT_CHANGED = "UNIT_CHANGED"
INTENSITY_JUMP = "INTENSITY_JUMP"
INTENSITY_OUT_OF_BAND = "INTENSITY_OUT_OF_BAND"
KEY_ENERGY_USER = "KEY_ENERGY_USER"
EMPLOYEES_JUMP = "EMPLOYEES_JUMP"
APPLIES_NOT_AWARE = "APPLIES_NOT_AWARE"
# INTENSITY_JUMP's message when the report is compared with a later year (no earlier one): a
# message key (quality_messages.MESSAGES), not a rule of its own.
INTENSITY_JUMP_LATER = "INTENSITY_JUMP_LATER"

# The setting fields of QualityRule that each rule reads (the edit form shows only these).
RULE_THRESHOLDS = {
    OUTPUT_NO_ENERGY: (),
    UNIT_CHANGED: (),
    INTENSITY_JUMP: ("threshold",),
    INTENSITY_OUT_OF_BAND: ("low_percentile", "high_percentile", "min_facilities"),
    KEY_ENERGY_USER: ("threshold",),
    EMPLOYEES_JUMP: ("threshold",),
    APPLIES_NOT_AWARE: (),
}

# What `threshold` means for each rule that has one (shown beside the field).
THRESHOLD_UNITS = {
    INTENSITY_JUMP: "%",
    KEY_ENERGY_USER: gettext_noop("TOE/năm"),
    EMPLOYEES_JUMP: "%",
}

DEFAULT_RULES = (
    {
        "code": OUTPUT_NO_ENERGY,
        "name": gettext_noop("Có sản lượng nhưng không khai năng lượng tiêu thụ"),
        "explanation": gettext_noop(
            "Báo cáo có sản lượng lớn hơn 0 nhưng tổng năng lượng tiêu thụ (điện, than, dầu, "
            "LPG, khí, nhiên liệu khác) bằng 0 hoặc bỏ trống. Báo cáo như vậy không bao giờ được "
            "tính là tiết kiệm năng lượng."
        ),
        "severity": "warning",
    },
    {
        "code": UNIT_CHANGED,
        "name": gettext_noop("Đơn vị sản phẩm khác năm cơ sở"),
        "explanation": gettext_noop(
            "Đơn vị sản phẩm khác đơn vị trong báo cáo năm cơ sở (báo cáo được duyệt sớm nhất "
            "của cơ sở), so sánh sau khi bỏ khoảng trắng hai đầu, không phân biệt chữ hoa chữ "
            "thường. Khi đó không so sánh được suất tiêu hao năng lượng giữa hai năm."
        ),
        "severity": "warning",
    },
    {
        "code": INTENSITY_JUMP,
        "name": gettext_noop("Suất tiêu hao năng lượng thay đổi đột biến"),
        "explanation": gettext_noop(
            "Suất tiêu hao năng lượng (TOE trên một đơn vị sản phẩm) tăng hoặc giảm quá ngưỡng "
            "(%) so với báo cáo được duyệt gần nhất của năm trước, cùng đơn vị sản phẩm; báo cáo "
            "của một năm trước mọi năm đã duyệt (năm gốc mới) được so với năm đã duyệt gần nhất "
            "sau nó."
        ),
        "severity": "warning",
        "threshold": Decimal(40),
        # The wording shipped before: databases seeded with it still show the current one.
        "former": {
            "explanation": (
                "Suất tiêu hao năng lượng (TOE trên một đơn vị sản phẩm) tăng hoặc giảm quá "
                "ngưỡng (%) so với báo cáo được duyệt gần nhất của năm trước, cùng đơn vị sản "
                "phẩm.",
            )
        },
    },
    {
        "code": INTENSITY_OUT_OF_BAND,
        "name": gettext_noop("Suất tiêu hao năng lượng ngoài khoảng thường gặp của ngành"),
        "explanation": gettext_noop(
            "Suất tiêu hao năng lượng nằm ngoài khoảng từ bách phân vị dưới đến bách phân vị "
            "trên của các báo cáo được duyệt cùng năm, cùng ngành VSIC cấp 2 và cùng đơn vị sản "
            "phẩm; chỉ kiểm tra khi có đủ số cơ sở tối thiểu để so sánh."
        ),
        "severity": "info",
        "low_percentile": Decimal(5),
        "high_percentile": Decimal(95),
        "min_facilities": 10,
    },
    {
        "code": KEY_ENERGY_USER,
        "name": gettext_noop("Tiêu thụ năng lượng của cơ sở trọng điểm"),
        "explanation": gettext_noop(
            "Tổng năng lượng tiêu thụ trong năm từ ngưỡng (TOE) trở lên nhưng cơ sở chưa được "
            "đánh dấu là cơ sở sử dụng năng lượng trọng điểm; Sở nên xem xét đánh dấu cơ sở."
        ),
        "severity": "warning",
        "threshold": Decimal(1000),
    },
    {
        "code": EMPLOYEES_JUMP,
        "name": gettext_noop("Số lao động thay đổi đột biến"),
        "explanation": gettext_noop(
            "Số lao động tăng hoặc giảm quá ngưỡng (%) so với báo cáo được duyệt gần nhất của "
            "năm trước có khai số lao động (lớn hơn 0); năm bỏ trống số lao động được bỏ qua."
        ),
        "severity": "warning",
        "threshold": Decimal(50),
        "former": {
            "explanation": (
                "Số lao động tăng hoặc giảm quá ngưỡng (%) so với báo cáo được duyệt gần nhất "
                "của năm trước.",
            )
        },
    },
    {
        "code": APPLIES_NOT_AWARE,
        "name": gettext_noop("Áp dụng SXSH nhưng không khai nhận thức"),
        "explanation": gettext_noop(
            "Báo cáo khai đang áp dụng SXSH nhưng không khai nhận thức được lợi ích SXSH. Chỉ "
            "tiêu vẫn tính cơ sở là đã nhận thức (cơ sở áp dụng SXSH thì biết về SXSH)."
        ),
        "severity": "info",
    },
)


# The history note of a shipped rule's first entry, and of a staff edit on the rules page; stored
# in Vietnamese, shown in the reader's language (QualityRule.display_reason).
SEEDED_REASON = gettext_noop("Quy tắc mặc định")
EDITED_REASON = gettext_noop("Cán bộ Sở sửa quy tắc")
SHIPPED_REASONS = (SEEDED_REASON, EDITED_REASON)


def shipped_rule(code: str) -> dict:
    """The rule `code` as shipped ({} for an unknown code)."""
    return next((rule for rule in DEFAULT_RULES if rule["code"] == code), {})


def display_text(code: str, field: str, stored: str) -> str:
    """A rule's `field` ("name" or "explanation") as the reader should see it: the shipped
    wording in the active language while `stored` is still that wording, else what staff wrote."""
    rule = shipped_rule(code)
    shipped = rule.get(field)
    former = rule.get("former", {}).get(field, ())
    return gettext(shipped) if shipped and (stored == shipped or stored in former) else stored


def display_reason(reason: str) -> str:
    """A history note of a rule: the shipped notes in the active language, others as written."""
    return gettext(reason) if reason in SHIPPED_REASONS else reason


def seed_quality_rules(rule_model, history_model=None) -> None:
    """Create the shipped rules that are missing; never overwrite a staff edit. With
    `history_model` (HistoricalQualityRule), each created rule gets its first history entry, so
    that the first change staff make shows what it changed."""
    from django.utils import timezone

    for rule in DEFAULT_RULES:
        values = dict(rule)
        code = values.pop("code")
        values.pop("former", None)
        stored, created = rule_model.objects.get_or_create(code=code, defaults=values)
        if created and history_model is not None:
            kept = {f.attname for f in history_model._meta.fields}  # not `version`
            fields = {
                f.attname: getattr(stored, f.attname)
                for f in rule_model._meta.fields
                if f.attname in kept
            }
            history_model.objects.create(
                **fields,
                history_date=timezone.now(),
                history_type="+",
                history_change_reason=SEEDED_REASON,
            )
