"""PlainSelect renders the same markup as Django's Select, only faster (core/widgets.py)."""

from datetime import date
from html.parser import HTMLParser

import pytest
from django import forms

from core.widgets import DayFirstDateInput, PlainSelect
from facilities.filters import FacilityFilterForm

from ..factories import CommuneFactory


class Tree(HTMLParser):
    """The tags, attributes and text of a fragment, whitespace between tags ignored."""

    def __init__(self, html: str):
        super().__init__()
        self.items: list = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.items.append(("start", tag, attrs))

    def handle_endtag(self, tag):
        self.items.append(("end", tag))

    def handle_data(self, data):
        if data.strip():
            self.items.append(("text", data))


CHOICES = [
    ("", "Tất cả"),
    ("a", 'Nhãn có <script>alert("x")</script> & "ngoặc"'),
    ("Nhóm <1>", [("b", "Bình"), ("c", "Chè & cà phê")]),
    (3, "Số"),
]


@pytest.mark.parametrize("value", [None, "", "a", "c", 3, "không có"])
@pytest.mark.parametrize(
    "attrs",
    [{}, {"class": "form-select form-select-sm"}, {"required": True, "disabled": False, "x": None}],
)
def test_it_renders_what_django_select_renders(value, attrs):
    django_html = forms.Select(attrs=attrs, choices=CHOICES).render("loc", value)
    plain_html = PlainSelect(attrs=attrs, choices=CHOICES).render("loc", value)

    assert Tree(plain_html).items == Tree(django_html).items
    assert "<script>" not in plain_html


@pytest.mark.django_db
def test_the_filter_form_uses_it_with_the_same_output():
    commune = CommuneFactory(name="Xã Phương Liễu <&>")
    form = FacilityFilterForm({"commune": str(commune.pk), "size": "small"})
    assert isinstance(form.fields["commune"].widget, PlainSelect)

    for name in ("commune", "district", "division", "size", "sort", "industrial_area"):
        field = form.fields[name]
        reference = forms.Select(attrs=field.widget.attrs, choices=field.widget.choices)
        expected = reference.render(form.add_prefix(name), form[name].value(), {"id": f"id_{name}"})
        assert Tree(str(form[name])).items == Tree(expected).items
    commune_html = str(form["commune"])
    assert "selected" in commune_html and "Phương Liễu &lt;&amp;&gt;" in commune_html


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("05/03/2026", "2026-03-05"),
        ("5/3/2026", "2026-03-05"),
        (" 31.12.2025 ", "2025-12-31"),
        ("2026-03-05", "2026-03-05"),  # ISO, as scripts and older pages send it
        ("31/02/2026", "2026-02-31"),  # left for the field to refuse
        ("01/02/26", "2026-02-01"),  # two-digit year: still day first, never Django's %m/%d/%y
        ("5.3.19", "2019-03-05"),
        ("hôm qua", "hôm qua"),
        ("", ""),
    ],
)
def test_day_first_date_input_reads_dd_mm_yyyy(typed, read):
    assert DayFirstDateInput().value_from_datadict({"d": typed}, {}, "d") == read


def test_day_first_date_input_shows_dd_mm_yyyy():
    class Form(forms.Form):
        d = forms.DateField(widget=DayFirstDateInput())

    assert Form(initial={"d": date(2026, 3, 5)})["d"].value() == date(2026, 3, 5)
    assert 'value="05/03/2026"' in str(Form(initial={"d": date(2026, 3, 5)})["d"])
    bound = Form({"d": "05/03/2026"})
    assert bound.is_valid() and bound.cleaned_data["d"] == date(2026, 3, 5)
    refused = Form({"d": "31/02/2026"})
    assert not refused.is_valid()
    assert 'value="31/02/2026"' in str(refused["d"])
    assert 'type="text"' in str(refused["d"]) and "data-date-picker" in str(refused["d"])
