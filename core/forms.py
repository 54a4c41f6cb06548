"""Form fields for quantities typed the Vietnamese way (core/number_input.py reads them).

Rendered as `<input type="text" inputmode=…>`, never `type="number"`: a browser set to English
would read "58.300" as 58.3 (or refuse it) before the server sees it. The current value is shown
the Vietnamese way (58300 -> "58.300", 25.5 -> "25,5") so that it reads back unchanged.

Forms take them through `NumberInputMixin`, which swaps every numeric field of the form for
these, except year fields (never grouped) and hidden fields.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from .number_input import parse_number
from .numbers import format_decimal


class _VietnameseNumber:
    """What both fields share: reading, refusing a negative where the field is ≥ 0, showing."""

    inputmode = "decimal"

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        allows_negative = self.min_value is None or self.min_value < 0
        attrs["inputmode"] = "text" if allows_negative else self.inputmode
        return attrs

    def _read(self, value) -> Decimal | None:
        if value in self.empty_values:
            return None
        number = parse_number(value)
        if number is not None and number < 0 and self.min_value is not None and self.min_value >= 0:
            raise forms.ValidationError(_("Phải là số ≥ 0."), code="min_value")
        return number

    def prepare_value(self, value):
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return format_decimal(value)
        return value


class DecimalInputField(_VietnameseNumber, forms.DecimalField):
    widget = forms.TextInput

    def to_python(self, value):
        return self._read(value)


class IntegerInputField(_VietnameseNumber, forms.IntegerField):
    widget = forms.TextInput
    inputmode = "numeric"

    def to_python(self, value):
        number = self._read(value)
        if number is None:
            return None
        if number != number.to_integral_value():
            raise forms.ValidationError(
                _("Bạn nhập %(value)s — ở đây phải là số nguyên (không có phần thập phân)."),
                code="invalid",
                params={"value": str(value).strip()},
            )
        return int(number)


def number_input_field(name: str, field: forms.Field, model_field=None) -> forms.Field | None:
    """The Vietnamese-input replacement of a numeric form field, or None to keep it as it is
    (not numeric, already replaced, a year, hidden). The lower bound of `model_field`'s
    validators is kept, so that a negative gets the form's message, not the model's."""
    if isinstance(field, _VietnameseNumber) or "year" in name or field.widget.is_hidden:
        return None
    common = {
        "required": field.required,
        "label": field.label,
        "initial": field.initial,
        "help_text": field.help_text,
        "disabled": field.disabled,
    }
    if isinstance(field, forms.DecimalField):
        digits = {"max_digits": field.max_digits, "decimal_places": field.decimal_places}
        new = DecimalInputField(**common, **digits, **_bounds(field, model_field))
    elif isinstance(field, forms.IntegerField):
        new = IntegerInputField(**common, **_bounds(field, model_field))
    else:
        return None
    new.validators.extend(v for v in field.validators if v not in new.validators)
    kept = {k: v for k, v in field.widget.attrs.items() if k not in ("min", "max", "step")}
    new.widget.attrs = {**kept, **new.widget.attrs}
    return new


def _bounds(field, model_field) -> dict:
    lows = [field.min_value] if field.min_value is not None else []
    for validator in getattr(model_field, "validators", ()):
        if isinstance(validator, MinValueValidator) and not callable(validator.limit_value):
            lows.append(validator.limit_value)
    return {"min_value": max(lows, default=None), "max_value": field.max_value}


class NumberInputMixin:
    """Put first in a form's bases: its numeric fields read and show Vietnamese numbers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = getattr(getattr(self, "_meta", None), "model", None)
        for name, field in list(self.fields.items()):
            model_field = _model_field(model, name)
            replacement = number_input_field(name, field, model_field)
            if replacement is not None:
                self.fields[name] = replacement


def _model_field(model, name):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
