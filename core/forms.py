"""Form fields for quantities typed the Vietnamese way (core/number_input.py reads them).

Rendered as `<input type="text" inputmode=…>`, never `type="number"`: a browser set to English
would read "58.300" as 58.3 (or refuse it) before the server sees it. The current value is shown
the Vietnamese way (58300 -> "58.300", 25.5 -> "25,5") so that it reads back unchanged.

Forms take them through `NumberInputMixin`, which swaps every numeric field of the form for
these, except year fields (never grouped) and hidden fields. A value over a limit (the field's,
its model field's, the database column's) is refused by the field itself, with the value as
typed and the limit written the Vietnamese way, never by Django's default message. A year field
drops the bounds the model enforces anyway (the column's "≥ 0"), so that a year out of range is
told once, by the portal's rule of that year, naming its true range (NumberInputMixin.add_error).
"""

from decimal import Decimal
from functools import cache

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import DecimalValidator, MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from .number_input import parse_number, shown_to_read_back
from .numbers import format_decimal
from .text import multi_line_text, single_line_text

# The id of the hint that says how numbers are written (templates/includes/number_notation.html):
# every page with these fields shows it once, and each of their inputs is described by it.
NOTATION_HINT_ID = "number-notation"

# Django's own messages for these codes show the limit unformatted ("2147483647") and read
# badly in its Vietnamese translation; the value is shown back as typed (_VietnameseNumber.clean).
LIMIT_MESSAGES = {
    "max_value": _("Bạn nhập %(value)s — giá trị phải nhỏ hơn hoặc bằng %(limit_value)s."),
    "min_value": _("Bạn nhập %(value)s — giá trị phải lớn hơn hoặc bằng %(limit_value)s."),
    "max_whole_digits": _("Bạn nhập %(value)s — số quá lớn: tối đa %(max)s chữ số phần nguyên."),
    "max_decimal_places": _("Bạn nhập %(value)s — tối đa %(max)s chữ số sau dấu phẩy."),
    "max_digits": _("Bạn nhập %(value)s — số có quá nhiều chữ số: tối đa %(max)s chữ số."),
}


def _with_hint(described_by: str | None) -> str:
    """`described_by` (space-separated ids) with the notation hint's id last, once."""
    ids = (described_by or "").split()
    return " ".join(ids if NOTATION_HINT_ID in ids else [*ids, NOTATION_HINT_ID])


class NumberBoundField(forms.BoundField):
    """A Vietnamese-notation number field as rendered: its input's aria-describedby names the
    page's notation hint after Django's own ids (help text, errors) or the ones the form set, so
    a screen reader says how to type the number when the field is reached. A template that
    writes the `<input>` itself puts `{{ field.aria_describedby }}` in it."""

    @property
    def aria_describedby(self):
        own = super().aria_describedby or self.field.widget.attrs.get("aria-describedby")
        return _with_hint(own)

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        own = attrs.get("aria-describedby") or self.aria_describedby
        attrs["aria-describedby"] = _with_hint(own)
        return attrs


class _VietnameseNumber:
    """What both fields share: reading, refusing a negative where the field is ≥ 0, telling
    its limits, showing, pointing at the notation hint (NumberBoundField)."""

    inputmode = "decimal"
    bound_field_class = NumberBoundField
    default_error_messages = LIMIT_MESSAGES

    def clean(self, value):
        try:
            return super().clean(value)
        except forms.ValidationError as error:
            for limit in error.error_list:
                if limit.code in LIMIT_MESSAGES and limit.params:
                    limit.params = _shown(limit.params, typed=value)
            raise

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        allows_negative = self.min_value is None or self.min_value < 0
        attrs["inputmode"] = "text" if allows_negative else self.inputmode
        return attrs

    def _read(self, value) -> Decimal | None:
        if value in self.empty_values:
            return None
        number = parse_number(value)
        # Below a bound above 0 ("at least 2"), the bound's own message says it.
        if number is not None and number < 0 and self.min_value == 0:
            raise forms.ValidationError(_("Phải là số ≥ 0."), code="min_value")
        return number

    def prepare_value(self, value):
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return shown_to_read_back(format_decimal(value))
        return value


def _shown(params: dict, typed) -> dict:
    """A limit message's parameters for people: the value as typed, numbers the Vietnamese way."""
    shown = {key: _vietnamese(value) for key, value in params.items()}
    if isinstance(typed, str) and typed.strip():
        shown["value"] = " ".join(typed.split())
    return shown


def _vietnamese(value):
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return format_decimal(value)
    return value


