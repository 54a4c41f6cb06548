"""Form widgets that render faster than Django's template-per-option ones."""

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
