"""The number fields' hints and limits: every reading a hint offers is one the parser accepts,
and a limit is told with the value as typed and the limit written the Vietnamese way."""

from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError

from assessments.models import AnnualReport, QualityRule
from core.forms import NumberInputMixin
from core.number_input import parse_number


def _refusal(text) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        parse_number(text)
    return refused.value


@pytest.mark.parametrize(
    "text",
    [
        "1234.5",
        "12345.67",
        "1234.500",
        "058.3",
        "58.3",
        "12.34",
        "0.5",
        "1.2345",
        "-58.3",
        "-1234.5",
    ],
)
def test_every_reading_a_hint_offers_is_accepted(text):
    refused = _refusal(text)
    offered = [refused.params[key] for key in ("decimal", "thousands") if key in refused.params]
    assert offered
    for reading in offered:
        assert parse_number(reading) is not None, reading


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("1234.5", "ý là 1234,5? "),
        ("12345.67", "ý là 12345,67? "),
        ("058.3", "ý là 058,3? "),
        ("-58.3", "ý là -58,3 hay -58.300?"),  # the sign stays in both readings
        ("123.5", "ý là 123,5 hay 123.500?"),
    ],
)
def test_the_hint_offers_the_readings_that_can_be(text, hint):
    assert hint in _refusal(text).messages[0]


class _Form(NumberInputMixin, forms.Form):
    amount = forms.DecimalField(max_digits=18, decimal_places=3, min_value=0, required=False)
    total = forms.DecimalField(max_digits=6, required=False)
    people = forms.IntegerField(min_value=0, max_value=2147483647, required=False)
    rooms = forms.IntegerField(min_value=2, required=False)


def _errors(**typed) -> dict:
    form = _Form(typed)
    assert not form.is_valid()
    return form.errors


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        (
            "people",
            "1.000.000.000.000",
            "Bạn nhập 1.000.000.000.000 — giá trị phải nhỏ hơn hoặc bằng 2.147.483.647.",
        ),
        (
            "people",
            "3000000000",
            "Bạn nhập 3000000000 — giá trị phải nhỏ hơn hoặc bằng 2.147.483.647.",
        ),
        ("rooms", "1", "Bạn nhập 1 — giá trị phải lớn hơn hoặc bằng 2."),
        ("rooms", "-1", "Bạn nhập -1 — giá trị phải lớn hơn hoặc bằng 2."),
        (
            "amount",
            "1.234.567.890.123.456",
            "Bạn nhập 1.234.567.890.123.456 — số quá lớn: tối đa 15 chữ số phần nguyên.",
        ),
        ("amount", "1,2345", "Bạn nhập 1,2345 — tối đa 3 chữ số sau dấu phẩy."),
        # Too many decimals and too big: the decimals first, as Django's total never says.
        (
            "amount",
            "1.234.567.890.123.456,7891",
            "Bạn nhập 1.234.567.890.123.456,7891 — tối đa 3 chữ số sau dấu phẩy.",
        ),
        ("total", "1.234,567", "Bạn nhập 1.234,567 — số có quá nhiều chữ số: tối đa 6 chữ số."),
        # Beyond Decimal's default 28 digits: still the limit, told with the number as typed.
        (
            "people",
            "9" * 40,
            f"Bạn nhập {'9' * 40} — giá trị phải nhỏ hơn hoặc bằng 2.147.483.647.",
        ),
        ("amount", "9" * 29, f"Bạn nhập {'9' * 29} — số quá lớn: tối đa 15 chữ số phần nguyên."),
        (
            "amount",
            "1" + ".000" * 10,
            f"Bạn nhập 1{'.000' * 10} — số quá lớn: tối đa 15 chữ số phần nguyên.",
        ),
    ],
)
def test_a_limit_is_told_the_vietnamese_way(field, typed, message):
    assert _errors(**{field: typed})[field] == [message]


def test_the_negative_message_stays_for_fields_of_at_least_zero():
    assert _errors(people="-1")["people"] == ["Phải là số ≥ 0."]


class _ReportForm(NumberInputMixin, forms.ModelForm):
    class Meta:
        model = AnnualReport
        fields = ("employees", "output")


class _RuleForm(NumberInputMixin, forms.ModelForm):
    class Meta:
        model = QualityRule
        fields = ("low_percentile", "min_facilities")


def test_the_model_fields_bounds_are_the_form_fields():
    # The database column's range and the model's validators: refused by the form field with
    # its message, not by the model's validation with Django's.
    assert _ReportForm().fields["employees"].max_value == 2147483647
    assert _RuleForm().fields["low_percentile"].max_value == 95
    assert _RuleForm().fields["min_facilities"].min_value == 10
    errors = _RuleForm({"low_percentile": "150", "min_facilities": "1"}).errors
    assert errors["low_percentile"] == ["Bạn nhập 150 — giá trị phải nhỏ hơn hoặc bằng 95."]
    assert errors["min_facilities"] == ["Bạn nhập 1 — giá trị phải lớn hơn hoặc bằng 10."]


def test_a_value_within_the_limits_is_read():
    form = _Form({"amount": "999.999.999.999.999,999", "people": "2.147.483.647"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == Decimal("999999999999999.999")
    assert form.cleaned_data["people"] == 2147483647
