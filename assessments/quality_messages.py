"""The messages of the data-quality findings (assessments/quality.py), kept apart so that the
models can write a stored finding in the reader's language. No model import here."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext, gettext_noop

from core.numbers import format_amount, format_number

from . import quality_rules as codes

# A finding's message is kept as its key and raw values (QualityFinding.params) and written in the
# reader's language when shown: the wording is translated; the numbers are written as everywhere
# in the portal, in Vietnamese notation whatever the language (core.numbers: '1.234,5').


def _number(places: int = 0):
    return lambda value: format_number(value, places)


def _amount(max_places: int = 3):
    return lambda value: format_amount(value, max_places)


NO_UNIT = gettext_noop("đơn vị sản phẩm")


def _unit(value) -> str:
    return value or gettext(NO_UNIT)


NOT_GIVEN = gettext_noop("chưa ghi")


def _named_unit(value) -> str:
    """A unit named in quotes: “chưa ghi” for a report that gives none."""
    return value or gettext(NOT_GIVEN)


@dataclass(frozen=True)
class Message:
    text: str  # the msgid (gettext_noop), with %(name)s placeholders
    writes: dict = field(default_factory=dict)  # arg name -> how its raw value is written


MESSAGES = {
    codes.OUTPUT_NO_ENERGY: Message(
        gettext_noop(
            "Sản lượng có nhưng không khai năng lượng tiêu thụ (điện, than, dầu, LPG, khí "
            "hoặc nhiên liệu khác); báo cáo này không được tính vào mức tiết kiệm năng lượng."
        )
    ),
    codes.UNIT_CHANGED: Message(
        gettext_noop(
            "Đơn vị sản phẩm “%(unit)s” khác đơn vị của năm cơ sở %(year)s (“%(base)s”); không "
            "so sánh được suất tiêu hao năng lượng giữa hai năm."
        ),
        {"unit": _named_unit, "base": _named_unit},
    ),
    codes.INTENSITY_JUMP: Message(
        gettext_noop(
            "Suất tiêu hao năng lượng thay đổi %(change)s %% so với năm %(year)s "
            "(%(before)s → %(after)s TOE/%(unit)s; ngưỡng %(threshold)s %%)."
        ),
        {
            "change": _number(1),
            "before": _amount(6),
            "after": _amount(6),
            "unit": _unit,
            "threshold": _amount(),
        },
    ),
    codes.INTENSITY_JUMP_LATER: Message(
        gettext_noop(
            "Suất tiêu hao năng lượng thay đổi %(change)s %% từ năm %(own_year)s đến năm "
            "%(year)s, năm có báo cáo được duyệt gần nhất sau năm %(own_year)s (không có báo "
            "cáo được duyệt của năm trước để so sánh): %(before)s → %(after)s TOE/%(unit)s; "
            "ngưỡng %(threshold)s %%."
        ),
        {
            "change": _number(1),
            "before": _amount(6),
            "after": _amount(6),
            "unit": _unit,
            "threshold": _amount(),
        },
    ),
    codes.INTENSITY_OUT_OF_BAND: Message(
        gettext_noop(
            "Suất tiêu hao năng lượng %(value)s TOE/%(unit)s nằm ngoài khoảng thường gặp "
            "%(low)s–%(high)s của ngành %(division)s năm %(year)s (%(peers)s cơ sở cùng đơn vị "
            "sản phẩm)."
        ),
        {"value": _amount(6), "unit": _unit, "low": _amount(6), "high": _amount(6)},
    ),
    codes.KEY_ENERGY_USER: Message(
        gettext_noop(
            "Tổng năng lượng tiêu thụ %(toe)s TOE/năm, từ %(threshold)s TOE trở lên, nhưng cơ "
            "sở chưa được đánh dấu là cơ sở sử dụng năng lượng trọng điểm; đề nghị Sở xem xét "
            "đánh dấu cơ sở này. Cơ sở giải trình: đã có tên trong danh sách cơ sở sử dụng năng "
            "lượng trọng điểm chưa (số, ngày của quyết định công bố), hoặc vì sao tiêu thụ năm "
            "nay tăng."
        ),
        {"toe": _number(1), "threshold": _amount()},
    ),
    codes.EMPLOYEES_JUMP: Message(
        gettext_noop(
            "Số lao động thay đổi %(change)s %% so với năm %(year)s (%(before)s → %(after)s "
            "người; ngưỡng %(threshold)s %%)."
        ),
        {"change": _number(1), "before": _number(), "after": _number(), "threshold": _amount()},
    ),
    codes.APPLIES_NOT_AWARE: Message(
        gettext_noop(
            "Khai “Đang áp dụng SXSH” nhưng không khai “Nhận thức được lợi ích SXSH”; chỉ "
            "tiêu vẫn tính cơ sở là đã nhận thức về SXSH."
        )
    ),
}


def message_params(key: str, **args) -> dict:
    """What is stored to write message `key` later: Decimals as text, the rest as given."""
    raw = {name: str(v) if isinstance(v, Decimal) else v for name, v in args.items()}
    return {"key": key, "args": raw}


def render_message(params) -> str:
    """The message `params` (`message_params`) describe, in the active language; "" when they
    describe none (a finding stored before they were kept, or a message no longer shipped)."""
    message = MESSAGES.get((params or {}).get("key"))
    if message is None:
        return ""
    args = params.get("args") or {}
    try:
        values = {
            name: message.writes[name](value) if name in message.writes else value
            for name, value in args.items()
        }
        text = gettext(message.text)
        return text % values if values else text
    except (KeyError, TypeError, ValueError, ArithmeticError):
        return ""
