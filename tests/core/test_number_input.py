"""core.number_input and core.forms: numbers typed the Vietnamese way in a web form."""

from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError

from core.forms import DecimalInputField, IntegerInputField, NumberInputMixin
from core.number_input import parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("58300", Decimal("58300")),
        ("58.300", Decimal("58300")),
        ("850.000", Decimal("850000")),
        ("58 300", Decimal("58300")),
        ("58\u00a0300", Decimal("58300")),  # no-break space
        ("58\u202f300", Decimal("58300")),  # narrow no-break space
        (" 1 234 567 ", Decimal("1234567")),
        ("25,5", Decimal("25.5")),
        ("1.234,5", Decimal("1234.5")),
        ("1 234,5", Decimal("1234.5")),
        ("1.234.567", Decimal("1234567")),
        ("1.234", Decimal("1234")),  # a dot and three digits groups thousands
        ("0,75", Decimal("0.75")),
        ("1,234", Decimal("1.234")),  # a single comma is always the decimal mark
        ("0", Decimal("0")),
        ("-3,5", Decimal("-3.5")),
        ("\u22121.000", Decimal("-1000")),  # the minus sign
        ("", None),
        ("   ", None),
    ],
)
def test_it_reads_vietnamese_numbers(text, expected):
    assert parse_number(text) == expected


def _refusal(text) -> str:
    with pytest.raises(ValidationError) as refused:
        parse_number(text)
    return refused.value.messages[0]


def test_a_dot_then_other_than_three_digits_is_ambiguous():
    assert _refusal("58.3") == (
        "Bạn nhập 58.3 — ý là 58,3 hay 58.300? Dùng dấu phẩy cho phần thập phân."
    )
    assert "ý là 12,34 hay 12.340?" in _refusal("12.34")
    assert "ý là 1,2345?" in _refusal("1.2345")
    assert "ý là 0,75?" in _refusal("0.75")  # 0.750 is not a way to write 750


@pytest.mark.parametrize(
    ("text", "meant"), [("0.500", "0,500"), ("00.123", "00,123"), ("0.250.000", None)]
)
def test_a_first_group_of_zeros_is_no_thousands_group(text, meant):
    # "0.500" can only be 0,5 typed the English way: read as 500 it was a figure 1.000 times
    # too big, saved without a word.
    message = _refusal(text)
    assert f"Bạn nhập {text}" in message
    if meant:
        assert f"ý là {meant}?" in message


def test_it_refuses_english_grouping_with_the_vietnamese_form():
    assert "1,234.5" in _refusal("1,234.5")
    assert "Hãy viết kiểu Việt Nam: 1.234,5" in _refusal("1,234.5")
    assert "Hãy viết kiểu Việt Nam: 1.234.567" in _refusal("1,234,567")
    assert "Hãy viết kiểu Việt Nam: -1.234,5" in _refusal("-1,234.5")


@pytest.mark.parametrize(
    "text",
    ["abc", "1.23.456", "12.3456.789", "1.234 567", "25,", ",5", "1,5,6", "1.5,3", "--5", "5-"],
)
def test_it_refuses_what_is_not_a_number(text):
    message = _refusal(text)
    assert f"Bạn nhập {text.strip()}" in message
    assert "1.234,5" in message  # the example of the Vietnamese form


class _Form(NumberInputMixin, forms.Form):
    amount = forms.DecimalField(max_digits=14, decimal_places=3, min_value=0, required=False)
    balance = forms.DecimalField(max_digits=14, decimal_places=2, required=False)
    people = forms.IntegerField(min_value=0, required=False)
    year = forms.IntegerField(required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.TypedChoiceField(choices=[(1, "1")], coerce=int, required=False)


def test_the_mixin_swaps_quantities_only():
    fields = _Form().fields
    assert isinstance(fields["amount"], DecimalInputField)
    assert isinstance(fields["balance"], DecimalInputField)
    assert isinstance(fields["people"], IntegerInputField)
    for kept in ("year", "version", "kind"):
        assert not isinstance(fields[kept], DecimalInputField | IntegerInputField)


def test_it_renders_a_text_input_never_a_number_input():
    form = _Form()
    assert 'type="text"' in str(form["amount"]) and 'inputmode="decimal"' in str(form["amount"])
    assert 'inputmode="numeric"' in str(form["people"])
    assert 'type="number"' not in str(form["amount"]) + str(form["people"])
    assert 'type="number"' in str(form["year"])  # years stay as they are


def test_a_form_reads_vietnamese_numbers():
    form = _Form({"amount": "58.300", "balance": "-1.234,5", "people": "1.200"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == Decimal("58300")
    assert form.cleaned_data["balance"] == Decimal("-1234.5")
    assert form.cleaned_data["people"] == 1200


def test_a_form_refuses_negatives_where_the_field_is_not():
    form = _Form({"amount": "-5", "people": "-1"})
    assert form.errors == {"amount": ["Phải là số ≥ 0."], "people": ["Phải là số ≥ 0."]}


def test_an_integer_field_refuses_decimals_and_ambiguity():
    assert "số nguyên" in _Form({"people": "1,5"}).errors["people"][0]
    # The whole reading only: 1,5 is refused here anyway.
    assert "nếu ý là 1.500, hãy ghi 1.500." in _Form({"people": "1.5"}).errors["people"][0]


def test_the_field_keeps_its_limits():
    assert "amount" in _Form({"amount": "1,2345"}).errors  # four decimals for three places


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("58300"), "58.300"),
        (Decimal("58300.000"), "58.300"),
        (Decimal("25.500"), "25,5"),
        (Decimal("1234.567"), "1.234,567"),
        (Decimal("0.75"), "0,75"),
        (Decimal("0"), "0"),
        (Decimal("-1234.5"), "-1.234,5"),
        (1200, "1.200"),
    ],
)
def test_the_value_shown_reads_back_unchanged(value, shown):
    name = "people" if isinstance(value, int) else "balance" if value < 0 else "amount"
    form = _Form(initial={name: value})
    assert f'value="{shown}"' in str(form[name])
    posted = _Form({name: shown})
    assert posted.is_valid(), posted.errors
    assert posted.cleaned_data[name] == value
    assert not _Form({name: shown}, initial={name: value}).has_changed()


def test_a_refused_value_is_shown_back_as_typed():
    form = _Form({"amount": "58.3"})
    assert not form.is_valid()
    assert 'value="58.3"' in str(form["amount"])
