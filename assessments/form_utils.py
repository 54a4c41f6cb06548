"""Small pieces shared by the assessment and activity forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CHOOSE = _("— Chọn —")


def label_blank_choices(form, label=CHOOSE) -> None:
    """Give every select's empty choice a Vietnamese label (Django's own, '- Select an option -',
    has no Vietnamese translation)."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label is not None:
                field.empty_label = label
        elif isinstance(field, forms.ChoiceField):
            choices = list(field.choices)
            if choices and choices[0][0] in ("", None) and not isinstance(choices[0][1], list):
                field.choices = [("", label), *choices[1:]]
