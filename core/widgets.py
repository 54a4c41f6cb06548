"""Form widgets: selects that render faster than Django's template-per-option ones, and a
day-first date input."""

import re
from hashlib import sha256

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language

from .data_version import cached


class PlainSelect(forms.Select):
    """A `<select>` that renders its options in Python, with the same markup as `forms.Select`
    (tests/core/test_widgets.py compares the two).

    Django renders each option through a template include: with the district, commune, VSIC and
    area lists, that was most of the facility list page's time (bench/load.py).
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            html = _join(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    str(option["value"]),
                    _attributes(option["attrs"]),
                    option["label"],
                )
                for option in options
            )
            if group_name:
                html = format_html('<optgroup label="{}">{}</optgroup>', group_name, html)
            groups.append(html)
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            _attributes(widget["attrs"]),
            _join(groups),
        )


def _join(parts):
    """Concatenate already escaped HTML parts (escaping anything that is not)."""
    return format_html_join("", "{}", ((part,) for part in parts))


def _attributes(attrs: dict):
    """As django/forms/widgets/attrs.html: False left out, True as a bare name, in order."""
    return _join(
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value))
        for name, value in attrs.items()
        if value is not False
    )


class ReferenceSelect(PlainSelect):
    """A PlainSelect of reference data (districts, communes, VSIC divisions, industrial areas)
    whose HTML is cached under the data version `token` (None: not cached), per language and
    selected option: neither the query nor the rendering is repeated on each page view."""

    def __init__(self, *args, token: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.token = token

    def render(self, name, value, attrs=None, renderer=None):
        if self.token is None:
            return super().render(name, value, attrs, renderer)
        attributes = repr(sorted({**self.attrs, **(attrs or {})}.items()))
        prefix = f"select:{name}:{get_language()}:{sha256(attributes.encode()).hexdigest()[:16]}"
        known = cached(f"{prefix}:values", self._values, token=self.token)
        # A value that is no option selects nothing, as no value does; only the options' own
        # values become cache keys, whatever a request sends.
        value = str(value) if value is not None and str(value) in known else None
        html = super().render
        return cached(f"{prefix}:{value}", lambda: html(name, value, attrs), token=self.token)

    def _values(self) -> set[str]:
        return {str(value) for value, _label in self.choices}


# dd/mm/yyyy, or dd/mm/yy (a year of this century: "01/02/26" is 1 February 2026; left to
# Django, whose input formats in both languages hold "%m/%d/%y", it would be 2 January).
_DAY_FIRST = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})\s*$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class DayFirstDateInput(forms.DateInput):
    """A date shown and typed as dd/mm/yyyy whatever the browser's language: an
    `<input type="date">` follows the browser's locale, mm/dd/yyyy in an English Chrome, which
    Vietnamese offices often run. `static/js/portal.js` adds a calendar button beside it.

    The typed dd/mm/yyyy reaches the form field as yyyy-mm-dd, which every DateField reads in
    any language, so "05/03/2026" can never be taken for 3 May."""

    input_type = "text"

    def __init__(self, attrs=None):
        defaults = {
            "placeholder": "dd/mm/yyyy",
            "inputmode": "numeric",
            "autocomplete": "off",
            "data-date-picker": "",
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d/%m/%Y")

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        match = _DAY_FIRST.match(value or "")
        if match is None:
            return value
        day, month, year = match.groups()
        if len(year) == 2:
            year = f"20{year}"
        return f"{year}-{int(month):02d}-{int(day):02d}"

    def format_value(self, value):
        # A value sent back after a validation error is the normalised text: show it day first.
        if isinstance(value, str) and (match := _ISO.match(value)):
            year, month, day = match.groups()
            return f"{day}/{month}/{year}"
        return super().format_value(value)