class _DigitLimits(DecimalValidator):
    """Django's digit limits, checked as a person reads them: the decimals first, then the
    digits before the comma. Django checks the total first, and tells someone who typed one
    digit too many before the comma that the number may have 18 digits in all."""

    def __call__(self, value):
        _sign, digits, exponent = value.as_tuple()
        decimals = max(0, -exponent)
        whole = max(0, len(digits) + exponent)
        if self.decimal_places is not None and decimals > self.decimal_places:
            self._refuse("max_decimal_places", self.decimal_places, value)
        if self.max_digits is None:
            return
        if self.decimal_places is not None and whole > self.max_digits - self.decimal_places:
            self._refuse("max_whole_digits", self.max_digits - self.decimal_places, value)
        if whole + decimals > self.max_digits:
            self._refuse("max_digits", self.max_digits, value)

    def _refuse(self, code: str, limit: int, value):
        raise forms.ValidationError(
            self.messages[code], code=code, params={"max": limit, "value": value}
        )


class DecimalInputField(_VietnameseNumber, forms.DecimalField):
    widget = forms.TextInput

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validators = [
            _DigitLimits(v.max_digits, v.decimal_places) if type(v) is DecimalValidator else v
            for v in self.validators
        ]

    def to_python(self, value):
        return self._read(value)


class IntegerInputField(_VietnameseNumber, forms.IntegerField):
    widget = forms.TextInput
    inputmode = "numeric"

    def to_python(self, value):
        try:
            number = self._read(value)
        except forms.ValidationError as error:
            # "12.5" asked as "12,5 or 12.500?": here only the whole reading is one.
            raise self._whole_reading(error, value) from None
        if number is None:
            return None
        if number != number.to_integral_value():
            raise self._not_whole(value)
        return int(number)

    def _whole_reading(self, error: forms.ValidationError, value) -> forms.ValidationError:
        """An ambiguous entry offered its whole-number reading only (else told it must be
        whole); an entry in the English notation, and any other refusal, as it is."""
        if getattr(error, "code", None) != "ambiguous":
            return error
        if "example" in (error.params or {}):  # "1,500,000": the English notation, told as such
            return error
        thousands = (error.params or {}).get("thousands")
        if thousands is None:
            return self._not_whole(value)
        return forms.ValidationError(
            _(
                "Bạn nhập %(value)s — ở đây phải là số nguyên; nếu ý là %(thousands)s, hãy ghi "
                "%(thousands)s."
            ),
            code="ambiguous",
            params={"value": error.params["value"], "thousands": thousands},
        )

    @staticmethod
    def _not_whole(value) -> forms.ValidationError:
        return forms.ValidationError(
            _("Bạn nhập %(value)s — ở đây phải là số nguyên (không có phần thập phân)."),
            code="invalid",
            params={"value": str(value).strip()},
        )


def number_input_field(name: str, field: forms.Field, model_field=None) -> forms.Field | None:
    """The Vietnamese-input replacement of a numeric form field, or None to keep it as it is
    (not numeric, already replaced, a year, hidden). The bounds of `model_field`'s validators
    are kept (_bounds), so that a value out of them gets the form's message, not the model's."""
    if isinstance(field, _VietnameseNumber) or _is_year(name, field) or field.widget.is_hidden:
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
    # The digit limits are the new field's own (_DigitLimits, from the same max_digits and
    # decimal_places): Django's would refuse the same value a second time, in its words.
    # So are the bounds it already enforces as strictly (_bounds): a second copy would refuse the
    # same value again with another limit ("≥ 0" beside "≥ 2").
    new.validators.extend(
        v
        for v in field.validators
        if v not in new.validators
        and type(v) is not DecimalValidator
        and not _enforced(v, new.min_value, new.max_value)
    )
    kept = {k: v for k, v in field.widget.attrs.items() if k not in ("min", "max", "step")}
    new.widget.attrs = {**kept, **new.widget.attrs}
    return new


def _enforced(validator, low, high) -> bool:
    """Whether a min/max validator asks nothing more than the bounds `low`/`high` do."""
    limit = getattr(validator, "limit_value", None)
    if limit is None or callable(limit):
        return False
    if isinstance(validator, MinValueValidator):
        return low is not None and low >= limit
    if isinstance(validator, MaxValueValidator):
        return high is not None and high <= limit
    return False


def _bounds(field, model_field) -> dict:
    """The field's bounds narrowed by `model_field`'s (its validators, the database column's
    range): the form field refuses a value out of them with its own message, before the model's
    validation would with Django's ("Giá trị này phải nhỏ hơn hoặc bằng 2147483647.")."""
    low, high = _model_limits(model_field)
    lows = [bound for bound in (field.min_value, low) if bound is not None]
    highs = [bound for bound in (field.max_value, high) if bound is not None]
    return {"min_value": max(lows, default=None), "max_value": min(highs, default=None)}


def _model_limits(model_field) -> tuple:
    """The (lowest, highest) values `model_field`'s validators allow (None: no bound)."""
    lows, highs = [], []
    for validator in getattr(model_field, "validators", ()):
        limit = getattr(validator, "limit_value", None)
        if callable(limit):
            continue
        if isinstance(validator, MinValueValidator):
            lows.append(limit)
        elif isinstance(validator, MaxValueValidator):
            highs.append(limit)
    return max(lows, default=None), min(highs, default=None)


