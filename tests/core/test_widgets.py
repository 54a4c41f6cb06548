"""PlainSelect renders the same markup as Django's Select, only faster (core/widgets.py)."""

from html.parser import HTMLParser

import pytest
from django import forms

from core.widgets import PlainSelect
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
