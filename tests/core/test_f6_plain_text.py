"""The portal's rule of text typed into a form (core.forms.PlainTextMixin): no C0 control
character is stored; a multi-line field keeps its tabs and line breaks, a single-line field's
become a space; a password is read exactly as typed."""

import copy

from django import forms

from core.forms import NumberInputMixin, PlainTextMixin


class _Form(PlainTextMixin, forms.Form):
    title = forms.CharField(max_length=5)
    note = forms.CharField(widget=forms.Textarea, required=False)
    email = forms.EmailField(required=False)
    secret = forms.CharField(widget=forms.PasswordInput, required=False, strip=False)


class _NumberForm(NumberInputMixin, forms.Form):
    title = forms.CharField()
    amount = forms.DecimalField(required=False)


def cleaned(form_class, **data) -> dict:
    form = form_class(data=data)
    assert form.is_valid(), form.errors
    return form.cleaned_data


def test_single_and_multi_line_fields():
    data = cleaned(
        _Form,
        title="A\x01B\r\n C",
        note="dòng 1\x07\r\n\tdòng 2\x0bdòng 3",
        email="\x1bcb@example.vn",
        secret="\x01 mật khẩu\n",
    )
    assert data["title"] == "AB C"
    assert data["note"] == "dòng 1\r\n\tdòng 2\ndòng 3"
    assert data["email"] == "cb@example.vn"
    assert data["secret"] == "\x01 mật khẩu\n"


def test_the_length_is_checked_on_the_text_as_stored():
    assert cleaned(_Form, title="\x01\x02ABCDE")["title"] == "ABCDE"
    form = _Form(data={"title": "\x01\x02"})
    assert not form.is_valid() and "title" in form.errors  # nothing left: required


def test_forms_with_vietnamese_numbers_have_the_rule_too():
    data = cleaned(_NumberForm, title="Tên\tcơ\x01 sở", amount="1.234,5")
    assert data["title"] == "Tên cơ sở"
    assert str(data["amount"]) == "1234.5"


def test_a_copied_field_keeps_the_rule():
    field = copy.deepcopy(_Form().fields["title"])
    assert field.clean("A\x01\nB") == "A B"