class _PlainText:
    """A text field that keeps no control character from what was typed or pasted: a multi-line
    field (a <textarea>) keeps tab, line feed and carriage return, a single-line field turns its
    line breaks and tabs into a space (core.text). Before the field's own reading (outer spaces
    stripped, empty) and checks (length, validators): they see the text as it is stored."""

    def to_python(self, value):
        if isinstance(value, str):
            multi_line = isinstance(self.widget, forms.Textarea)
            value = multi_line_text(value) if multi_line else single_line_text(value)
        return super().to_python(value)


@cache
def _plain_text_class(field_class: type) -> type:
    return type(f"PlainText{field_class.__name__}", (_PlainText, field_class), {})


def plain_text_field(field: forms.Field) -> None:
    """Make `field`, when it is a text field (CharField and its kinds: e-mail, URL…), one that
    stores no control character (_PlainText). A password is read exactly as typed."""
    if not isinstance(field, forms.CharField) or isinstance(field, _PlainText):
        return
    if isinstance(field.widget, forms.PasswordInput):
        return
    field.__class__ = _plain_text_class(type(field))


class PlainTextMixin:
    """The portal's rule of text typed into a form: no control character is stored from the web.
    Every text field the form has once made (its declared and model fields; one a subclass adds
    later calls `plain_text_field` itself) reads as `plain_text_field` makes it. Every form with
    NumberInputMixin has it; a form without numbers puts it first in its bases."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            plain_text_field(field)


class NumberInputMixin(PlainTextMixin):
    """Put first in a form's bases: its numeric fields read and show Vietnamese numbers, and a
    year out of range is told once (`add_error`); its text fields store no control character
    (PlainTextMixin)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = getattr(getattr(self, "_meta", None), "model", None)
        self._year_fields = set()
        for name, field in list(self.fields.items()):
            model_field = _model_field(model, name)
            replacement = number_input_field(name, field, model_field)
            if replacement is not None:
                self.fields[name] = replacement
            elif _is_year(name, field):
                _drop_bounds(field, model_field)
                self._year_fields.add(name)

    def add_error(self, field, error):
        """The model's errors of a year field without Django's bound messages ("Ensure this
        value is greater than or equal to 0", the column's or a validator's bound) when the
        portal's own rule of that year says something too: its message names the true range. A
        bound said alone is said in the portal's words (LIMIT_MESSAGES), the year as typed."""
        if field is None and hasattr(error, "error_dict"):
            told = {
                name: self._told_once(name, errors) for name, errors in error.error_dict.items()
            }
            told = {name: errors for name, errors in told.items() if errors}
            if not told:
                return
            error = forms.ValidationError(told)
        super().add_error(field, error)

    def _told_once(self, name: str, errors: list) -> list:
        if name not in self._year_fields:
            return errors
        bounds = [error for error in errors if error.code in YEAR_BOUND_CODES]
        if len(bounds) < len(errors) or name in self._errors:
            return [error for error in errors if error.code not in YEAR_BOUND_CODES]
        for bound in bounds:
            bound.message = LIMIT_MESSAGES[bound.code]
        return errors


YEAR_BOUND_CODES = ("min_value", "max_value")


def _is_year(name: str, field: forms.Field) -> bool:
    """A year field: kept as Django's integer field (never grouped, number_input_field). A
    decimal one is no year but a number of years (payback_years): it reads as any number."""
    return (
        "year" in name
        and isinstance(field, forms.IntegerField)
        and not isinstance(field, forms.DecimalField | forms.FloatField)
        and not field.widget.is_hidden
    )


def _drop_bounds(field: forms.IntegerField, model_field) -> None:
    """A year field refuses no bound the model also enforces (PositiveSmallIntegerField's
    "≥ 0"): the year reaches the portal's rule of it (the form's clean_<year>, the model's
    clean), which names the true range; the model's own check still refuses it otherwise
    (add_error words it)."""
    low, high = _model_limits(model_field)
    if field.min_value is not None and low is not None and low >= field.min_value:
        _drop_bound(field, "min", MinValueValidator)
        field.min_value = None
    if field.max_value is not None and high is not None and high <= field.max_value:
        _drop_bound(field, "max", MaxValueValidator)
        field.max_value = None


def _drop_bound(field: forms.IntegerField, attr: str, kind: type) -> None:
    bound = getattr(field, f"{attr}_value")
    field.validators = [
        v for v in field.validators if not (type(v) is kind and v.limit_value == bound)
    ]
    if str(field.widget.attrs.get(attr)) == str(bound):
        del field.widget.attrs[attr]


def _model_field(model, name):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
